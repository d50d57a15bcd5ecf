"""Evidence files under EVIDENCE_FOLDER: written whole or not at all."""

import hashlib
import os
import tempfile
import uuid
from contextlib import contextmanager

from flask import current_app


def path_of(storage_key):
    return os.path.join(current_app.config["EVIDENCE_FOLDER"], storage_key)


def new_key(folder, stem, extension):
    """A name nobody else can be writing to, even a second process freezing the same record."""
    return f"{folder}/{stem}-{uuid.uuid4().hex[:12]}.{extension}"


@contextmanager
def new_file(storage_key):
    """A temporary path beside the key's file to write to; renamed to the key when the block
    ends, deleted when it raises: a half-written file is never visible under its name."""
    path = path_of(storage_key)
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


def write_atomically(storage_key, data):
    with new_file(storage_key) as temporary, open(temporary, "wb") as out:
        out.write(data)
    return path_of(storage_key)


def sha256_of_file(path, chunk=1024 * 1024):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while block := source.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def remove_quietly(storage_key):
    try:
        os.remove(path_of(storage_key))
    except FileNotFoundError:
        pass
