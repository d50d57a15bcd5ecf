"""A group robot's address: anything but the platform's own address is refused with the reason;
messages go to the address rebuilt from its checked parts, never to a typed or stored string;
a failure keeps the platform's code and words and never the key, the signature or an
exception's text, in the database or in the worker's log."""

import logging
import socket

import pytest
import requests
import sqlalchemy as sa

from portal.extensions import db
from portal.models import GroupMessage, MessageStatus, Platform, ReminderSettings
from portal.services import group_chat, reminders, robot_address
from portal.services.reminders import delivery
from tests import factories
from tests.conftest import login
from tests.test_reminders import (
    DINGTALK_SECRET,
    DINGTALK_TOKEN,
    DINGTALK_URL,
    WECOM_URL,
    chat_form,
    retry_all,
    robot,  # noqa: F401 - the fixture: a fake WeCom and DingTalk
)
from tests.test_reminders import group_chat as save_group_chat

KEY = "693a91f6-7b1c-4bc4-97a0-0ec2c1fa5aaa"
SSRF = f"https://127.0.0.1:8443\\@qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"

REFUSED = [
    (SSRF, "反斜杠"),
    (f"https://user@qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}", "不能含有 @"),
    (f"https://qyapi.weixin.qq.com:443/cgi-bin/webhook/send?key={KEY}", "不能带端口"),
    (f"https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key={KEY}", "不能带端口"),
    (f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY} x", "空格或换行"),
    (f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=\u200b{KEY}", "不可见的控制字符"),
    (f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}\x00", "不可见的控制字符"),
    (f"https://ｑyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}", "只能含有字母、数字"),
    (f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}&url=http://10.0.0.1", "多出了"),
    (f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}#x", "不是企业微信群机器人的地址"),
    (f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send/../../x?key={KEY}", "不是企业微信群机器人的地址"),
]


@pytest.fixture
def people(school):
    people = factories.school_staff(school)
    db.session.commit()
    return people


@pytest.mark.parametrize(("typed", "reason"), REFUSED, ids=[f"{n}-{r}" for n, (_t, r) in enumerate(REFUSED)])
def test_an_address_that_is_not_exactly_the_robots_is_refused_with_the_reason_and_kept(people, client, typed, reason):
    login(client, people.clerk)
    response = client.post("/reminders/settings/group-chat", data=chat_form(webhook_url=typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and reason in page
    assert reminders.settings_of(people.school.id).id is None  # nothing saved
    if "\x00" not in typed:  # a NUL is not sent back into the form
        field = page.split('name="webhook_url"')[1].split(">")[0]
        assert "value=" in field  # what was typed stays to be corrected


def test_the_saved_address_is_rebuilt_from_its_checked_parts(people):
    save_group_chat(people, Platform.WECOM, WECOM_URL.replace("qyapi.weixin.qq.com", "QYAPI.weixin.qq.com"))
    assert reminders.settings_of(people.school.id).webhook_url == WECOM_URL
    assert robot_address.parse(Platform.DINGTALK, DINGTALK_URL).url == DINGTALK_URL


@pytest.fixture
def listener():
    """A port on 127.0.0.1 that counts the connections made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    yield server
    server.close()


def _connections(server):
    count = 0
    while True:
        try:
            server.accept()[0].close()
        except TimeoutError:
            return count
        count += 1


def _deliver(people):
    message = reminders.send_test_message(people.clerk, people.school)
    db.session.commit()
    delivery.deliver_group_message.call_local(message.id)
    db.session.refresh(message)
    return message


def test_a_stored_address_that_reaches_inside_is_never_connected_to(people, listener, app, monkeypatch):
    monkeypatch.setitem(app.config, "GROUP_CHAT_ORIGINS", {})
    save_group_chat(people, Platform.WECOM, WECOM_URL)
    port = listener.getsockname()[1]
    inside = f"https://127.0.0.1:{port}\\@qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"
    db.session.execute(sa.update(ReminderSettings).values(webhook_url=inside))  # written past the service
    db.session.commit()
    with pytest.raises(group_chat.DeliveryFailed):
        _deliver(people)
    assert _connections(listener) == 0
    message = db.session.scalars(sa.select(GroupMessage)).one()
    assert message.error == "保存的地址不是群机器人的地址：请在设置中重新填写。"


def test_the_request_goes_to_the_rebuilt_address_and_a_network_failure_keeps_no_exception_text(
    people, app, monkeypatch, caplog
):
    monkeypatch.setitem(app.config, "GROUP_CHAT_ORIGINS", {})
    save_group_chat(people, Platform.DINGTALK, DINGTALK_URL, DINGTALK_SECRET)
    sent_to = []

    def refuse(url, **_kwargs):
        sent_to.append(url)
        raise requests.ConnectionError(f"Max retries exceeded with url: {url} (Connection refused)")

    monkeypatch.setattr(group_chat.requests, "post", refuse)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(group_chat.DeliveryFailed) as failure:
        _deliver(people)
    [url] = sent_to
    assert url.startswith(f"{DINGTALK_URL}&timestamp=") and "&sign=" in url
    message = db.session.scalars(sa.select(GroupMessage)).one()
    assert message.error == "钉钉群机器人无法通过网络连接。"
    assert failure.value.__cause__ is None and failure.value.__suppress_context__  # no chained text
    signature = url.split("&sign=")[1]
    for secret in (DINGTALK_TOKEN, DINGTALK_SECRET, signature, "Connection refused"):
        assert secret not in message.error and secret not in caplog.text


def test_the_platforms_refusal_is_kept_in_its_words_without_the_key(people, robot, caplog):  # noqa: F811
    save_group_chat(people, Platform.WECOM, WECOM_URL)
    robot.answers = [(200, {"errcode": 93000, "errmsg": f"invalid webhook url, key {KEY}, hint: [1700]"})]
    caplog.set_level(logging.DEBUG)
    with pytest.raises(group_chat.DeliveryFailed):
        _deliver(people)
    message = db.session.scalars(sa.select(GroupMessage)).one()
    assert message.status is MessageStatus.QUEUED
    assert message.error == "93000 invalid webhook url, key …, hint: [1700]"
    assert KEY not in caplog.text


def test_the_worker_logs_no_key_when_a_message_fails_for_good(people, app, monkeypatch, caplog):
    """Through the queue, with its retries and the failure it records and logs."""
    monkeypatch.setitem(app.config, "GROUP_CHAT_ORIGINS", {"wecom": "http://127.0.0.1:9"})
    save_group_chat(people, Platform.WECOM, WECOM_URL)
    message = reminders.send_test_message(people.clerk, people.school)
    db.session.commit()
    caplog.set_level(logging.INFO)
    reminders.enqueue([message.id])
    retry_all()
    db.session.refresh(message)
    assert message.status is MessageStatus.FAILED and message.error == "企业微信群机器人无法通过网络连接。"
    assert "DeliveryFailed" in caplog.text  # the log was written, and holds no key
    assert KEY not in caplog.text and "127.0.0.1:9" not in caplog.text
