"""Assignments planned from the cadence rules on the school calendar.

Planning is idempotent: an assignment is identified by (rule, window start, slot), and a
second run adds only what is missing. It re-plans future windows only: an open,
unstarted assignment whose window starts after today disappears when the calendar or the
rule no longer asks for it; today's and past windows stay as they were.
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from ..errors import DomainError
from ..extensions import db
from ..models.cadence import Assignment, AssignmentState, AssignmentStatus, CadenceRule, Period
from ..models.calendar import CalendarDay, Term
from ..models.inspection import Inspection
from ..permissions import Permission
from ..timeutil import school_today, utcnow
from . import audit, records
from . import calendar as school_calendar


@dataclass(frozen=True)
class Window:
    start: object
    end: object
    slots: int


def windows(rule, calendar, first, last):
    """The windows a rule asks for between first and last."""
    if rule.period is Period.DAY:
        return [Window(day, day, rule.required_count) for day in calendar.school_days(first, last)]
    result = []
    monday = school_calendar.monday_of(first)
    while monday <= last:
        days = calendar.school_days(monday, monday + timedelta(days=6))
        if days:
            # N inspections on N different days: a week with fewer school days asks for fewer.
            result.append(Window(days[0], days[-1], min(rule.required_count, len(days))))
        monday += timedelta(days=7)
    return result


def active_rules(school_id):
    return db.session.scalars(
        sa.select(CadenceRule)
        .where(CadenceRule.school_id == school_id, CadenceRule.active.is_(True))
        .order_by(CadenceRule.id)
    ).all()


def _desired(school, first, last):
    # Weekly windows reach back to the Monday of the first week and on to its Sunday.
    lo, hi = school_calendar.monday_of(first), last + timedelta(days=6)
    calendar = school_calendar.load(school.id, lo, hi)
    desired = {}
    for rule in active_rules(school.id):
        for window in windows(rule, calendar, first, last):
            for slot in range(1, window.slots + 1):
                desired[(rule.id, window.start, slot)] = window
    return desired, lo


def _existing(school_id, lo, hi):
    rows = db.session.execute(
        sa.select(
            Assignment.id,
            Assignment.rule_id,
            Assignment.window_start,
            Assignment.slot,
            Assignment.status,
            Assignment.inspection_id,
        ).where(Assignment.school_id == school_id, Assignment.window_start.between(lo, hi))
    ).all()
    return {(row.rule_id, row.window_start, row.slot): row for row in rows}


def needs_planning(school, first, last, today=None):
    """True when planning first..last would add or remove something (read-only check)."""
    today = today or school_today(school)
    desired, lo = _desired(school, first, last)
    existing = _existing(school.id, lo, last)
    return bool(set(desired) - set(existing)) or bool(_stale(existing, desired, today))


def _stale(existing, desired, today):
    return [
        row.id
        for key, row in existing.items()
        if key not in desired
        and row.window_start > today
        and row.status is AssignmentStatus.OPEN
        and row.inspection_id is None
    ]


def plan(actor, school, first, last, today=None):
    """Create the missing assignments of first..last and drop stale future ones.
    Returns (created, removed)."""
    if last < first:
        raise DomainError(_l("The end date is before the start date."))
    today = today or school_today(school)
    desired, lo = _desired(school, first, last)
    existing = _existing(school.id, lo, last)
    missing = [
        {
            "school_id": school.id,
            "rule_id": rule_id,
            "window_start": window.start,
            "window_end": window.end,
            "slot": slot,
            "status": AssignmentStatus.OPEN.value,
            "planned_at": utcnow(),
        }
        for (rule_id, _start, slot), window in desired.items()
        if (rule_id, window.start, slot) not in existing
    ]
    stale = _stale(existing, desired, today)
    if missing:
        dialect = db.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(Assignment.__table__).on_conflict_do_nothing(
            index_elements=["rule_id", "window_start", "slot"]
        )
        db.session.execute(statement, missing)
    if stale:
        db.session.execute(sa.delete(Assignment).where(Assignment.id.in_(stale)))
    if missing or stale:
        audit.record(
            actor,
            "assignments.planned",
            school_id=school.id,
            object_type="School",
            object_id=school.id,
            after={"from": first, "to": last, "created": len(missing), "removed": len(stale)},
        )
    return len(missing), len(stale)


def replan_future(actor, school, horizon_days=120):
    """After a change of the calendar or of a rule: the windows from tomorrow on."""
    today = school_today(school)
    return plan(actor, school, today + timedelta(days=1), today + timedelta(days=horizon_days), today)


def due_today_for(user, today):
    """The user's planned inspections due today and not yet submitted (read only: a week
    nobody planned yet plans itself when "My inspections" opens)."""
    return [
        assignment
        for assignment in assignments_between(user.school_id, today, today)
        if assignment.rule.may_be_fulfilled_by(user)
        and assignment.is_due_on(today)
        and assignment.state_on(today) in (AssignmentState.OPEN, AssignmentState.IN_PROGRESS)
    ]


def assignments_between(school_id, first, last):
    return db.session.scalars(
        sa.select(Assignment)
        .where(Assignment.school_id == school_id, Assignment.window_end >= first, Assignment.window_start <= last)
        .options(sa.orm.selectinload(Assignment.inspection))
        .order_by(Assignment.window_start, Assignment.rule_id, Assignment.slot)
    ).all()


def open_slot_for(inspection):
    """An assignment the inspection can fulfil: its rule admits the inspector, its window
    holds the day, and no other inspection of the same rule and window is on that day."""
    candidates = db.session.scalars(
        sa.select(Assignment)
        .where(
            Assignment.school_id == inspection.school_id,
            Assignment.status == AssignmentStatus.OPEN,
            Assignment.inspection_id.is_(None),
            Assignment.window_start <= inspection.inspected_on,
            Assignment.window_end >= inspection.inspected_on,
        )
        .order_by(Assignment.window_start.desc(), Assignment.slot)
    ).all()
    for assignment in candidates:
        if assignment.rule.may_be_fulfilled_by(inspection.inspector) and not same_day_taken(
            assignment, inspection.inspected_on, inspection.id
        ):
            return assignment
    return None


def same_day_taken(assignment, day, inspection_id=None):
    """True when another slot of the same rule and window already has an inspection on
    that day: N inspections a week must fall on N different days."""
    siblings = (
        sa.select(sa.func.count())
        .select_from(Assignment)
        .join(Inspection, Inspection.id == Assignment.inspection_id)
        .where(
            Assignment.rule_id == assignment.rule_id,
            Assignment.window_start == assignment.window_start,
            Assignment.id != assignment.id,
            Inspection.inspected_on == day,
        )
    )
    if inspection_id is not None:
        siblings = siblings.where(Inspection.id != inspection_id)
    return bool(db.session.scalar(siblings))


def excuse(actor, assignment, reason):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("An excuse needs a reason."), field="reason")
    if assignment.status is not AssignmentStatus.OPEN:
        raise DomainError(_l("Only an assignment that was not done can be excused."))
    # Read everything first: loading the actor mid-way would autoflush half an excuse.
    actor_id, now = actor.id, utcnow()
    assignment.status = AssignmentStatus.EXCUSED
    assignment.excused_reason = reason
    assignment.excused_by_id = actor_id
    assignment.excused_at = now
    audit.record(actor, "assignment.excused", assignment, after={"reason": reason, "assignment": str(assignment)})


def save_rule(actor, rule, before):
    records.assign_school(actor, rule)
    rule.name = (rule.name or "").strip()
    if not rule.name:
        raise DomainError(_l("Give the rule a name."), field="name")
    if (rule.role is None) == (rule.user is None and rule.user_id is None):
        raise DomainError(_l("Choose either a role or one person."), field="role")
    if rule.period is Period.DAY and rule.required_count != 1:
        raise DomainError(_l("A daily rule asks for one inspection a day."), field="required_count")
    if rule.required_count is None or not 1 <= rule.required_count <= 7:
        raise DomainError(_l("Between 1 and 7 inspections a week."), field="required_count")
    person = rule.user
    if person is not None and not person.can(Permission.INSPECTION_PERFORM):
        raise DomainError(
            _l("%(name)s does not inspect: give them the principal or director role.", name=person.display_name),
            field="user",
        )
    records.save_record(actor, rule, before)
    db.session.flush()
    replan_future(actor, rule.school)


# --- calendar changes, each followed by re-planning the future windows --------------------


def save_term(actor, term, before):
    records.assign_school(actor, term)
    if term.starts_on and term.ends_on and term.ends_on < term.starts_on:
        raise DomainError(_l("The term ends before it starts."), field="ends_on")
    overlap = db.session.scalar(
        sa.select(Term.name).where(
            Term.school_id == term.school_id,
            Term.id != term.id,
            Term.starts_on <= term.ends_on,
            Term.ends_on >= term.starts_on,
        )
    )
    if overlap:
        raise DomainError(_l("The term overlaps %(name)s.", name=overlap), field="starts_on")
    records.save_record(actor, term, before)
    replan_future(actor, term.school)


def save_day(actor, day, before):
    _save_day(actor, day, before)
    replan_future(actor, day.school)


def add_days(actor, school, days):
    """Several new calendar days at once (the national holidays), planned again once."""
    for day in days:
        _save_day(actor, day, None)
    if days:
        replan_future(actor, school)


def _save_day(actor, day, before):
    records.assign_school(actor, day)
    clash = db.session.scalar(
        sa.select(CalendarDay.id).where(
            CalendarDay.school_id == day.school_id, CalendarDay.day == day.day, CalendarDay.id != day.id
        )
    )
    if clash:
        raise DomainError(_l("This day is already in the calendar."), field="day")
    records.save_record(actor, day, before)


def delete_calendar_record(actor, record):
    school = record.school
    records.delete_record(actor, record)
    db.session.flush()
    replan_future(actor, school)
