"""Time: stored in UTC, shown and reasoned about in the school's time zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"


def utcnow():
    return datetime.now(UTC)


def zone(school=None):
    return ZoneInfo(school.timezone if school is not None else DEFAULT_TIMEZONE)


def school_now(school=None):
    return utcnow().astimezone(zone(school))


def school_today(school=None):
    return school_now(school).date()


def start_of_day_utc(day: date, school=None):
    """The UTC instant at which ``day`` begins in the school's time zone."""
    return datetime.combine(day, time.min, tzinfo=zone(school)).astimezone(UTC)


def day_range_utc(first: date, last: date, school=None):
    """[start, end) in UTC covering the school days first..last inclusive."""
    return start_of_day_utc(first, school), start_of_day_utc(last + timedelta(days=1), school)
