"""The moments a date-sensitive test must also pass at.

A test marked ``clock`` takes its dates from the school's today, never from a date written
into it. ``make test`` runs each such test once at the real time and once at each moment
below, with the clock moved there by time-machine (and ticking on from there).

The moments lie ahead of the real time, because the database keeps its own clock (the lock
triggers compare with SQLite's and PostgreSQL's "now"): a record made at a moment in the
past would already be locked in the database's eyes. They are computed from today, so the
set is the same kind of day whenever the suite runs.

A holiday is a holiday because the school's calendar says so: at the "holiday" and
"makeup_saturday" moments every school the factories create has the National Day week
(1 to 7 October) as holidays and the Saturday after it as a make-up school day, as the
State Council's notice sets them most years.
"""

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Moment:
    name: str
    at: datetime
    # {day: DayKind value} every new school's calendar holds at this moment.
    calendar: dict = field(default_factory=dict)


def _in_shanghai(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI).astimezone(UTC)


def _next(today, month, day):
    """The next ``month``-``day`` after ``today``."""
    year = today.year
    while True:
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 February in a common year
            year += 1
            continue
        if candidate > today:
            return candidate
        year += 1


def _national_day_week(first):
    makeup_saturday = first + timedelta(days=7)
    while makeup_saturday.weekday() != 5:
        makeup_saturday += timedelta(days=1)
    week = {first + timedelta(days=n): "holiday" for n in range(7)}
    return week | {makeup_saturday: "makeup_day"}, makeup_saturday


def moments(now=None):
    now = now or datetime.now(UTC)
    today = now.astimezone(SHANGHAI).date()
    sunday = today + timedelta(days=6 - today.weekday() or 7)
    national_day = _next(today, 10, 1)
    week, makeup_saturday = _national_day_week(national_day)
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    month_end = next_month.replace(day=calendar.monthrange(next_month.year, next_month.month)[1])
    new_year = _next(today, 1, 1)
    return [
        # Sunday 05:00 in Shanghai is Saturday 21:00 UTC: the moment CI once failed at.
        Moment("sunday", _in_shanghai(sunday, 5)),
        Moment("holiday", _in_shanghai(national_day, 10), week),
        Moment("makeup_saturday", _in_shanghai(makeup_saturday, 10), week),
        Moment("month_end", _in_shanghai(month_end, 23, 30)),
        Moment("month_start", _in_shanghai(month_end + timedelta(days=1), 0, 30)),
        Moment("year_end", _in_shanghai(new_year - timedelta(days=1), 23, 30)),
        Moment("year_start", _in_shanghai(new_year, 0, 30)),
        Moment("leap_day", _in_shanghai(_next(today, 2, 29), 12)),
        # 17:00 UTC: the server's date is still today, Shanghai's is already tomorrow.
        Moment("shanghai_ahead", datetime.combine(now.date() + timedelta(days=1), time(17), tzinfo=UTC)),
    ]


# The moment the running test was moved to, or None at the real time.
current = None


def school_calendar():
    return current.calendar if current is not None else {}
