"""Reminders: how a school wants to be prompted (per due rule, and its group chat and school
hours), each gap it was prompted about, and each message to its group chat."""

from datetime import datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type


class Platform(LabelledEnum):
    NONE = "none"
    WECOM = "wecom"
    DINGTALK = "dingtalk"

    @classmethod
    def _labels(cls):
        return {
            cls.NONE: _l("No group chat"),
            cls.WECOM: _l("WeCom group robot"),
            cls.DINGTALK: _l("DingTalk group robot"),
        }


class ReminderSettings(SchoolOwned, db.Model):
    """One row per school (made on first save; the defaults below until then)."""

    __tablename__ = "reminder_settings"
    __table_args__ = (
        sa.UniqueConstraint("school_id"),
        sa.CheckConstraint("messages_from < messages_until", name="school_hours_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(enum_type(Platform, "group_chat_platform"))
    webhook_url: Mapped[str] = mapped_column(sa.String(500))
    # DingTalk's signing secret (加签): never shown again once saved, never in the audit trail.
    webhook_secret: Mapped[str] = mapped_column(sa.String(100))
    # School hours: prompts go out between these times on school days only; escalations at any time.
    messages_from: Mapped[time]
    messages_until: Mapped[time]
    # When the daily digest goes to those who asked for one.
    digest_at: Mapped[time]

    DEFAULTS = {
        "platform": Platform.NONE,
        "webhook_url": "",
        "webhook_secret": "",
        "messages_from": time(6, 30),
        "messages_until": time(20, 0),
        "digest_at": time(16, 30),
    }

    def __init__(self, **kwargs):
        # A school without a row reads these (services/reminders.settings_of).
        super().__init__(**(self.DEFAULTS | kwargs))


class ReminderRule(SchoolOwned, db.Model):
    """A school's choice for one due rule of portal/due_rules.py; without a row, the rule's
    defaults hold."""

    __tablename__ = "reminder_rule"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "rule"),
        sa.CheckConstraint("lead_minutes >= 0", name="lead_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(sa.String(40))
    enabled: Mapped[bool] = mapped_column(default=True)
    lead_minutes: Mapped[int]
    # The time of day it is due, the day of the week (1 Monday) or month, or the days allowed
    # after posting: only for the rules that take it.
    due_time: Mapped[time | None]
    due_day: Mapped[int | None]


class Reminder(SchoolOwned, db.Model):
    """A gap the school was prompted about, once: when, whether it turned late (and was
    escalated) and when it closed. The county counts these."""

    __tablename__ = "reminder"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "rule", "gap_key"),
        sa.Index("ix_reminder_open", "school_id", "closed_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(sa.String(40))
    gap_key: Mapped[str] = mapped_column(sa.String(120))
    subject: Mapped[str] = mapped_column(sa.String(200))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The page that closes the gap: an endpoint and its arguments.
    target_endpoint: Mapped[str] = mapped_column(sa.String(64))
    target_args: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    prompted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The first routine run at or after the due time that found it still open.
    late_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first routine run that found it closed.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def closed_in_time(self):
        return self.closed_at is not None and self.late_at is None


class MessageStatus(LabelledEnum):
    WAITING = "waiting"  # for school hours
    QUEUED = "queued"  # with the queue, which sends it and retries
    SENT = "sent"
    FAILED = "failed"
    # Not sent: the gap closed (or turned late, and the escalation said so) before school hours.
    DROPPED = "dropped"

    @classmethod
    def _labels(cls):
        return {
            cls.WAITING: _l("Waiting for school hours"),
            cls.QUEUED: _l("Sending"),
            cls.SENT: _l("Sent"),
            cls.FAILED: _l("Failed"),
            cls.DROPPED: _l("Not sent: no longer needed"),
        }


class GroupMessage(SchoolOwned, db.Model):
    """One message to the school's group chat, sent by the queue and retried there."""

    __tablename__ = "group_message"
    __table_args__ = (sa.Index("ix_group_message_waiting", "status", "send_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reminder.id", ondelete="CASCADE"), index=True)
    escalation: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[MessageStatus] = mapped_column(
        enum_type(MessageStatus, "group_message_status"), default=MessageStatus.WAITING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    # The platform's own answer when it refused (or the network error).
    error: Mapped[str] = mapped_column(sa.String(500), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reminder: Mapped[Reminder | None] = relationship()
