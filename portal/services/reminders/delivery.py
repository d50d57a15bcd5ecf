"""Group messages: released at school hours, sent by the queue, retried, and the school admin
told when one fails for good."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ...errors import DomainError
from ...extensions import db
from ...models.notification import NotificationKind
from ...models.reminder import GroupMessage, MessageStatus, Platform
from ...permissions import Permission
from ...queue import job
from ...timeutil import school_now, utcnow
from .. import audit, group_chat, notifications
from ..reminder_settings import settings_of


def send_test_message(actor, school):
    settings = settings_of(school.id)
    if settings.platform is Platform.NONE or not settings.webhook_url:
        raise DomainError(_l("Save a group robot's address first."))
    message = GroupMessage(
        school_id=school.id,
        title=_("Test message from the logistics portal"),
        text=_("The school's reminders will come to this group."),
        status=MessageStatus.QUEUED,
    )
    db.session.add(message)
    audit.record(actor, "group_message.test", message, after={"title": message.title})
    return message


def release_waiting(now=None):
    """Messages whose time has come go to the queue (ids returned, to enqueue after the
    commit); a prompt whose gap closed or turned late meanwhile is dropped."""
    now = now or utcnow()
    waiting = db.session.scalars(
        sa.select(GroupMessage)
        .where(GroupMessage.status == MessageStatus.WAITING, GroupMessage.send_after <= now)
        .options(selectinload(GroupMessage.reminder))
        .order_by(GroupMessage.id)
    ).all()
    released = []
    for message in waiting:
        if _no_longer_needed(message):
            message.status = MessageStatus.DROPPED
            continue
        message.status = MessageStatus.QUEUED
        released.append(message.id)
    return released


def _no_longer_needed(message):
    reminder = message.reminder
    if reminder is None or message.escalation:
        return False
    return reminder.closed_at is not None or reminder.late_at is not None


def enqueue(message_ids):
    for message_id in message_ids:
        deliver_group_message(message_id)


# A group message is tried this many times, a minute apart, before it counts as failed.
ATTEMPTS = 4


@job(retries=ATTEMPTS - 1, retry_delay=60)
def deliver_group_message(message_id):
    """Send one message; a refusal is kept with the platform's words and retried by the
    queue, ATTEMPTS times in all; then the school admin is told."""
    message = db.session.get(GroupMessage, message_id)
    if message is None or message.status is not MessageStatus.QUEUED:
        return
    settings = settings_of(message.school_id)
    message.attempts += 1
    try:
        group_chat.send(settings.platform, settings.webhook_url, settings.webhook_secret, message.title, message.text)
    except group_chat.DeliveryFailed as exc:
        message.error = exc.reason
        if message.attempts < ATTEMPTS:
            db.session.commit()
            raise
        message.status = MessageStatus.FAILED
        _tell_admins(message)
        db.session.commit()
        return
    message.status, message.sent_at, message.error = MessageStatus.SENT, utcnow(), ""
    db.session.commit()


def _tell_admins(message):
    school = message.school
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = f"{message.title}：{message.error}"
    for admin in notifications.holders_of(school.id, Permission.SCHOOL_SETTINGS):
        notifications.notify(
            admin,
            NotificationKind.GROUP_MESSAGE_FAILED,
            subject,
            ("reminders.show_settings", None),
            f"group_message_failed:{school.id}:{school_now(school).date().isoformat()}:{admin.id}",
        )


def recent_messages(school_id, limit=20):
    return db.session.scalars(
        sa.select(GroupMessage).where(GroupMessage.school_id == school_id).order_by(GroupMessage.id.desc()).limit(limit)
    ).all()
