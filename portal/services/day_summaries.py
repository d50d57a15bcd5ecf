"""Each school's day summarised for the county (models/day_summary.py).

A day is summarised once its ledger records have locked (``settled_through``): by the routine,
a week of days per school at a time, or for every school at once by
``flask inspections summarise``. A change after that to something the summary counts (an
amendment, an inspection excused, a task fixed late, a holiday moved) summarises its day again
in the same transaction (``SOURCES`` below, whatever path wrote it), so the summary never
disagrees with the records. The county's table (compliance_county.py) reads the summaries of the days they cover
and counts the days after them live.

Each day is summarised by the same queries the live pages run, asked for that one day."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..extensions import db
from ..models.cadence import Assignment, AssignmentState
from ..models.calendar import CalendarDay, Term
from ..models.cold_chain import ColdUnit, TemperatureReading
from ..models.day_summary import DaySummary, RuleDaySummary, SummaryProgress
from ..models.food_safety import DispatchMeeting, RiskReport
from ..models.rectification import RectificationTask
from ..models.school import School
from ..models.training import TrainingSession
from ..timeutil import school_today, utcnow, zone
from . import cold_chain, compliance, food_safety
from .calendar import days_between

COUNTS = tuple(column.key for column in DaySummary.__table__.columns if column.key not in ("school_id", "day"))

# The routine summarises at most this many days of a school per run: a school's history is
# spread over many runs instead of holding up every other school. A school's day costs about
# 24 ms on PostgreSQL, so a week each for 2,000 schools is five minutes of work: a county
# upgrading runs `flask inspections summarise` once (all schools a day at a time, far cheaper).
DAYS_PER_RUN = 7


def settled_through(school, today=None):
    """The last day whose ledger records have all locked (SchoolSettings.ledger_lock_days)."""
    today = today or school_today(school)
    return today - timedelta(days=school.settings.ledger_lock_days + 1)


def summarise(schools, day):
    """Write ``day``'s summary of each school, replacing any there was: a fixed number of
    queries whatever the number of schools."""
    by_zone = defaultdict(list)
    for school in schools:
        by_zone[school.timezone].append(school)
    for same_zone in by_zone.values():
        _summarise(same_zone, day)


def _summarise(schools, day):
    ids = [school.id for school in schools]
    today = school_today(schools[0])
    db.session.execute(sa.delete(DaySummary).where(DaySummary.school_id.in_(ids), DaySummary.day == day))
    db.session.execute(sa.delete(RuleDaySummary).where(RuleDaySummary.school_id.in_(ids), RuleDaySummary.day == day))
    days = {school_id: dict.fromkeys(COUNTS, 0) for school_id in ids}
    rules = defaultdict(lambda: {"done": 0, "missed": 0, "excused": 0})
    for school_id, rule_id, status, number in db.session.execute(
        sa.select(Assignment.school_id, Assignment.rule_id, Assignment.status, sa.func.count())
        .where(Assignment.school_id.in_(ids), Assignment.window_end == day)
        .group_by(Assignment.school_id, Assignment.rule_id, Assignment.status)
    ):
        state = compliance.window_state(status, ended=True)
        rules[school_id, rule_id][state.value] += number  # done, missed or excused
        days[school_id]["inspections_missed"] += number if state is AssignmentState.MISSED else 0
    for school_id, gaps in cold_chain.gaps(schools, day, day).items():
        days[school_id]["readings_missing"] = sum(gap.missing for gap in gaps)
    for school_id, tasks in compliance.task_counts(schools, day, day).items():
        days[school_id].update(
            tasks_found=tasks.found,
            tasks_rectified=tasks.rectified,
            tasks_same_day=tasks.same_day,
            tasks_extended=tasks.extended,
        )
    if day.weekday() == 6:
        for school_id, cadence in food_safety.cadence_many(schools, day - timedelta(days=6), day, today).items():
            days[school_id].update(
                week_counted=len(cadence.weeks),
                risk_report_missing=len(cadence.weeks_missing),
                weekly_meeting_missing=len(cadence.meetings_missing),
            )
    if (day + timedelta(days=1)).day == 1:
        for school_id, cadence in food_safety.cadence_many(schools, day.replace(day=1), day, today).items():
            days[school_id].update(
                month_counted=len(cadence.months), dispatch_meeting_missing=len(cadence.months_missing)
            )
    # Plain inserts, not ORM objects: a county's first summary writes a year of 2,000 schools.
    counted = [
        {"school_id": school_id, "day": day, **counts} for school_id, counts in days.items() if any(counts.values())
    ]
    if counted:
        db.session.execute(sa.insert(DaySummary), counted)
    if rules:
        by_rule = [
            {"school_id": school_id, "rule_id": rule_id, "day": day, **counts}
            for (school_id, rule_id), counts in rules.items()
        ]
        db.session.execute(sa.insert(RuleDaySummary), by_rule)


# --- which days are summarised ------------------------------------------------------------


def coverage(school_ids, lock=False):
    """{school id: (since, through)} of the schools whose days are summarised. ``lock``: for a
    writer, the schools' progress rows locked until commit, so that the routine and a change
    to a summarised day never summarise one school at once (PostgreSQL; SQLite writes one
    transaction at a time anyway)."""
    return {progress.school_id: (progress.since, progress.through) for progress in _progress_of(school_ids, lock)}


def _progress_of(school_ids, lock):
    query = sa.select(SummaryProgress).where(SummaryProgress.school_id.in_(school_ids))
    return db.session.scalars(query.order_by(SummaryProgress.school_id).with_for_update() if lock else query).all()


def catch_up(school, today=None, most=DAYS_PER_RUN):
    """Summarise the school's settled days not yet summarised, oldest first, ``most`` of them.
    Returns how many days were summarised."""
    through = settled_through(school, today)
    progress = next(iter(_progress_of([school.id], lock=True)), None)
    if progress is None:
        progress = SummaryProgress(school_id=school.id, since=first_day(school.id) or through + timedelta(days=1))
        progress.through = progress.since - timedelta(days=1)
        db.session.add(progress)
    days = days_between(progress.through + timedelta(days=1), through)[:most]
    for day in days:
        summarise([school], day)
    if days:
        progress.through, progress.summarised_at = days[-1], utcnow()
    db.session.flush()
    return len(days)


def summarise_all(echo=lambda line: None):
    """Every school's settled days not yet summarised, all schools a day at a time: a county's
    first summary, or after the routine was stopped for a while."""
    schools = db.session.scalars(sa.select(School).order_by(School.id)).all()
    for school in schools:
        catch_up(school, most=0)  # writes the progress of a school summarised for the first time
    progress = {row.school_id: row for row in db.session.scalars(sa.select(SummaryProgress))}
    wanted = {
        school.id: (progress[school.id].through + timedelta(days=1), settled_through(school)) for school in schools
    }
    firsts = [first for first, last in wanted.values() if first <= last]
    if not firsts:
        return 0
    days = days_between(min(firsts), max(last for _first, last in wanted.values()))
    for number, day in enumerate(days, 1):
        due = [school for school in schools if wanted[school.id][0] <= day <= wanted[school.id][1]]
        _progress_of([school.id for school in due], lock=True)
        summarise(due, day)
        for school in due:
            progress[school.id].through = day
        db.session.commit()
        if number % 30 == 0 or number == len(days):
            echo(f"{day}: {len(due)} schools summarised")
    return len(days)


def first_day(school_id):
    """The first day there is something to summarise: the school's first term, inspection
    window or fridge, whichever is earliest."""
    firsts = db.session.execute(
        sa.select(
            sa.select(sa.func.min(Term.starts_on)).where(Term.school_id == school_id).scalar_subquery(),
            sa.select(sa.func.min(Assignment.window_start)).where(Assignment.school_id == school_id).scalar_subquery(),
            sa.select(sa.func.min(ColdUnit.created_on)).where(ColdUnit.school_id == school_id).scalar_subquery(),
        )
    ).one()
    return min((day for day in firsts if day is not None), default=None)


# --- summaries again, when a summarised day changes -----------------------------------------


# What a summary counts, by the fields that say which day a record counts on.
SOURCES = {
    Assignment: ("window_end",),
    RectificationTask: ("found_at",),
    TemperatureReading: ("day",),
    RiskReport: ("week_start",),
    DispatchMeeting: ("held_on",),
    TrainingSession: ("starts_at",),
    CalendarDay: ("day",),
    Term: ("starts_on", "ends_on"),  # a term moved changes whether each of its days is a school day
}
_CHANGED = "day_summaries.changed"


@sa.event.listens_for(Session, "after_flush")
def _note_changed_days(session, _context):
    for record in (*session.new, *session.dirty, *session.deleted):
        fields = SOURCES.get(type(record))
        if fields:
            changed = session.info.setdefault(_CHANGED, set())
            changed.update((record.school_id, when) for when in _days_of(record, fields))


def _days_of(record, fields):
    """The values the record's day fields have, and had before this flush."""
    state = sa.inspect(record)
    values = {value for name in fields for value in (getattr(record, name), *state.attrs[name].history.deleted)}
    values.discard(None)
    if isinstance(record, Term) and values:
        return days_between(min(values), max(values))
    return values


