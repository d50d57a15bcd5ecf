"""应急演练: a drill of the school's food-safety emergency plan (a posted rule, with its versions
and the staff's confirmations): the day, the scenario practised, who took part, and what was
found, which becomes a rectification task like any problem found in a ledger."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .ledger import LedgerRecord
from .registry import RecordKind, register
from .rule import Rule
from .tenancy import SchoolOwned
from .types import UTCDateTime, label
from .user import User


class EmergencyDrill(LedgerRecord, SchoolOwned, db.Model):
    __tablename__ = "emergency_drill"
    __table_args__ = (sa.CheckConstraint("participant_count >= 2", name="more_than_one_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("rule.id", ondelete="RESTRICT"), index=True)
    scenario: Mapped[str] = mapped_column(sa.Text, info=label(_l("Scenario practised")))
    participants: Mapped[str] = mapped_column(sa.Text, info=label(_l("Who took part")))
    participant_count: Mapped[int] = mapped_column(info=label(_l("People taking part")))
    findings: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("What was found")))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    plan: Mapped[Rule] = relationship(info=label(_l("Emergency plan")))
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], info=label(_l("Recorded by")))

    def __str__(self):
        return f"{self.day} {self.scenario[:30]}"

    @property
    def found_by_id(self):
        return self.recorded_by_id


register(
    RecordKind(
        "emergency_drills",
        EmergencyDrill,
        _l("Emergency drills"),
        _l("Emergency drill"),
        raises_tasks=True,
    )
)
