"""The canteen's rooms: disinfected on a schedule, and checked for the four preventions
(四防: rodents, flies and mosquitoes, insects, dust) on another."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .ledger import LedgerRecord
from .registry import RecordKind, register
from .station import Station
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User


class RoomKind(LabelledEnum):
    STOREROOM = "storeroom"
    KITCHEN = "kitchen"
    DINING_HALL = "dining_hall"

    @classmethod
    def _labels(cls):
        return {cls.STOREROOM: _l("Storeroom"), cls.KITCHEN: _l("Kitchen room"), cls.DINING_HALL: _l("Dining hall")}


# The four preventions, in the order of the paper form: column on PreventionCheck -> label.
PREVENTIONS = {
    "rodents_ok": _l("Rodents"),
    "flies_ok": _l("Flies and mosquitoes"),
    "insects_ok": _l("Insects"),
    "dust_ok": _l("Dust"),
}


# Rooms are disinfected and checked weekly unless the school sets another interval per room.
WEEKLY = 7


class CanteenRoom(SchoolOwned, Station, db.Model):
    __tablename__ = "canteen_room"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "name"),
        sa.CheckConstraint("disinfection_every_days BETWEEN 1 AND 366", name="disinfection_every_days_range"),
        sa.CheckConstraint("prevention_every_days BETWEEN 1 AND 366", name="prevention_every_days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), index=True, info=label(_l("Room")))
    kind: Mapped[RoomKind] = mapped_column(enum_type(RoomKind, "room_kind"), info=label(_l("Kind")))
    disinfection_every_days: Mapped[int] = mapped_column(default=WEEKLY, info=label(_l("Disinfected every (days)")))
    prevention_every_days: Mapped[int] = mapped_column(
        default=WEEKLY, info=label(_l("Four preventions checked every (days)"))
    )
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("In use")))
    # The schedule starts here: a room never disinfected is due this many days after.
    created_on: Mapped[date] = mapped_column(info=label(_l("Schedule starts")))

    def __str__(self):
        return self.name


def next_due(last_done, every_days, created_on):
    """The day a schedule is next due: ``every_days`` after the last time, or after the
    room was added when it was never done."""
    return (last_done or created_on) + timedelta(days=every_days)


class RoomDisinfection(LedgerRecord, SchoolOwned, db.Model):
    __tablename__ = "room_disinfection"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("canteen_room.id", ondelete="RESTRICT"), index=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    method: Mapped[str] = mapped_column(sa.String(100), info=label(_l("Method")))
    done_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    room: Mapped[CanteenRoom] = relationship(info=label(_l("Room")))
    done_by: Mapped[User] = relationship(foreign_keys=[done_by_id], info=label(_l("Done by")))

    def __str__(self):
        return f"{self.day} {self.room}"


class PreventionCheck(LedgerRecord, SchoolOwned, db.Model):
    """四防 in one room on one day; anything not in order is a rectification task."""

    __tablename__ = "prevention_check"
    __table_args__ = (
        sa.CheckConstraint(
            "(rodents_ok AND flies_ok AND insects_ok AND dust_ok) OR length(trim(problems)) > 0",
            name="failed_has_problems",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("canteen_room.id", ondelete="RESTRICT"), index=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    rodents_ok: Mapped[bool] = mapped_column(info=label(_l("Rodents")))
    flies_ok: Mapped[bool] = mapped_column(info=label(_l("Flies and mosquitoes")))
    insects_ok: Mapped[bool] = mapped_column(info=label(_l("Insects")))
    dust_ok: Mapped[bool] = mapped_column(info=label(_l("Dust")))
    problems: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Problems found")))
    checked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    room: Mapped[CanteenRoom] = relationship(info=label(_l("Room")))
    checked_by: Mapped[User] = relationship(foreign_keys=[checked_by_id], info=label(_l("Checker")))

    def __str__(self):
        return f"{self.day} {self.room}"

    @property
    def found_by_id(self):
        return self.checked_by_id

    @hybrid_property
    def passed(self):
        return all(getattr(self, key) for key in PREVENTIONS)

    @passed.expression
    def passed(cls):
        return sa.and_(*(getattr(cls, key) for key in PREVENTIONS))

    @property
    def failed_preventions(self):
        return [label for key, label in PREVENTIONS.items() if not getattr(self, key)]


register(RecordKind("room_disinfections", RoomDisinfection, _l("Room disinfection"), _l("Room disinfection")))
register(
    RecordKind(
        "prevention_checks",
        PreventionCheck,
        _l("Four preventions"),
        _l("Four-preventions check"),
        raises_tasks=True,
    )
)
