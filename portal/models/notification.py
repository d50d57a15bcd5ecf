"""In-app notifications, with an unread count in the navigation."""

from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type
from .user import User


class NotificationKind(LabelledEnum):
    ASSIGNMENT_DUE = "assignment_due"
    TASK_ASSIGNED = "task_assigned"
    TASK_OVERDUE = "task_overdue"
    # Still open at the school's cut-off on the day it was found: due by midnight.
    TASK_ESCALATED = "task_escalated"
    READY_FOR_SIGN_OFF = "ready_for_sign_off"
    INSPECTION_RETURNED = "inspection_returned"
    # A record due soon (portal/due_rules.py), and one now late.
    REMINDER_DUE = "reminder_due"
    REMINDER_LATE = "reminder_late"
    # A message to the school's group chat failed after its retries.
    GROUP_MESSAGE_FAILED = "group_message_failed"

    @classmethod
    def _labels(cls):
        return {
            cls.ASSIGNMENT_DUE: _l("Inspection due today"),
            cls.TASK_ASSIGNED: _l("Rectification assigned to you"),
            cls.TASK_OVERDUE: _l("Rectification overdue"),
            cls.TASK_ESCALATED: _l("Rectification due tonight, not done yet"),
            cls.READY_FOR_SIGN_OFF: _l("Inspection ready for sign-off"),
            cls.INSPECTION_RETURNED: _l("Inspection returned to you"),
            cls.REMINDER_DUE: _l("Due soon"),
            cls.REMINDER_LATE: _l("Late, not done yet"),
            cls.GROUP_MESSAGE_FAILED: _l("Group chat message failed"),
        }


class Notification(SchoolOwned, db.Model):
    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(enum_type(NotificationKind, "notification_kind"))
    # What the notification is about: a short text, and the page that shows it (an
    # endpoint and a record id, so that no URL is stored).
    subject: Mapped[str] = mapped_column(sa.String(200))
    target_endpoint: Mapped[str] = mapped_column(sa.String(64))
    target_id: Mapped[int | None]
    # The same event notifies a person once, however often it is noticed.
    dedupe_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def url(self):
        if self.target_id is None:
            return url_for(self.target_endpoint)
        return url_for(self.target_endpoint, **{TARGET_ARGUMENTS[self.target_endpoint]: self.target_id})


# The URL argument that carries target_id, per endpoint.
TARGET_ARGUMENTS = {
    "tasks.show_task": "task_id",
    "inspections.show_inspection": "inspection_id",
    "reminders.follow_reminder": "reminder_id",
}

# Kinds that say something is late: sent at any hour, never held for a digest.
ESCALATIONS = frozenset(
    {NotificationKind.TASK_ESCALATED, NotificationKind.TASK_OVERDUE, NotificationKind.REMINDER_LATE}
)
