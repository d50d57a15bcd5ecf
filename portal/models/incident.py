"""食品安全事故 / 疑似食物中毒: what happened and what was done at once (care for the ill, supply
stopped, the food, samples and tools sealed), and when the county's education office and its
market-regulation office were told: within 2 hours of its finding (《突发公共卫生事件应急条例》
第十九、二十条, which name food poisoning; 《学校食品安全与营养健康管理规定》(2019) has the school
report to both). The follow-up (the cause found, the outcome) is written later; the principal
signs once it is, and only then does the report lock."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .food_safety import SignedRecord
from .registry import SIGNATURE, RecordKind, register
from .tenancy import SchoolOwned
from .types import UTCDateTime, label
from .user import User

REPORT_WITHIN = timedelta(hours=2)


class FoodIncident(SignedRecord, SchoolOwned, db.Model):
    __tablename__ = "food_incident"
    __table_args__ = (
        sa.CheckConstraint("ill_count >= 1", name="someone_ill"),
        sa.CheckConstraint("(signed_at IS NULL) = (signed_by_id IS NULL)", name="signed_has_signer"),
        sa.CheckConstraint("signed_at IS NULL OR length(trim(follow_up)) > 0", name="signed_after_follow_up"),
        sa.CheckConstraint(
            "signed_at IS NULL OR (education_told_at IS NOT NULL AND market_told_at IS NOT NULL)",
            name="signed_after_both_told",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, info=label(_l("Found at")))
    # The school's date of ``found_at``.
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    ill_count: Mapped[int] = mapped_column(info=label(_l("People ill")))
    what_happened: Mapped[str] = mapped_column(sa.Text, info=label(_l("What happened")))
    actions: Mapped[str] = mapped_column(sa.Text, info=label(_l("What was done at once")))
    sealed: Mapped[str] = mapped_column(sa.Text, info=label(_l("Food, samples and tools sealed")))
    education_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Education office told at")))
    market_told_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, info=label(_l("Market-regulation office told at"))
    )
    follow_up: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Follow-up")))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Added")))
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], info=label(_l("Recorded by")))
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id], info=label(_l("Signed by")))

    def __str__(self):
        return f"{self.day} {self.ill_count}"

    @property
    def report_due(self):
        return self.found_at + REPORT_WITHIN

    def told_late(self, told_at, now=None):
        """Told after the 2 hours, or not told when they are over (the routine escalates then)."""
        if told_at is not None:
            return told_at > self.report_due
        return (now or utcnow()) >= self.report_due

    def late(self, now=None):
        return self.told_late(self.education_told_at, now) or self.told_late(self.market_told_at, now)

    @property
    def both_told(self):
        return self.education_told_at is not None and self.market_told_at is not None

    def can_sign(self, user):
        return (
            not self.is_signed
            and user.school_id == self.school_id
            and user.can("incident.sign")
            and self.both_told
            and bool(self.follow_up.strip())
        )


register(
    RecordKind(
        "food_incidents",
        FoodIncident,
        _l("Food-safety incidents"),
        _l("Food-safety incident report"),
        locks=SIGNATURE,
    )
)
