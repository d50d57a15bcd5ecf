"""Evidence files under EVIDENCE_FOLDER: written whole or not at all."""

import hashlib
import os
import uuid

from flask import current_app

from .. import fsutil
from ..fsutil import atomic_file


def path_of(storage_key):
    return os.path.join(current_app.config["EVIDENCE_FOLDER"], storage_key)


def new_key(folder, stem, extension):
    """A name nobody else can be writing to, even a second process freezing the same record."""
    return f"{folder}/{stem}-{uuid.uuid4().hex[:12]}.{extension}"


def new_file(storage_key):
    """A temporary path to write the key's file to; a half-written file is never visible
    under its name (portal/fsutil.py)."""
    return atomic_file(path_of(storage_key))


def write_atomically(storage_key, data):
    return fsutil.write_atomically(path_of(storage_key), data)


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
