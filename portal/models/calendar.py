"""The school calendar: terms, and the days that differ from Monday-to-Friday-in-term."""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .tenancy import SchoolOwned
from .types import LabelledEnum, enum_type, label


class Term(SchoolOwned, db.Model):
    __tablename__ = "term"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), info=label(_l("Term")))
    starts_on: Mapped[date] = mapped_column(index=True, info=label(_l("Starts on")))
    ends_on: Mapped[date] = mapped_column(info=label(_l("Ends on")))

    def __str__(self):
        return self.name

    def covers(self, day):
        return self.starts_on <= day <= self.ends_on


class DayKind(LabelledEnum):
    HOLIDAY = "holiday"
    MAKEUP_DAY = "makeup_day"
    CANTEEN_CLOSED = "canteen_closed"
    CANTEEN_OPEN = "canteen_open"

    @classmethod
    def _labels(cls):
        return {
            cls.HOLIDAY: _l("Holiday (no school)"),
            cls.MAKEUP_DAY: _l("Make-up school day (调休)"),
            cls.CANTEEN_CLOSED: _l("School day, canteen closed"),
            cls.CANTEEN_OPEN: _l("No school, canteen open"),
        }


class CalendarDay(SchoolOwned, db.Model):
    """A day that differs from the default: Monday to Friday inside a term is a school day
    with the canteen open."""

    __tablename__ = "calendar_day"
    __table_args__ = (sa.UniqueConstraint("school_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    kind: Mapped[DayKind] = mapped_column(enum_type(DayKind, "day_kind"), info=label(_l("What the day is")))
    note: Mapped[str] = mapped_column(sa.String(200), default="", info=label(_l("Note")))

    def __str__(self):
        return f"{self.day.isoformat()} {self.kind.label}"
