"""Time: stored in UTC, shown and reasoned about in the school's time zone."""

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"
# The zones a school in China keeps its day in: Beijing time, and Xinjiang time where a
# school keeps it. A school's zone is one of these, never typed.
SCHOOL_TIMEZONES = ("Asia/Shanghai", "Asia/Urumqi")

# The days the portal keeps records for. A date outside is a typing error or a probe, and
# arithmetic near the ends of Python's calendar (year 1, year 9999) would overflow.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)


def in_supported_range(day):
    return EARLIEST_DAY <= day <= LATEST_DAY


def parse_day(text):
    """A YYYY-MM-DD date inside the supported range, or None."""
    try:
        day = date.fromisoformat(str(text or ""))
    except ValueError:
        return None
    return day if in_supported_range(day) else None


def add_months(day, months):
    """The same day ``months`` later (or the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def utcnow():
    return datetime.now(UTC)


def zone(school=None):
    return ZoneInfo(school.timezone if school is not None else DEFAULT_TIMEZONE)


def school_now(school=None, now=None):
    return (now or utcnow()).astimezone(zone(school))


def school_today(school=None, now=None):
    """The school's date at ``now`` (default: this moment)."""
    return school_now(school, now).date()


def start_of_day_utc(day: date, school=None):
    """The UTC instant at which ``day`` begins in the school's time zone."""
    return datetime.combine(day, time.min, tzinfo=zone(school)).astimezone(UTC)


def day_range_utc(first: date, last: date, school=None):
    """[start, end) in UTC covering the school days first..last inclusive."""
    return start_of_day_utc(first, school), start_of_day_utc(last + timedelta(days=1), school)
