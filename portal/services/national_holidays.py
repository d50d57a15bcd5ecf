"""The national holidays and make-up working days (调休) the State Council announces each year,
from the chinesecalendar package, proposed for a school's calendar. The school admin reviews the
proposal and saves the days that apply; the school's own calendar stays the record, and a day it
already lists is never changed by a proposal."""

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
import sqlalchemy as sa
from chinese_calendar.constants import Holiday, holidays

from ..extensions import db
from ..models.calendar import CalendarDay, DayKind
from . import planning


@dataclass(frozen=True)
class ProposedDay:
    day: date
    kind: DayKind
    note: str
    # The school's own entry for that day, which stays as it is.
    listed: CalendarDay | None = None


def known_years():
    """The years the installed package knows (each is added once the State Council announces it)."""
    return range(min(holidays).year, max(holidays).year + 1)


def proposal(school_id, year):
    """The year's holidays on weekdays and make-up days on weekends, beside the school's own
    entries; None for a year the package does not know."""
    if year not in known_years():
        return None
    first, last = date(year, 1, 1), date(year, 12, 31)
    listed = {
        entry.day: entry
        for entry in db.session.scalars(
            sa.select(CalendarDay).where(CalendarDay.school_id == school_id, CalendarDay.day.between(first, last))
        )
    }
    proposed = []
    day = first
    while day <= last:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        festival = Holiday(name).chinese if name else ""
        if is_holiday and name and day.weekday() < 5:
            proposed.append(ProposedDay(day, DayKind.HOLIDAY, festival, listed.get(day)))
        elif not is_holiday and day.weekday() >= 5:
            proposed.append(ProposedDay(day, DayKind.MAKEUP_DAY, f"{festival}调休", listed.get(day)))
        day += timedelta(days=1)
    return proposed


def fill(actor, school, proposed, chosen_days):
    """Adds the chosen proposed days the school does not list yet; returns how many. One plan
    of the weeks ahead afterwards, not one per day."""
    added = [
        CalendarDay(school_id=school.id, day=entry.day, kind=entry.kind, note=entry.note)
        for entry in proposed
        if entry.day in chosen_days and entry.listed is None
    ]
    planning.add_days(actor, school, added)
    return len(added)
