"""周排查、月调度: the weekly risk report the food-safety manager signs and the monthly
dispatch meeting's minutes the principal signs. Signed means frozen (models/frozen.py)."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .registry import SIGNATURE, RecordKind, register
from .tenancy import SchoolOwned
from .types import UTCDateTime, label
from .user import User


class SignedRecord:
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Signed at")))

    @property
    def is_signed(self):
        return self.signed_at is not None


class RiskReport(SignedRecord, SchoolOwned, db.Model):
    __tablename__ = "risk_report"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "week_start"),
        sa.CheckConstraint("(signed_at IS NULL) = (signed_by_id IS NULL)", name="signed_has_signer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Monday of the week reported on.
    week_start: Mapped[date] = mapped_column(index=True, info=label(_l("Week of")))
    # What the portal found in the week's records, written when the draft was made.
    draft: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("From the records")))
    risks_found: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Risks found")))
    measures: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Measures")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))

    signed_by: Mapped[User | None] = relationship(info=label(_l("Signed by")))

    def __str__(self):
        return f"{self.week_start}"

    def can_complete(self, user):
        """The school's food-safety manager completes and signs the week's report."""
        return not self.is_signed and user.school_id == self.school_id and user.can("report.sign")


class DispatchMeeting(SignedRecord, SchoolOwned, db.Model):
    __tablename__ = "dispatch_meeting"
    __table_args__ = (sa.CheckConstraint("(signed_at IS NULL) = (signed_by_id IS NULL)", name="signed_has_signer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True, info=label(_l("Held on")))
    attendees: Mapped[str] = mapped_column(sa.Text, info=label(_l("Attendees")))
    issues: Mapped[str] = mapped_column(sa.Text, info=label(_l("Issues")))
    decisions: Mapped[str] = mapped_column(sa.Text, info=label(_l("Decisions")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))

    signed_by: Mapped[User | None] = relationship(info=label(_l("Signed by")))

    def __str__(self):
        return f"{self.held_on}"

    def can_edit(self, user):
        return not self.is_signed and user.school_id == self.school_id and user.can("meeting.record")

    def can_sign(self, user):
        return not self.is_signed and user.school_id == self.school_id and user.can("meeting.sign")


register(
    RecordKind(
        "risk_reports",
        RiskReport,
        _l("Weekly risk reports"),
        _l("Weekly risk report"),
        locks=SIGNATURE,
        day_attribute="week_start",
    )
)
register(
    RecordKind(
        "dispatch_meetings",
        DispatchMeeting,
        _l("Monthly dispatch meetings"),
        _l("Monthly dispatch meeting"),
        locks=SIGNATURE,
        day_attribute="held_on",
    )
)