@sa.event.listens_for(Session, "before_commit")
def _summarise_changed_days(session):
    changed = session.info.pop(_CHANGED, None)
    if changed:
        refresh(changed)


def refresh(changed):
    """Summarise again the summarised days that ``changed`` ({(school id, date or UTC
    datetime)}) touches: the day itself, and the Sunday and month's end that count its week
    and month."""
    wanted = defaultdict(set)
    schools = {school_id: db.session.get(School, school_id) for school_id, _when in changed}
    for school_id, when in changed:
        school = schools[school_id]
        day = when.astimezone(zone(school)).date() if isinstance(when, datetime) else when
        if school is not None and day < school_today(school):  # today is never summarised yet
            wanted[school_id] |= {day, day + timedelta(days=6 - day.weekday()), month_end(day)}
    if not wanted:
        return
    covered = coverage(list(wanted), lock=True)
    for school_id, days in wanted.items():
        since, through = covered.get(school_id, (None, None))
        for day in sorted(days):
            if since is not None and since <= day <= through:
                summarise([schools[school_id]], day)


def month_end(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


# --- what the county reads ----------------------------------------------------------------


@dataclass
class Totals:
    """One school's summaries over some days."""

    rules: dict = field(default_factory=dict)  # {rule id: (done, missed, excused)}
    readings_missing: int = 0
    tasks: list = field(default_factory=lambda: [0, 0, 0, 0])  # found, rectified, same day, extended
    weeks: list = field(default_factory=list)  # the Mondays counted, and of them those missing
    risk_reports_missing: list = field(default_factory=list)
    weekly_meetings_missing: list = field(default_factory=list)
    months: list = field(default_factory=list)  # the months counted (their first day), and missing
    dispatch_meetings_missing: list = field(default_factory=list)
    missed_by_day: dict = field(default_factory=dict)  # {day: inspections missed}


def totals(school_ids, first, last):
    """{school id: Totals} of first..last, in three queries whatever the number of days."""
    found = {school_id: Totals() for school_id in school_ids}
    for school_id, rule_id, done, missed, excused in db.session.execute(
        sa.select(
            RuleDaySummary.school_id,
            RuleDaySummary.rule_id,
            sa.func.sum(RuleDaySummary.done),
            sa.func.sum(RuleDaySummary.missed),
            sa.func.sum(RuleDaySummary.excused),
        )
        .where(RuleDaySummary.school_id.in_(school_ids), RuleDaySummary.day.between(first, last))
        .group_by(RuleDaySummary.school_id, RuleDaySummary.rule_id)
    ):
        found[school_id].rules[rule_id] = (done, missed, excused)
    in_range = sa.and_(DaySummary.school_id.in_(school_ids), DaySummary.day.between(first, last))
    for school_id, readings, *tasks in db.session.execute(
        sa.select(
            DaySummary.school_id,
            sa.func.sum(DaySummary.readings_missing),
            sa.func.sum(DaySummary.tasks_found),
            sa.func.sum(DaySummary.tasks_rectified),
            sa.func.sum(DaySummary.tasks_same_day),
            sa.func.sum(DaySummary.tasks_extended),
        )
        .where(in_range)
        .group_by(DaySummary.school_id)
    ):
        found[school_id].readings_missing, found[school_id].tasks = readings, tasks
    # The days that say which weeks and months: their Sundays and last days, and misses.
    dated = db.session.execute(
        sa.select(
            DaySummary.school_id,
            DaySummary.day,
            DaySummary.inspections_missed,
            DaySummary.week_counted,
            DaySummary.risk_report_missing,
            DaySummary.weekly_meeting_missing,
            DaySummary.month_counted,
            DaySummary.dispatch_meeting_missing,
        )
        .where(in_range, (DaySummary.week_counted + DaySummary.month_counted + DaySummary.inspections_missed) > 0)
        .order_by(DaySummary.school_id, DaySummary.day)
    )
    for school_id, day, missed, week, risk_report, meeting, month, dispatch in dated:
        school = found[school_id]
        if missed:
            school.missed_by_day[day] = missed
        if week:  # a Sunday: the week of its Monday
            monday = day - timedelta(days=6)
            school.weeks.append(monday)
            if risk_report:
                school.risk_reports_missing.append(monday)
            if meeting:
                school.weekly_meetings_missing.append(monday)
        if month:  # a month's last day: the month, by its first
            school.months.append(day.replace(day=1))
            if dispatch:
                school.dispatch_meetings_missing.append(day.replace(day=1))
    return found
