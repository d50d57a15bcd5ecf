"""The compliance dashboard: was the cadence kept, and was every problem fixed the same day?

A constant number of queries whatever the number of inspections: assignments, tasks and
the calendar are each read once for the range and counted in Python.
"""

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from .. import charts, figures
from ..extensions import db
from ..models.cadence import Assignment, AssignmentState, AssignmentStatus, CadenceRule, Period
from ..models.inspection import Inspection, InspectionStatus
from ..models.rectification import RectificationTask, TaskStatus
from ..timeutil import day_range_utc, school_today, utcnow, zone
from . import accompanied_meals, dormitory, food_safety, survey_requirement
from . import calendar as school_calendar


@dataclass
class Count:
    required: int = 0
    done: int = 0
    missed: int = 0
    excused: int = 0
    open: int = 0

    def add(self, state, number=1):
        self.required += number
        name = "open" if state is AssignmentState.IN_PROGRESS else state.value
        setattr(self, name, getattr(self, name) + number)

    @property
    def ok(self):
        return self.missed == 0


@dataclass
class PeriodCount:
    start: object
    end: object
    count: Count = field(default_factory=Count)


@dataclass
class RuleCompliance:
    rule: CadenceRule
    total: Count = field(default_factory=Count)
    periods: list = field(default_factory=list)


@dataclass
class TaskStats:
    found: int = 0
    open: int = 0
    overdue: int = 0
    rectified: int = 0
    same_day: int = 0
    extended: int = 0
    median_hours: float | None = None

    @property
    def same_day_percent(self):
        return round(100 * self.same_day / self.found) if self.found else None


@dataclass
class Compliance:
    school: object
    first: object
    last: object
    rules: list
    tasks: TaskStats
    backlog: int
    days: list  # [(date, colour)] colour: no_school | done | missed | excused | open
    # 周排查 and 月调度: ended weeks and months of the range without a signed record.
    food_safety: food_safety.Cadence
    parent_meals: "ParentMeals"
    # Boarding days of the range on which no dormitory room was checked (None: no rooms).
    dorm_unchecked: list | None = None
    # Surveys answered in the semester of the range's end, against the school's setting.
    surveys: object = None  # survey_requirement.SemesterSurveys
    # [(figures.Figure, its counts)]: pesticide tests, incidents, complaints...
    figures: list = field(default_factory=list)
    # {monday: (inspections missed, tasks not fixed the day they were found)} of the range's weeks
    # up to this one.
    weeks: dict = field(default_factory=dict)

    def weeks_chart(self):
        """The weeks' missed inspections and late tasks as a chart, for a range of two weeks or more."""
        if len(self.weeks) < 2:
            return None
        mondays = sorted(self.weeks)
        return charts.bar_chart(
            _l("Gaps per week"),
            [f"{monday.month}-{monday.day}" for monday in mondays],
            [
                (_l("Inspections missed"), [self.weeks[monday][0] for monday in mondays]),
                (_l("Tasks not fixed the same day"), [self.weeks[monday][1] for monday in mondays]),
            ],
        )


@dataclass
class ParentMeals:
    """Parent accompanied meals in the term of the range's end, against the school's setting."""

    held: int
    expected: int

    @property
    def ok(self):
        return self.held >= self.expected


def figures_of(counts, school_id):
    return [(figure, counts[figure.key][school_id]) for figure in figures.figures()]


def window_state(status, ended):
    if status is AssignmentStatus.EXCUSED:
        return AssignmentState.EXCUSED
    if status is AssignmentStatus.DONE:
        return AssignmentState.DONE
    return AssignmentState.MISSED if ended else AssignmentState.OPEN


def compute(school, first, last, today=None):
    today = today or school_today(school)
    rules = db.session.scalars(
        sa.select(CadenceRule).where(CadenceRule.school_id == school.id).order_by(CadenceRule.id)
    ).all()
    rows = db.session.execute(
        sa.select(Assignment.rule_id, Assignment.window_start, Assignment.window_end, Assignment.status).where(
            Assignment.school_id == school.id, Assignment.window_start <= last, Assignment.window_end >= first
        )
    ).all()
    by_rule = {rule.id: RuleCompliance(rule) for rule in rules}
    periods = {}
    daily_states = {}
    missed = Counter()
    for row in rows:
        state = window_state(row.status, row.window_end < today)
        if row.window_start > today:
            continue  # not due yet: required-so-far counts windows that have begun
        # A miss counts in the week its window ended (as the county's day summaries count it).
        missed[school_calendar.monday_of(min(row.window_end, last))] += state is AssignmentState.MISSED
        summary = by_rule[row.rule_id]
        summary.total.add(state)
        key = (row.rule_id, row.window_start)
        if key not in periods:
            periods[key] = PeriodCount(row.window_start, row.window_end)
            summary.periods.append(periods[key])
        periods[key].count.add(state)
        if summary.rule.period is Period.DAY:
            daily_states.setdefault(row.window_start, []).append(state)
    for summary in by_rule.values():
        summary.periods.sort(key=lambda p: p.start)
    calendar = school_calendar.load(school.id, first, last)
    tasks, late = _task_stats(school, first, last)
    return Compliance(
        school=school,
        first=first,
        last=last,
        rules=[summary for summary in by_rule.values() if summary.total.required or summary.rule.active],
        tasks=tasks,
        backlog=db.session.scalar(
            sa.select(sa.func.count()).where(
                Inspection.school_id == school.id, Inspection.status == InspectionStatus.READY_FOR_SIGN_OFF
            )
        ),
        days=[
            (day, _colour(calendar, day, daily_states.get(day, [])))
            for day in school_calendar.days_between(first, last)
        ],
        food_safety=food_safety.cadence(school, first, last, today),
        parent_meals=parent_meals(school, min(last, today)),
        dorm_unchecked=dormitory.unchecked_days(school, first, last) if dormitory.rooms_of(school.id) else None,
        surveys=survey_requirement.of_term(school, school_calendar.current_term(school.id, min(last, today))),
        figures=figures_of(figures.counts_many([school.id], first, last), school.id),
        weeks={monday: (missed[monday], late[monday]) for monday in mondays_between(first, min(last, today))},
    )


