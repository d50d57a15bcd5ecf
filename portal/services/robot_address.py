"""A group robot's address, taken apart and checked: the platform, its host and path, and the
robot's key. Messages go to the address rebuilt from those parts (``RobotAddress.url``), never
to the string that was typed: URL parsers disagree on a backslash, an ``@`` or a port (Python
reads the host after the ``@``, the HTTP client stops at the backslash), so a typed address
that passes one parser's check can connect somewhere else.

WeCom:    https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<uuid>
DingTalk: https://oapi.dingtalk.com/robot/send?access_token=<64 hex digits>
"""

import re
import unicodedata
import urllib.parse
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..models.reminder import Platform

HOSTS = {Platform.WECOM: "qyapi.weixin.qq.com", Platform.DINGTALK: "oapi.dingtalk.com"}
PATHS = {Platform.WECOM: "/cgi-bin/webhook/send", Platform.DINGTALK: "/robot/send"}
TOKENS = {
    Platform.WECOM: ("key", re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")),
    Platform.DINGTALK: ("access_token", re.compile(r"[0-9a-fA-F]{64}")),
}
MAX_LENGTH = 300


@dataclass(frozen=True)
class RobotAddress:
    platform: Platform
    token: str

    @property
    def url(self):
        name, _shape = TOKENS[self.platform]
        return f"https://{HOSTS[self.platform]}{PATHS[self.platform]}?{urllib.parse.urlencode({name: self.token})}"


def _refuse(message):
    raise DomainError(message, field="webhook_url")


def _refuse_characters(text):
    if "\\" in text:
        _refuse(_l("The address may not contain a backslash (\\): copy it again from the robot's settings."))
    if "@" in text:
        _refuse(_l("The address may not contain @: copy it again from the robot's settings."))
    if any(character.isspace() for character in text):
        _refuse(_l("The address may not contain spaces or line breaks: copy it again from the robot's settings."))
    if any(unicodedata.category(character).startswith("C") for character in text):
        _refuse(_l("The address contains an invisible control character: copy it again from the robot's settings."))
    if not text.isascii():
        _refuse(_l("The address may contain only letters, digits and the signs of a web address."))


def parse(platform, typed):
    """The checked parts of ``typed`` as a RobotAddress; DomainError with the reason when it is
    not exactly the platform's robot address."""
    text = (typed or "").strip()
    if not text:
        _refuse(_l("Enter the group robot's webhook address."))
    if len(text) > MAX_LENGTH:
        _refuse(_l("The address is too long for a robot's address: copy it again from the robot's settings."))
    _refuse_characters(text)
    parts = urllib.parse.urlsplit(text)
    if parts.scheme != "https":
        _refuse(_l("The webhook address must begin with https://."))
    if ":" in parts.netloc:
        _refuse(_l("The address may not name a port: the robot's address has none."))
    if parts.netloc.lower() != HOSTS[platform] or parts.path != PATHS[platform] or parts.fragment:
        _refuse(
            _l(
                "This is not a %(platform)s address: it begins with https://%(host)s%(path)s.",
                platform=platform.label,
                host=HOSTS[platform],
                path=PATHS[platform],
            )
        )
    name, shape = TOKENS[platform]
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    tokens = [value for key, value in query if key == name]
    if len(tokens) != 1 or not shape.fullmatch(tokens[0]):
        _refuse(
            _l("The address lacks the robot's %(name)s: copy the whole address from the robot's settings.", name=name)
        )
    if len(query) != 1:
        _refuse(_l("The address has more after the robot's %(name)s than a robot's address has.", name=name))
    return RobotAddress(platform, tokens[0])
