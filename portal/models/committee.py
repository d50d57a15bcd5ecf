"""The parents' meal-supervision committee (膳食监督家长委员会): its members each school year
and its activities (acceptance checks, tastings, safety checks, tenders, the publication of
the canteen's accounts) with the members present and what they found; a finding becomes a
rectification task like any other. An activity is a ledger record: it locks like every
ledger, and the names of those present are kept in it as they were that day."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .ledger import LedgerRecord
from .registry import RecordKind, register
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User


class CommitteeMember(SchoolOwned, db.Model):
    __tablename__ = "committee_member"
    __table_args__ = (sa.CheckConstraint("school_year BETWEEN 2000 AND 2100", name="school_year_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The school year from its September: 2026 is 2026–2027.
    school_year: Mapped[int] = mapped_column(index=True, info=label(_l("School year (its September)")))
    name: Mapped[str] = mapped_column(sa.String(50), index=True, info=label(_l("Parent")))
    # The class of the member's child.
    class_name: Mapped[str] = mapped_column(sa.String(40), default="", info=label(_l("Child's class")))
    contact: Mapped[str] = mapped_column(sa.String(30), default="", info=label(_l("Telephone")))
    chair: Mapped[bool] = mapped_column(default=False, info=label(_l("Chair")))
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("Active")))

    def __str__(self):
        return self.name


class ActivityKind(LabelledEnum):
    ACCEPTANCE = "acceptance"
    TASTING = "tasting"
    SAFETY_CHECK = "safety_check"
    TENDER = "tender"
    ACCOUNTS = "accounts"

    @classmethod
    def _labels(cls):
        return {
            cls.ACCEPTANCE: _l("Acceptance check of a delivery"),
            cls.TASTING: _l("Tasting"),
            cls.SAFETY_CHECK: _l("Food-safety check"),
            cls.TENDER: _l("Tender or supplier choice"),
            cls.ACCOUNTS: _l("Publication of the canteen's accounts"),
        }


class CommitteeActivity(LedgerRecord, SchoolOwned, db.Model):
    __tablename__ = "committee_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    kind: Mapped[ActivityKind] = mapped_column(
        enum_type(ActivityKind, "activity_kind"), info=label(_l("What the committee did"))
    )
    # [{"id": member id, "name": the name that day}]
    present: Mapped[list] = mapped_column(sa.JSON, default=list, info=label(_l("Members present")))
    findings: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Findings")))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], info=label(_l("Recorded by")))

    def __str__(self):
        return f"{self.day} {self.kind.label}"

    @property
    def found_by_id(self):
        return self.recorded_by_id

    @property
    def present_names(self):
        return "、".join(person["name"] for person in self.present)


register(
    RecordKind(
        "committee_activities",
        CommitteeActivity,
        _l("Parents' meal committee activities"),
        _l("Activity of the parents' meal committee"),
        raises_tasks=True,
    )
)
