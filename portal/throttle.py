"""Password attempts: slow an attacker, never lock the owner out.

OWASP's device cookies: a browser where the account logged in before carries a signed
cookie naming the account, and its failures count against that cookie only. Failures from
browsers the account has never used count per account, per address, and per account and
address. An attempt refused for being over a limit is not counted again, so an attacker
who keeps trying does not keep the lock closed. The counters are rows in the database,
which every gunicorn worker sees.

Every place a password is checked goes through ``check``: login, re-authentication,
changing the password, signing off inspections, signing reports and minutes.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_babel import format_time
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .errors import DomainError
from .extensions import db
from .models.throttle import PasswordFailure
from .timeutil import utcnow

DEVICE_COOKIE = "portal_device"
DEVICE_SALT = "portal-device-cookie"


@dataclass(frozen=True)
class Bucket:
    key: str
    attempts: int
    seconds: int


class Throttled(DomainError):
    """Too many wrong passwords: the attempt was not even checked."""

    def __init__(self, retry_at, known_device):
        when = format_time(retry_at, "HH:mm")
        if known_device:
            message = _l("Too many wrong passwords on this browser. Try again after %(time)s.", time=when)
        else:
            message = _l(
                "Too many wrong passwords for this account from browsers it has not used before. Try again after "
                "%(time)s. On a browser where the account's owner has logged in before, the account is not affected.",
                time=when,
            )
        super().__init__(message, field="password")
        self.retry_at = retry_at


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def known_device(username):
    """The id of this browser's device cookie when it was issued to ``username``, else None."""
    if not has_request_context() or DEVICE_COOKIE not in request.cookies:
        return None
    try:
        payload = _serializer().loads(
            request.cookies[DEVICE_COOKIE], max_age=current_app.config["DEVICE_COOKIE_DAYS"] * 86400
        )
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("u") != username:
        return None
    return str(payload.get("d", ""))[:32] or None


def remember_device(response, username):
    """After a successful login: this browser is a known device of the account."""
    token = _serializer().dumps({"u": username, "d": secrets.token_hex(8)})
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=current_app.config["DEVICE_COOKIE_DAYS"] * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def buckets(username):
    config = current_app.config
    device = known_device(username)
    if device is not None:
        return [Bucket(f"device:{device}", *config["PASSWORD_LIMIT_DEVICE"])], True
    address = request.remote_addr if has_request_context() else "cli"
    return [
        Bucket(f"account:{username}", *config["PASSWORD_LIMIT_ACCOUNT"]),
        Bucket(f"address:{address}", *config["PASSWORD_LIMIT_ADDRESS"]),
        Bucket(f"account-address:{username}|{address}", *config["PASSWORD_LIMIT_ACCOUNT_AND_ADDRESS"]),
    ], False


def _retry_at(bucket, now):
    """When the bucket lets an attempt through again, or None when it does now."""
    since = now - timedelta(seconds=bucket.seconds)
    failures = db.session.scalars(
        sa.select(PasswordFailure.failed_at)
        .where(PasswordFailure.bucket == bucket.key, PasswordFailure.failed_at > since)
        .order_by(PasswordFailure.failed_at.desc())
        .limit(bucket.attempts)
    ).all()
    if len(failures) < bucket.attempts:
        return None
    return failures[-1] + timedelta(seconds=bucket.seconds)


def check(username, verify):
    """Runs ``verify()`` (a password check) unless a limit is reached, and counts a failure
    when it returns False. Raises Throttled without checking when over a limit.

    Commits: before verifying, so that no lock is held while argon2 works, and after a
    failure, so that the failure counts even when the caller's change is rolled back. Call
    it before the first write of a request."""
    if not current_app.config["PASSWORD_THROTTLE"]:
        return verify()
    now = utcnow()
    keys, known = buckets(username)
    waits = [at for at in (_retry_at(bucket, now) for bucket in keys) if at is not None]
    if waits:
        raise Throttled(max(waits), known)
    db.session.commit()
    if verify():
        return True
    for bucket in keys:
        db.session.execute(
            sa.delete(PasswordFailure).where(
                PasswordFailure.bucket == bucket.key,
                PasswordFailure.failed_at < now - timedelta(seconds=bucket.seconds),
            )
        )
        db.session.add(PasswordFailure(bucket=bucket.key, failed_at=now))
    db.session.commit()
    return False
