"""The county's compliance table: a line per school, its figures summed from the schools' day
summaries (day_summaries.py) for the days they cover and counted live for the days after,
so that a school year costs about what a week costs.

A constant number of queries whatever the number of schools: schools sharing a range, a
today, a time zone and the days summarised (a county's schools, as a rule) share each query."""

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from .. import charts, figures
from ..extensions import db
from ..models.cadence import Assignment, AssignmentState, AssignmentStatus, CadenceRule
from ..models.inspection import Inspection, InspectionStatus
from ..models.rectification import RectificationTask, TaskStatus
from ..timeutil import day_range_utc, school_today, utcnow
from . import cold_chain, day_summaries, food_safety, storeroom
from .calendar import monday_of
from .compliance import RuleCompliance, TaskStats, figures_of, mondays_between, task_counts, window_state


@dataclass
class CountyRow:
    """One school's line on the county's compliance table."""

    school: object
    rules: list
    tasks: TaskStats
    backlog: int
    food_safety: food_safety.Cadence
    # Batches on hand past their last day of use; fridge and freezer readings missing.
    expired_batches: int = 0
    temperature_gaps: int = 0
    figures: list = field(default_factory=list)  # as Compliance.figures
    # [inspections missed] of each week of the range up to this one, for its sparkline.
    missed_by_week: list = field(default_factory=list)

    def sparkline(self):
        return charts.sparkline(self.missed_by_week) if len(self.missed_by_week) > 1 else None


def county(schools_with_ranges):
    """[(school, first, last)] -> [CountyRow]."""
    covered = day_summaries.coverage([school.id for school, _first, _last in schools_with_ranges])
    groups = {}
    for school, first, last in schools_with_ranges:
        cut = _cut(covered.get(school.id), first, last)
        groups.setdefault((first, last, school_today(school), school.timezone, cut), []).append(school)
    rows = {}
    for (first, last, today, _zone, cut), schools in groups.items():
        rows.update(_county_rows(schools, first, last, today, cut))
    return [rows[school.id] for school, _first, _last in schools_with_ranges]


def _cut(coverage, first, last):
    """The last day of first..last read from the summaries; None: every day is counted live."""
    if coverage is None or not coverage[0] <= first <= coverage[1]:
        return None
    return min(coverage[1], last)


def _county_rows(schools, first, last, today, cut):
    ids = [school.id for school in schools]
    live_from = first if cut is None else cut + timedelta(days=1)
    summed = day_summaries.totals(ids, first, cut) if cut else {school_id: day_summaries.Totals() for school_id in ids}
    rules = _rules(ids, min(last, today), today, live_from, summed)
    backlog = dict(
        db.session.execute(
            sa.select(Inspection.school_id, sa.func.count())
            .where(Inspection.school_id.in_(ids), Inspection.status == InspectionStatus.READY_FOR_SIGN_OFF)
            .group_by(Inspection.school_id)
        ).all()
    )
    tasks = _tasks(schools, first, last, live_from, summed)
    cadences = _cadences(schools, first, last, today, cut, summed)
    expired = storeroom.expired_counts(ids, today)
    gaps = cold_chain.gaps(schools, live_from, min(last, today - timedelta(days=1)))
    figure_counts = figures.counts_many(ids, first, last)
    missed_by_week = _missed_by_week(ids, first, min(last, today), today, live_from, summed)
    return {
        school.id: CountyRow(
            school=school,
            rules=rules[school.id],
            tasks=tasks[school.id],
            backlog=backlog.get(school.id, 0),
            food_safety=cadences[school.id],
            expired_batches=expired.get(school.id, 0),
            temperature_gaps=summed[school.id].readings_missing + sum(gap.missing for gap in gaps[school.id]),
            figures=figures_of(figure_counts, school.id),
            missed_by_week=missed_by_week[school.id],
        )
        for school in schools
    }


def _rules(ids, counted_to, today, live_from, summed):
    """{school id: [RuleCompliance]}: windows that ended by the cut from the summaries; those
    that ended after it, or are running, live. Required so far: windows that have begun."""
    of_schools = sa.select(CadenceRule).where(CadenceRule.school_id.in_(ids)).order_by(CadenceRule.id)
    rules = {rule.id: RuleCompliance(rule) for rule in db.session.scalars(of_schools)}
    ended = Assignment.window_end < today
    counted = db.session.execute(
        sa.select(Assignment.rule_id, Assignment.status, sa.func.count().filter(ended), sa.func.count().filter(~ended))
        .where(
            Assignment.school_id.in_(ids),
            Assignment.window_start <= counted_to,
            Assignment.window_end >= live_from,
        )
        .group_by(Assignment.rule_id, Assignment.status)
    )
    for rule_id, status, number_ended, number_running in counted:
        rules[rule_id].total.add(window_state(status, True), number_ended)
        rules[rule_id].total.add(window_state(status, False), number_running)
    for totals in summed.values():
        for rule_id, (done, missed, excused) in totals.rules.items():
            rules[rule_id].total.add(AssignmentState.DONE, done)
            rules[rule_id].total.add(AssignmentState.MISSED, missed)
            rules[rule_id].total.add(AssignmentState.EXCUSED, excused)
    rules_of = {school_id: [] for school_id in ids}
    for summary in rules.values():
        if summary.total.required or summary.rule.active:
            rules_of[summary.rule.school_id].append(summary)
    return rules_of


