"""The Student Nutrition Improvement Plan (学生营养改善计划): the real-name roster and the
ledger of enrolment changes (异动学生台账) that alone changes it after the first import.

A student's state on a day (enrolled, eligible for the subsidy) is what the changes effective
on or before that day say; eligible student-days follow from them on the school calendar
(services/nutrition.py). A change is a ledger record of the day it was recorded: it locks
like every ledger, and its effective date may lie in the past.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .food_safety import SignedRecord
from .ledger import LedgerRecord, one_standing
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
    # The state now, as the last change effective so far left it (none: not on the roster).
    enrolled: Mapped[bool] = mapped_column(default=False)
    eligible: Mapped[bool] = mapped_column(default=False)
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


# The subsidy per eligible student and school day, from the day it applied (national figures:
# ¥3 from the plan's start in 2011, ¥4 from autumn 2014, ¥5 from autumn 2021).
NATIONAL_RATES = (
    (date(2011, 11, 1), Decimal("3.00")),
    (date(2014, 11, 1), Decimal("4.00")),
    (date(2021, 9, 1), Decimal("5.00")),
)


def rate_on(day):
    """The subsidy per student on ``day``; None before the plan began."""
    rate = None
    for starts_on, yuan in NATIONAL_RATES:
        if starts_on <= day:
            rate = yuan
    return rate


class DailyReport(LedgerRecord, SchoolOwned, db.Model):
    """每日上报: a school day's eligible students and diners, as reported to the county's
    nutrition platform, with the reference number it returned."""

    __tablename__ = "daily_report"
    __table_args__ = (
        sa.CheckConstraint(
            "eligible >= 0 AND coalesce(breakfast_diners, 0) >= 0 AND coalesce(lunch_diners, 0) >= 0 "
            "AND coalesce(dinner_diners, 0) >= 0",
            name="counts_not_negative",
        ),
        one_standing("daily_report", "school_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    # Enrolled and eligible students that day, as the roster says when the report is saved.
    eligible: Mapped[int]
    breakfast_diners: Mapped[int | None]
    lunch_diners: Mapped[int | None]
    dinner_diners: Mapped[int | None]
    platform_ref: Mapped[str] = mapped_column(sa.String(64), default="")
    # Saved after the school's cut-off time of the day: kept, and flagged.
    late: Mapped[bool] = mapped_column(default=False)
    reported_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reported_by: Mapped[User] = relationship(foreign_keys=[reported_by_id])

    def __str__(self):
        return f"{self.day}"

    @property
    def diners(self):
        return max(n or 0 for n in (self.breakfast_diners, self.lunch_diners, self.dinner_diners))


class Reconciliation(SignedRecord, SchoolOwned, db.Model):
    """The month's subsidy reconciliation (不少支不超支): what the eligible student-days entitle
    the school to, against the value of the food the storeroom issued; a difference beyond the
    tolerance is explained; the principal signs and the month is frozen."""

    __tablename__ = "reconciliation"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "month"),
        sa.CheckConstraint("(signed_at IS NULL) = (signed_by_id IS NULL)", name="signed_has_signer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(index=True)
    student_days: Mapped[int]
    entitlement: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    # Enrolment changes recorded since, dated into months already signed this school year,
    # change those months' subsidy: the difference is taken here, never by reopening them.
    earlier_months_change: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), default=Decimal(0))
    spending: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    tolerance: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))

    signed_by: Mapped[User | None] = relationship()

    def __str__(self):
        return self.month.strftime("%Y-%m")

    @property
    def difference(self):
        """Spent less than entitled is positive (少支), more is negative (超支)."""
        return self.entitlement + self.earlier_months_change - self.spending

    @property
    def beyond_tolerance(self):
        return abs(self.difference) > self.tolerance

    @property
    def verdict(self):
        if not self.beyond_tolerance:
            return None
        return _l("Under-spent (少支)") if self.difference > 0 else _l("Over-spent (超支)")

    def can_sign(self, user):
        return not self.is_signed and user.school_id == self.school_id and user.can("subsidy.sign")
