"""School hours: a prompt goes out in them; one found outside waits for the next school morning."""

from datetime import timedelta

from ..due import at
from ..timeutil import school_now

# School hours are looked for this far ahead (a holiday).
OPENING_SEARCH_DAYS = 40


def in_school_hours(settings, calendar, school, now):
    local = school_now(school, now)
    return calendar.is_school_day(local.date()) and settings.messages_from <= local.time() < settings.messages_until


def next_opening(settings, calendar, school, now):
    """Now, in school hours; else the next school day's start of school hours (or tomorrow's,
    when the calendar shows none ahead)."""
    if in_school_hours(settings, calendar, school, now):
        return now
    today = school_now(school, now).date()
    for offset in range(OPENING_SEARCH_DAYS):
        day = today + timedelta(days=offset)
        opening = at(day, settings.messages_from, school)
        if opening > now and calendar.is_school_day(day):
            return opening
    return at(today + timedelta(days=1), settings.messages_from, school)
