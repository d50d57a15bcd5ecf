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
from flask_babel import lazy_pgettext as _lp
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .food_safety import SignedRecord
from .ledger import LedgerRecord, one_standing
from .person_name import PinyinNamed
from .registry import SIGNATURE, RecordKind, register
from .tenancy import CountyWide, SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User


class Student(SchoolOwned, PinyinNamed, db.Model):
    __tablename__ = "student"
    __table_args__ = (sa.UniqueConstraint("school_id", "register_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # 学籍号: the student-register system's number.
    register_number: Mapped[str] = mapped_column(sa.String(32), index=True, info=label(_l("Register number")))
    name: Mapped[str] = mapped_column(sa.String(50), info=label(_l("Student")))
    class_name: Mapped[str] = mapped_column(sa.String(40), info=label(_l("Class")))
    # The state now, as the last change effective so far left it (none: not on the roster).
    enrolled: Mapped[bool] = mapped_column(default=False, info=label(_l("Enrolled")))
    eligible: Mapped[bool] = mapped_column(default=False, info=label(_l("Eligible for the subsidy")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Added")))

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
    kind: Mapped[ChangeKind] = mapped_column(enum_type(ChangeKind, "change_kind"), info=label(_l("Change")))
    effective_on: Mapped[date] = mapped_column(index=True, info=label(_l("Effective from")))
    # The day it was recorded (its ledger day: it locks when that day is over).
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Recorded on")))
    document_ref: Mapped[str] = mapped_column(sa.String(100), default="", info=label(_l("Document")))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Checked at")))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    # Checked later, once, by a second person (past the record's day, as a sample's review).
    completed_later = ("checked_by_id", "checked_at")

    student: Mapped[Student] = relationship(back_populates="changes", info=label(_l("Student")))
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], info=label(_l("Recorded by")))
    checked_by: Mapped[User | None] = relationship(
        foreign_keys=[checked_by_id], info=label(_lp("enrolment change", "Checked by"))
    )

    def __str__(self):
        return f"{self.student} {self.kind.label} {self.effective_on}"


class SubsidyRate(CountyWide, db.Model):
    """The subsidy per eligible student and school day from ``starts_on`` until the next
    rate starts: one table for the county, its history kept (a month signed under an old
    rate is counted at that rate; a rate changed for a signed month shows as a difference
    on the next reconciliation). Migration 0012 seeds it with the national rates: ¥3 from the
    plan's start in 2011, ¥4 from autumn 2014, ¥5 from autumn 2021. The county's tolerance
    for 不少支不超支 goes with it: the schools it judges read it, never set it."""

    __tablename__ = "subsidy_rate"
    __table_args__ = (
        sa.CheckConstraint("yuan > 0 AND yuan <= 50", name="yuan_in_range"),
        sa.CheckConstraint("tolerance_yuan BETWEEN 0 AND 10000", name="tolerance_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date] = mapped_column(unique=True, info=label(_l("Applies from")))
    yuan: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2), info=label(_l("Yuan per student and school day")))
    # A month whose spending differs from its subsidy by more than this is 超支 or 少支 and is
    # explained before the principal signs; the month's tolerance is the one in force on its last day.
    tolerance_yuan: Mapped[int] = mapped_column(
        default=100, server_default="100", info=label(_l("Tolerance of a month (yuan)"))
    )
    # The document that set it (e.g. 财教〔2021〕174号).
    document_ref: Mapped[str] = mapped_column(sa.String(100), default="", info=label(_l("Document")))

    def __str__(self):
        return f"{self.starts_on} ¥{self.yuan}"


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
        sa.CheckConstraint("staff_diners >= 0", name="staff_diners_not_negative"),
        sa.CheckConstraint("other_student_diners >= 0", name="other_student_diners_not_negative"),
        one_standing("daily_report", "school_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    # Enrolled and eligible students that day, as the roster says when the report is saved.
    eligible: Mapped[int] = mapped_column(info=label(_l("Eligible students")))
    breakfast_diners: Mapped[int | None] = mapped_column(info=label(_l("Diners at breakfast")))
    lunch_diners: Mapped[int | None] = mapped_column(info=label(_l("Diners at lunch")))
    dinner_diners: Mapped[int | None] = mapped_column(info=label(_l("Diners at dinner")))
    # Who the day's diners were, counted at its largest meal: they split the day's food cost
    # (services/food_share.py). Empty on reports saved before the split was asked for.
    staff_diners: Mapped[int | None] = mapped_column(info=label(_l("Of them, staff")))
    other_student_diners: Mapped[int | None] = mapped_column(info=label(_l("Of them, students without the subsidy")))
    platform_ref: Mapped[str] = mapped_column(sa.String(64), default="", info=label(_l("Platform reference")))
    # Saved after the school's cut-off time of the day: kept, and flagged.
    late: Mapped[bool] = mapped_column(default=False, info=label(_l("After the cut-off")))
    reported_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    reported_by: Mapped[User] = relationship(foreign_keys=[reported_by_id], info=label(_l("Reported by")))

    def __str__(self):
        return f"{self.day}"

    @property
    def diners(self):
        return max(n or 0 for n in (self.breakfast_diners, self.lunch_diners, self.dinner_diners))

    @property
    def has_split(self):
        return self.staff_diners is not None or self.other_student_diners is not None

    @property
    def eligible_diners(self):
        return max(self.diners - (self.staff_diners or 0) - (self.other_student_diners or 0), 0)


class SpendingCategory(LabelledEnum):
    """What money is spent on. The subsidy buys food for the students' meals only: the
    plan's rules forbid the rest (cash to students or parents, staff meals, the canteen's
    wages and running costs, transport, publicity)."""

    FOOD_BOUGHT_DIRECTLY = "food_bought_directly"
    CATERED_MEALS = "catered_meals"
    CASH_TO_FAMILIES = "cash_to_families"
    STAFF_MEALS = "staff_meals"
    WAGES = "wages"
    RUNNING_COSTS = "running_costs"
    TRANSPORT = "transport"
    PUBLICITY = "publicity"

    @classmethod
    def _labels(cls):
        return {
            cls.FOOD_BOUGHT_DIRECTLY: _l("Food for the students' meals bought directly (milk, eggs, fruit)"),
            cls.CATERED_MEALS: _l("Students' meals delivered by a caterer"),
            cls.CASH_TO_FAMILIES: _l("Cash to students or parents"),
            cls.STAFF_MEALS: _l("Staff meals"),
            cls.WAGES: _l("Canteen wages or labour"),
            cls.RUNNING_COSTS: _l("Water, power, fuel or equipment"),
            cls.TRANSPORT: _l("Transport"),
            cls.PUBLICITY: _l("Publicity"),
        }

    @property
    def allowed(self):
        return self in (SpendingCategory.FOOD_BOUGHT_DIRECTLY, SpendingCategory.CATERED_MEALS)


class SubsidyCharge(LedgerRecord, SchoolOwned, db.Model):
    """Spending charged to the subsidy other than food issued from the storeroom (which is
    counted from the storeroom's ledger): milk or eggs delivered to the classrooms, meals
    a caterer delivers. Only food for the students' meals may be charged."""

    __tablename__ = "subsidy_charge"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint("category IN ('food_bought_directly', 'catered_meals')", name="category_allowed"),
        sa.Index("ix_subsidy_charge_school_day", "school_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Paid on")))
    category: Mapped[SpendingCategory] = mapped_column(
        enum_type(SpendingCategory, "spending_category"), info=label(_l("Spent on"))
    )
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), info=label(_l("Amount (yuan)")))
    description: Mapped[str] = mapped_column(sa.String(200), info=label(_l("What was bought")))
    # The invoice or voucher number (凭证号).
    voucher: Mapped[str] = mapped_column(sa.String(64), default="", info=label(_l("Voucher number")))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], info=label(_l("Recorded by")))

    def __str__(self):
        return f"{self.day} {self.description} ¥{self.amount}"


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
    month: Mapped[date] = mapped_column(index=True, info=label(_l("Month")))
    student_days: Mapped[int] = mapped_column(info=label(_l("Eligible student-days")))
    entitlement: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), info=label(_l("Subsidy (yuan)")))
    # Enrolment changes recorded since, dated into months already signed this school year,
    # change those months' subsidy: the difference is taken here, never by reopening them.
    earlier_months_change: Mapped[Decimal] = mapped_column(
        sa.Numeric(12, 2), default=Decimal(0), info=label(_l("Changes dated into signed months (yuan)"))
    )
    spending: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), info=label(_l("Food issued (yuan)")))
    # The part of the food issued that fed staff and students without the subsidy: staff meals
    # issued as such, and each day's food split by its diners. The subsidy answers for the rest.
    others_share: Mapped[Decimal] = mapped_column(
        sa.Numeric(12, 2),
        default=Decimal(0),
        server_default="0",
        info=label(_l("Share of staff and students without the subsidy (yuan)")),
    )
    # Other spending charged to the subsidy (SubsidyCharge): food not from the storeroom.
    other_spending: Mapped[Decimal] = mapped_column(
        sa.Numeric(12, 2), default=Decimal(0), server_default="0", info=label(_l("Other spending charged (yuan)"))
    )
    tolerance: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), info=label(_l("Tolerance (yuan)")))
    explanation: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Explanation")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Added")))
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))

    signed_by: Mapped[User | None] = relationship(info=label(_l("Signed by")))

    def __str__(self):
        return self.month.strftime("%Y-%m")

    @property
    def difference(self):
        """Spent less than entitled is positive (少支), more is negative (超支)."""
        return self.subsidy - self.total_spending

    @property
    def subsidy(self):
        """The month's subsidy with what changes dated into earlier signed months did to theirs."""
        return self.entitlement + (self.earlier_months_change or Decimal(0))

    @property
    def total_spending(self):
        return self.students_share + (self.other_spending or Decimal(0))

    @property
    def students_share(self):
        """The eligible students' share of the food issued."""
        return self.spending - (self.others_share or Decimal(0))

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


register(RecordKind("enrolment_changes", EnrolmentChange, _l("Enrolment changes"), _l("Enrolment change")))
register(RecordKind("daily_reports", DailyReport, _l("Daily nutrition reports"), _l("Daily nutrition report")))
register(
    RecordKind(
        "subsidy_charges",
        SubsidyCharge,
        _l("Other spending charged to the subsidy"),
        _l("Spending charged to the subsidy"),
    )
)
register(
    RecordKind(
        "reconciliations",
        Reconciliation,
        _l("Monthly subsidy reconciliations"),
        _l("Monthly subsidy reconciliation"),
        locks=SIGNATURE,
        day_attribute="month",
    )
)