def _tasks(schools, first, last, live_from, summed):
    """{school id: TaskStats}: tasks found by the cut from the summaries (those still open,
    and overdue, live: a task goes overdue without anybody writing); the rest live."""
    live = task_counts(schools, live_from, last) if live_from <= last else {}
    still_open = _open_tasks(schools, first, live_from - timedelta(days=1)) if live_from > first else {}
    stats = {}
    for school in schools:
        found, rectified, same_day, extended = summed[school.id].tasks
        later = live.get(school.id, TaskStats())
        open_, overdue = still_open.get(school.id, (0, 0))
        stats[school.id] = TaskStats(
            found + later.found,
            open_ + later.open,
            overdue + later.overdue,
            rectified + later.rectified,
            same_day + later.same_day,
            extended + later.extended,
        )
    return stats


def _open_tasks(schools, first, last):
    start, end = day_range_utc(first, last, schools[0])
    is_open = RectificationTask.status == TaskStatus.OPEN
    return {
        school_id: (open_, overdue)
        for school_id, open_, overdue in db.session.execute(
            sa.select(
                RectificationTask.school_id,
                sa.func.count(),
                sa.func.count().filter(RectificationTask.deadline <= utcnow()),
            )
            .where(
                RectificationTask.school_id.in_([school.id for school in schools]),
                is_open,
                RectificationTask.found_at >= start,
                RectificationTask.found_at < end,
            )
            .group_by(RectificationTask.school_id)
        )
    }


def _cadences(schools, first, last, today, cut, summed):
    """{school id: Cadence}: the weeks and months that ended by the cut from the summaries
    (a week counts on its Sunday, a month on its last day), the rest live. One difference
    from counting live: a range that starts after the last school day of its first month
    counts that month (it had school days, and its meeting was due); live, it would not."""
    if cut is None:
        return food_safety.cadence_many(schools, first, last, today)
    # The week and the month the cut falls in are counted live, from their start.
    live = food_safety.cadence_many(schools, max(first, (cut + timedelta(days=1)).replace(day=1)), last, today)
    cadences = {}
    for school in schools:
        totals, later = summed[school.id], live[school.id]
        after_cut = [monday for monday in later.weeks if monday + timedelta(days=6) > cut]
        cadences[school.id] = food_safety.Cadence(
            weeks=totals.weeks + after_cut,
            weeks_missing=totals.risk_reports_missing + [w for w in later.weeks_missing if w in after_cut],
            meetings_missing=totals.weekly_meetings_missing + [w for w in later.meetings_missing if w in after_cut],
            months=totals.months + [month for month in later.months if _ends_after(month, cut)],
            months_missing=totals.dispatch_meetings_missing
            + [month for month in later.months_missing if _ends_after(month, cut)],
        )
    return cadences


def _ends_after(month, cut):
    return day_summaries.month_end(month) > cut


def _missed_by_week(ids, first, last, today, live_from, summed):
    """{school id: [inspections missed in each week of first..last]}: a miss counts in the week
    its window ended, as compliance.compute() counts it."""
    mondays = mondays_between(first, last)
    weeks = {school_id: dict.fromkeys(mondays, 0) for school_id in ids}
    missed = db.session.execute(
        sa.select(Assignment.school_id, Assignment.window_end, sa.func.count())
        .where(
            Assignment.school_id.in_(ids),
            Assignment.window_start <= last,
            Assignment.window_end.between(live_from, today - timedelta(days=1)),  # ended: missed
            Assignment.status.not_in((AssignmentStatus.DONE, AssignmentStatus.EXCUSED)),
        )
        .group_by(Assignment.school_id, Assignment.window_end)
    )
    for school_id, window_end, number in missed:
        weeks[school_id][monday_of(min(window_end, last))] += number
    for school_id, totals in summed.items():
        for day, number in totals.missed_by_day.items():
            weeks[school_id][monday_of(day)] += number
    return {school_id: list(counts.values()) for school_id, counts in weeks.items()}
