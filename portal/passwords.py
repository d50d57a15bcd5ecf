"""Password hashing with argon2id."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY
from flask import current_app

_PROFILES = {
    "default": PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY),
    # For the test suite only: a hash in well under a millisecond.
    "cheap": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}

# Verified against when the username does not exist, so that a wrong username costs
# as much time as a wrong password and does not reveal which accounts exist.
_DUMMY_HASHES = {}


def _hasher():
    return _PROFILES[current_app.config["PASSWORD_HASH_PROFILE"]]


def hash_password(password):
    return _hasher().hash(password)


def verify_password(password_hash, password):
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return _hasher().check_needs_rehash(password_hash)


def burn_time(password):
    profile = current_app.config["PASSWORD_HASH_PROFILE"]
    if profile not in _DUMMY_HASHES:
        _DUMMY_HASHES[profile] = _hasher().hash("not a real password")
    verify_password(_DUMMY_HASHES[profile], password)
