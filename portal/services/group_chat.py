"""A school's WeCom (企业微信) or DingTalk (钉钉) group robot: checking its address and secret,
the message in each platform's documented format, DingTalk's signature, and sending.

WeCom: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=... with
{"msgtype": "markdown", "markdown": {"content": ...}} (at most 4096 bytes).
DingTalk: POST https://oapi.dingtalk.com/robot/send?access_token=... with
{"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}; a robot secured by signing
(加签) also takes &timestamp=<ms>&sign=<base64 HMAC-SHA256 of "timestamp\\nsecret", keyed by
the secret, URL-encoded>. Both answer {"errcode": 0, "errmsg": "ok"}, or an errcode and the
reason.

GROUP_CHAT_ORIGINS (configuration) can send each platform's messages elsewhere (a relay on a
county network; the tests' fake server): the school still enters the platform's address.
"""

import base64
import hashlib
import hmac
import re
import time
import urllib.parse

import requests
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..models.reminder import Platform

HOSTS = {Platform.WECOM: "qyapi.weixin.qq.com", Platform.DINGTALK: "oapi.dingtalk.com"}
PATHS = {Platform.WECOM: "/cgi-bin/webhook/send", Platform.DINGTALK: "/robot/send"}
TOKENS = {
    Platform.WECOM: ("key", re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")),
    Platform.DINGTALK: ("access_token", re.compile(r"[0-9a-fA-F]{64}")),
}
DINGTALK_SECRET = re.compile(r"SEC[0-9a-fA-F]{64}")
WECOM_MAX_BYTES = 4096
TIMEOUT_SECONDS = 10


class DeliveryFailed(Exception):
    """The platform (or the network) refused the message: ``reason`` is its own words."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def check_address(platform, url, secret):
    """Refuse an address that is not the platform's robot over https, and a secret of the
    wrong shape, with the reason."""
    if platform is Platform.NONE:
        return
    if not url:
        raise DomainError(_l("Enter the group robot's webhook address."), field="webhook_url")
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme != "https":
        raise DomainError(_l("The webhook address must begin with https://."), field="webhook_url")
    if parts.hostname != HOSTS[platform] or parts.port not in (None, 443) or parts.path != PATHS[platform]:
        raise DomainError(
            _l(
                "This is not a %(platform)s address: it begins with https://%(host)s%(path)s.",
                platform=platform.label,
                host=HOSTS[platform],
                path=PATHS[platform],
            ),
            field="webhook_url",
        )
    name, shape = TOKENS[platform]
    token = urllib.parse.parse_qs(parts.query).get(name, [""])[0]
    if not shape.fullmatch(token):
        raise DomainError(
            _l("The address lacks the robot's %(name)s: copy the whole address from the robot's settings.", name=name),
            field="webhook_url",
        )
    if platform is Platform.WECOM and secret:
        raise DomainError(_l("A WeCom group robot has no signing secret: leave it empty."), field="webhook_secret")
    if platform is Platform.DINGTALK and secret and not DINGTALK_SECRET.fullmatch(secret):
        raise DomainError(
            _l("A DingTalk signing secret is SEC and 64 letters and digits: copy it from the robot's settings."),
            field="webhook_secret",
        )


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
    origin = current_app.config["GROUP_CHAT_ORIGINS"].get(platform.value)
    if not origin:
        return url
    parts = urllib.parse.urlsplit(url)
    target = urllib.parse.urlsplit(origin)
    return urllib.parse.urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))


def send(platform, url, secret, title, text, now_ms=None):
    """Post one message; raises DeliveryFailed with the platform's reason."""
    url = _routed(platform, url)
    if platform is Platform.DINGTALK and secret:
        url = signed_url(url, secret, now_ms or int(time.time() * 1000))
    try:
        response = requests.post(
            url, json=payload(platform, title, text), timeout=TIMEOUT_SECONDS, allow_redirects=False
        )
    except requests.RequestException as exc:
        raise DeliveryFailed(str(exc)[:500]) from exc
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise DeliveryFailed(f"HTTP {response.status_code} {response.text[:300]}")
    if response.status_code != 200 or answer.get("errcode") != 0:
        raise DeliveryFailed(f"{answer.get('errcode')} {answer.get('errmsg', '')}".strip()[:500])
