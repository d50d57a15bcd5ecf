"""The phone of an anonymous page (a survey, a complaint): known by a cookie this server issued
and signed, never by anything the phone says of itself. A made-up or altered cookie counts as
none. The services keep only keyed hashes of it.

The cookie keeps the name and salt it had when only the surveys used it: renaming it would
make every phone that answered a survey a new one."""

import secrets

from flask import current_app, make_response, request
from itsdangerous import BadData, URLSafeSerializer

from ..extensions import limiter

DEVICE_COOKIE = "survey_device"
DEVICE_SALT = "survey-device"
ONE_YEAR = 365 * 24 * 3600


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def device():
    """The device id of a cookie this server issued, or None (none sent, made up or altered)."""
    try:
        found = _serializer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadData:
        return None
    return found if isinstance(found, str) and len(found) == 32 else None


def with_device(html):
    """The response, with a new device cookie when the phone has none of ours."""
    response = make_response(html)
    if device() is None:
        response.set_cookie(
            DEVICE_COOKIE,
            _serializer().dumps(secrets.token_hex(16)),
            max_age=ONE_YEAR,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


def limited_per_address(setting, on_breach):
    """At most the ``setting``'s number of stored posts from one network address to one page
    (its ``token``): only a post that stored something (200) counts, and ``on_breach`` answers
    the rest with the page and what was typed."""
    return limiter.limit(
        lambda: current_app.config[setting],
        key_func=lambda: f"{request.remote_addr}|{request.endpoint}|{request.view_args.get('token', '')}",
        deduct_when=lambda response: response.status_code == 200,
        on_breach=on_breach,
    )
