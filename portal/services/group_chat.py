"""A school's WeCom (企业微信) or DingTalk (钉钉) group robot: checking its address and secret,
the message in each platform's documented format, DingTalk's signature, and sending.

WeCom: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=... with
{"msgtype": "markdown", "markdown": {"content": ...}} (at most 4096 bytes).
DingTalk: POST https://oapi.dingtalk.com/robot/send?access_token=... with
{"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}; a robot secured by signing
(加签) also takes &timestamp=<ms>&sign=<base64 HMAC-SHA256 of "timestamp\\nsecret", keyed by
the secret, URL-encoded>. Both answer {"errcode": 0, "errmsg": "ok"}, or an errcode and the
reason.

The address is checked and rebuilt in robot_address.py. GROUP_CHAT_ORIGINS (configuration)
can send each platform's messages elsewhere (a relay on a county network; the tests' fake
server): the school still enters the platform's address.
"""

import base64
import hashlib
import hmac
import logging
import re
import time
import urllib.parse

import requests
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..models.reminder import Platform
from . import robot_address

DINGTALK_SECRET = re.compile(r"SEC[0-9a-fA-F]{64}")
WECOM_MAX_BYTES = 4096
TIMEOUT_SECONDS = 10


class _WithoutRobotKeys(logging.Filter):
    """urllib3 logs every request's address at DEBUG: the key, token and signature are cut out."""

    SECRET = re.compile(r"((?:key|access_token|sign)=)[^&\s\"]+")

    def filter(self, record):
        record.msg, record.args = self.SECRET.sub(r"\1…", record.getMessage()), ()
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_WithoutRobotKeys())


class DeliveryFailed(Exception):
    """The platform (or the network) refused the message: ``reason`` is the platform's own code
    and words, or what kind of network failure it was; never an exception's text, which
    carries the address with its key."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def check_address(platform, url, secret):
    """The robot's checked address (None for no robot), or DomainError with the reason; and
    a secret of the wrong shape refused."""
    if platform is Platform.NONE:
        return None
    address = robot_address.parse(platform, url)
    if platform is Platform.WECOM and secret:
        raise DomainError(_l("A WeCom group robot has no signing secret: leave it empty."), field="webhook_secret")
    if platform is Platform.DINGTALK and secret and not DINGTALK_SECRET.fullmatch(secret):
        raise DomainError(
            _l("A DingTalk signing secret is SEC and 64 letters and digits: copy it from the robot's settings."),
            field="webhook_secret",
        )
    return address


def payload(platform, title, text):
    """The message body as the platform documents it (markdown)."""
    if platform is Platform.WECOM:
        content = f"**{title}**\n{text}"
        encoded = content.encode()
        if len(encoded) > WECOM_MAX_BYTES:
            content = encoded[: WECOM_MAX_BYTES - 3].decode(errors="ignore") + "…"
        return {"msgtype": "markdown", "markdown": {"content": content}}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": f"#### {title}\n{text}"}}


def dingtalk_signature(secret, timestamp_ms):
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(url, secret, timestamp_ms):
    query = urllib.parse.urlencode({"timestamp": timestamp_ms, "sign": dingtalk_signature(secret, timestamp_ms)})
    return f"{url}&{query}"


def _routed(platform, url):
    """GROUP_CHAT_ORIGINS (the server's configuration, never a school's) may send a platform's
    messages to a relay: the rebuilt path and query go there."""
    origin = current_app.config["GROUP_CHAT_ORIGINS"].get(platform.value)
    if not origin:
        return url
    parts = urllib.parse.urlsplit(url)
    target = urllib.parse.urlsplit(origin)
    return urllib.parse.urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))


def _network_failure(platform, exc):
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        if isinstance(exc, requests.Timeout):
            return _(
                "%(platform)s did not answer within %(seconds)s seconds.",
                platform=platform.label,
                seconds=TIMEOUT_SECONDS,
            )
        return _("%(platform)s could not be reached over the network.", platform=platform.label)


def _without_secrets(text, *secrets):
    for secret in secrets:
        if secret:
            text = text.replace(secret, "…")
    return text[:300]


def send(platform, stored_url, secret, title, text, now_ms=None):
    """Post one message to the address rebuilt from the stored one's checked parts; raises
    DeliveryFailed with the platform's code and words, or the kind of network failure."""
    try:
        address = robot_address.parse(platform, stored_url)
    except DomainError:
        raise DeliveryFailed(_saved_address_refused()) from None
    url = _routed(platform, address.url)
    signature = ""
    if platform is Platform.DINGTALK and secret:
        timestamp_ms = now_ms or int(time.time() * 1000)
        signature = dingtalk_signature(secret, timestamp_ms)
        url = signed_url(url, secret, timestamp_ms)
    try:
        response = requests.post(
            url, json=payload(platform, title, text), timeout=TIMEOUT_SECONDS, allow_redirects=False
        )
    except requests.RequestException as exc:
        # "from None": the queue logs a failed job's traceback, and the chained exception's
        # text is the whole address, key and signature included.
        raise DeliveryFailed(_network_failure(platform, exc)) from None
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise DeliveryFailed(f"HTTP {response.status_code}")
    if response.status_code != 200 or answer.get("errcode") != 0:
        words = f"{answer.get('errcode')} {answer.get('errmsg', '')}".strip()
        raise DeliveryFailed(_without_secrets(words, address.token, secret, signature))


def _saved_address_refused():
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _("The saved address is not a group robot's address: enter it again in the settings.")