def task_counts(schools, first, last):
    """{school id: TaskStats} without the median (the county table does not show it). Same
    day: before the end of the day found (the original deadline), never extended."""
    start, end = day_range_utc(first, last, schools[0])
    is_open = RectificationTask.status == TaskStatus.OPEN
    same_day = sa.and_(
        RectificationTask.extension_count == 0,
        RectificationTask.rectified_at < RectificationTask.original_deadline,
    )
    counted = db.session.execute(
        sa.select(
            RectificationTask.school_id,
            sa.func.count(),
            sa.func.count().filter(is_open),
            sa.func.count().filter(is_open, RectificationTask.deadline <= utcnow()),
            sa.func.count().filter(RectificationTask.rectified_at.is_not(None)),
            sa.func.count().filter(same_day),
            sa.func.count().filter(RectificationTask.extension_count > 0),
        )
        .where(
            RectificationTask.school_id.in_([school.id for school in schools]),
            RectificationTask.found_at >= start,
            RectificationTask.found_at < end,
        )
        .group_by(RectificationTask.school_id)
    )
    return {
        school_id: TaskStats(found, open_, overdue, rectified, same, extended)
        for school_id, found, open_, overdue, rectified, same, extended in counted
    }


def parent_meals(school, day):
    term = school_calendar.current_term(school.id, day)
    held = accompanied_meals.parent_meal_count(school.id, term.starts_on, term.ends_on) if term else 0
    return ParentMeals(held, school.settings.parent_meals_per_term)


def _colour(calendar, day, states):
    if not calendar.is_school_day(day):
        return "no_school"
    if AssignmentState.MISSED in states:
        return "missed"
    if AssignmentState.OPEN in states or AssignmentState.IN_PROGRESS in states:
        return "open"
    if AssignmentState.EXCUSED in states:
        return "excused"
    return "done" if states else "open"


def mondays_between(first, last):
    return sorted({school_calendar.monday_of(day) for day in school_calendar.days_between(first, last)})


def _task_stats(school, first, last):
    start, end = day_range_utc(first, last, school)
    rows = db.session.execute(
        sa.select(
            RectificationTask.status,
            RectificationTask.found_at,
            RectificationTask.deadline,
            RectificationTask.original_deadline,
            RectificationTask.rectified_at,
            RectificationTask.extension_count,
        ).where(
            RectificationTask.school_id == school.id,
            RectificationTask.found_at >= start,
            RectificationTask.found_at < end,
        )
    ).all()
    now, tz = utcnow(), zone(school)
    stats = TaskStats(found=len(rows))
    hours, late = [], Counter()
    for row in rows:
        # 整改不过夜: late once the day it was found is over without the fix.
        if (row.rectified_at or now) >= row.original_deadline:
            late[school_calendar.monday_of(max(row.found_at.astimezone(tz).date(), first))] += 1
        if row.status is TaskStatus.OPEN:
            stats.open += 1
            stats.overdue += row.deadline <= now
        if row.rectified_at is not None:
            stats.rectified += 1
            hours.append((row.rectified_at - row.found_at) / timedelta(hours=1))
            # An extended task never counts as rectified the same day (整改不过夜).
            stats.same_day += row.extension_count == 0 and (
                row.rectified_at.astimezone(tz).date() == row.found_at.astimezone(tz).date()
            )
        stats.extended += row.extension_count > 0
    stats.median_hours = round(statistics.median(hours), 1) if hours else None
    return stats, late


def default_range(school, today=None):
    """The current school week (Monday to Sunday)."""
    today = today or school_today(school)
    monday = school_calendar.monday_of(today)
    return monday, monday + timedelta(days=6)


def term_range(school, today=None, terms=None):
    """The current term; ``terms`` ({school id: term}, from calendar.current_terms) saves
    the query when many schools are asked for."""
    today = today or school_today(school)
    term = terms.get(school.id) if terms is not None else school_calendar.current_term(school.id, today)
    if term is None:
        return default_range(school, today)
    return term.starts_on, term.ends_on
