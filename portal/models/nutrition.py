"""The Student Nutrition Improvement Plan (学生营养改善计划): the real-name roster and the
ledger of enrolment changes (异动学生台账) that alone changes it after the first import.

A student's state on a day (enrolled, eligible for the subsidy) is what the changes effective
on or before that day say; eligible student-days follow from them on the school calendar
(services/nutrition.py). A change is a ledger record of the day it was recorded: it locks
like every ledger, and its effective date may lie in the past.
"""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .ledger import LedgerRecord
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type
from .user import User


class Student(SchoolOwned, db.Model):
    __tablename__ = "student"
    __table_args__ = (sa.UniqueConstraint("school_id", "register_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # 学籍号: the student-register system's number.
    register_number: Mapped[str] = mapped_column(sa.String(32), index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    class_name: Mapped[str] = mapped_column(sa.String(40))
    # The state now, as the last change effective so far left it.
    enrolled: Mapped[bool] = mapped_column(default=True)
    eligible: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changes: Mapped[list["EnrolmentChange"]] = relationship(
        back_populates="student", order_by="(EnrolmentChange.effective_on, EnrolmentChange.id)"
    )

    def __str__(self):
        return f"{self.name}（{self.register_number}）"


class ChangeKind(LabelledEnum):
    ENROLLED = "enrolled"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    SUSPENDED = "suspended"
    RETURNED = "returned"
    DROPPED_OUT = "dropped_out"
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"

    @classmethod
    def _labels(cls):
        return {
            cls.ENROLLED: _l("On the roster"),
            cls.TRANSFER_IN: _l("Transferred in"),
            cls.TRANSFER_OUT: _l("Transferred out"),
            cls.SUSPENDED: _l("Suspended"),
            cls.RETURNED: _l("Returned"),
            cls.DROPPED_OUT: _l("Dropped out"),
            cls.ELIGIBLE: _l("Eligible for the subsidy"),
            cls.NOT_ELIGIBLE: _l("No longer eligible"),
        }

    @property
    def sets(self):
        """What the change sets from its effective day on: {"enrolled": bool} and/or {"eligible": bool}."""
        return {
            ChangeKind.ENROLLED: {"enrolled": True},
            ChangeKind.TRANSFER_IN: {"enrolled": True},
            ChangeKind.RETURNED: {"enrolled": True},
            ChangeKind.TRANSFER_OUT: {"enrolled": False},
            ChangeKind.SUSPENDED: {"enrolled": False},
            ChangeKind.DROPPED_OUT: {"enrolled": False},
            ChangeKind.ELIGIBLE: {"eligible": True},
            ChangeKind.NOT_ELIGIBLE: {"eligible": False},
        }[self]


class EnrolmentChange(LedgerRecord, SchoolOwned, db.Model):
    """异动: who, what, from when, on which document; checked by a second person."""

    __tablename__ = "enrolment_change"
    __table_args__ = (
        sa.CheckConstraint("checked_by_id IS NULL OR checked_by_id <> recorded_by_id", name="checked_by_another"),
        sa.CheckConstraint("(checked_by_id IS NULL) = (checked_at IS NULL)", name="checked_has_time"),
        sa.Index("ix_enrolment_change_student_effective", "student_id", "effective_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("student.id", ondelete="RESTRICT"))
    kind: Mapped[ChangeKind] = mapped_column(enum_type(ChangeKind, "change_kind"))
    effective_on: Mapped[date] = mapped_column(index=True)
    # The day it was recorded (its ledger day: it locks when that day is over).
    day: Mapped[date] = mapped_column(index=True)
    document_ref: Mapped[str] = mapped_column(sa.String(100), default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Checked later, once, by a second person (past the record's day, as a sample's review).
    completed_later = ("checked_by_id", "checked_at")

    student: Mapped[Student] = relationship(back_populates="changes")
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    checked_by: Mapped[User | None] = relationship(foreign_keys=[checked_by_id])

    def __str__(self):
        return f"{self.student} {self.kind.label} {self.effective_on}"
