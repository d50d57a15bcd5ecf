"""Writing files so that a half-written one is never seen: a disk that fills up (or a crash)
in the middle leaves nothing under the file's name."""

import os
import tempfile
from contextlib import contextmanager


@contextmanager
def atomic_file(path):
    """A temporary path beside ``path`` to write to; renamed to ``path`` when the block
    ends, deleted when it raises."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".part")
    os.close(handle)
    try:
        yield temporary
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def write_atomically(path, data):
    with atomic_file(path) as temporary, open(temporary, "wb") as out:
        out.write(data)
    return path
