"""School days: Monday to Friday inside a term, minus holidays, plus make-up days (调休)."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models.calendar import CalendarDay, DayKind, Term


def monday_of(day):
    return day - timedelta(days=day.weekday())


def days_between(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass
class SchoolCalendar:
    terms: list
    exceptions: dict

    def __post_init__(self):
        self._spans = [(term.starts_on, term.ends_on) for term in self.terms]  # read often: plain dates

    def term_of(self, day):
        return next((term for term in self.terms if term.covers(day)), None)

    def is_school_day(self, day):
        kind = self.exceptions.get(day)
        if kind is DayKind.HOLIDAY or not any(first <= day <= last for first, last in self._spans):
            return False
        return kind is DayKind.MAKEUP_DAY or day.weekday() < 5

    def is_canteen_day(self, day):
        kind = self.exceptions.get(day)
        if kind is DayKind.CANTEEN_CLOSED:
            return False
        return kind is DayKind.CANTEEN_OPEN or self.is_school_day(day)

    def school_days(self, first, last):
        return [day for day in days_between(first, last) if self.is_school_day(day)]

    def has_school_day(self, first, last):
        day = first
        while day <= last:
            if self.is_school_day(day):
                return True
            day += timedelta(days=1)
        return False


def load(school_id, first, last):
    """The calendar of one school for first..last, in two queries."""
    return load_many([school_id], first, last)[school_id]


def load_many(school_ids, first, last):
    """{school id: calendar} for first..last, in two queries whatever the number of schools."""
    terms = db.session.scalars(
        sa.select(Term)
        .where(Term.school_id.in_(school_ids), Term.starts_on <= last, Term.ends_on >= first)
        .order_by(Term.starts_on)
    ).all()
    terms_of, exceptions_of = {school_id: [] for school_id in school_ids}, {school_id: {} for school_id in school_ids}
    for term in terms:
        terms_of[term.school_id].append(term)
    for school_id, day, kind in db.session.execute(
        sa.select(CalendarDay.school_id, CalendarDay.day, CalendarDay.kind).where(
            CalendarDay.school_id.in_(school_ids), CalendarDay.day.between(first, last)
        )
    ):
        exceptions_of[school_id][day] = kind
    calendars = {school_id: SchoolCalendar(terms_of[school_id], exceptions_of[school_id]) for school_id in school_ids}
    return calendars


def current_term(school_id, today):
    """The term that includes today, else the most recent one that started, else None."""
    return current_terms([school_id], today).get(school_id)


def current_terms(school_ids, today):
    """{school id: its current term} in one query; a school without a term is left out."""
    latest = (
        sa.select(Term.school_id, sa.func.max(Term.starts_on).label("starts_on"))
        .where(Term.school_id.in_(school_ids), Term.starts_on <= today)
        .group_by(Term.school_id)
        .subquery()
    )
    terms = db.session.scalars(
        sa.select(Term).join(
            latest, sa.and_(Term.school_id == latest.c.school_id, Term.starts_on == latest.c.starts_on)
        )
    )
    return {term.school_id: term for term in terms}


def school_year_of(today):
    """The school year (September to August) that contains today."""
    start_year = today.year if today.month >= 9 else today.year - 1
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)
