"""日管控、周排查、月调度. The daily check is the director's daily inspection (the inspection
workflow's cadence). The weekly risk report drafts itself from the week's records for the
food-safety manager to complete and sign; the monthly dispatch meeting's minutes are signed
by the principal. Signed means frozen."""

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import Gap, at
from ..errors import DomainError
from ..extensions import db
from ..models.accompanied_meal import AccompaniedMeal
from ..models.canteen import MorningCheck
from ..models.food_safety import DispatchMeeting, RiskReport
from ..models.hygiene import PreventionCheck
from ..models.inspection import Finding, Inspection
from ..models.purchasing import Delivery, DeliveryResult
from ..models.rectification import RectificationTask, TaskStatus
from ..models.training import TrainingKind, TrainingSession
from ..timeutil import day_range_utc, school_today, utcnow, zone
from . import audit, calendar, canteen_board, hygiene, records, users

# --- the weekly risk report ---------------------------------------------------------------


def week_of(day):
    monday = calendar.monday_of(day)
    return monday, monday + timedelta(days=6)


def draft_text(school, monday, now=None):
    """What the week's records say, one line per kind of record, for the manager to start from."""
    sunday = monday + timedelta(days=6)
    start, end = day_range_utc(monday, sunday, school)
    inspections = db.session.scalar(
        sa.select(sa.func.count(Inspection.id)).where(
            Inspection.school_id == school.id, Inspection.inspected_on.between(monday, sunday)
        )
    )
    findings = db.session.scalar(
        sa.select(sa.func.count(Finding.id))
        .join(Inspection)
        .where(Inspection.school_id == school.id, Inspection.inspected_on.between(monday, sunday))
    )
    tasks = db.session.execute(
        sa.select(RectificationTask.status, sa.func.count(RectificationTask.id))
        .where(
            RectificationTask.school_id == school.id,
            RectificationTask.found_at >= start,
            RectificationTask.found_at < end,
        )
        .group_by(RectificationTask.status)
    ).all()
    open_tasks = sum(count for status, count in tasks if status is not TaskStatus.VERIFIED)
    gap_days = [day for day in canteen_board.month(school, monday, sunday, now) if day.has_gaps]
    unfit = _count(MorningCheck, school.id, monday, sunday, MorningCheck.fit.is_(False))
    meal_problems = _count(AccompaniedMeal, school.id, monday, sunday, AccompaniedMeal.problems != "")
    failed_checks = _count(PreventionCheck, school.id, monday, sunday, sa.not_(PreventionCheck.passed))
    rejected = _count(Delivery, school.id, monday, sunday, Delivery.result == DeliveryResult.REJECTED)
    expired = _count(Delivery, school.id, monday, sunday, Delivery.licence_expired.is_(True))
    no_ticket = _count(Delivery, school.id, monday, sunday, Delivery.missing_ticket.is_(True))
    no_quarantine = _count(Delivery, school.id, monday, sunday, Delivery.missing_quarantine.is_(True))
    overdue_rooms = [
        row.room.name
        for row in hygiene.schedules(school, min(sunday, school_today(school)))
        if row.disinfection_overdue or row.prevention_overdue
    ]
    lines = [
        _l("Inspections: %(n)d, findings: %(f)d.", n=inspections, f=findings),
        _l(
            "Rectification tasks found this week: %(n)d, not yet verified: %(open)d.",
            n=sum(count for _status, count in tasks),
            open=open_tasks,
        ),
        _l(
            "Canteen days with gaps in the ledgers: %(n)d%(days)s.",
            n=len(gap_days),
            days=f"（{'、'.join(day.day.isoformat() for day in gap_days)}）" if gap_days else "",
        ),
        _l("Workers not fit at the morning check: %(n)d.", n=unfit),
        _l("Accompanied meals with problems: %(n)d.", n=meal_problems),
        _l("Four-preventions checks that failed: %(n)d.", n=failed_checks),
        _l("Deliveries rejected: %(n)d; from a supplier with an expired licence: %(e)d.", n=rejected, e=expired),
        _l(
            "Deliveries without a ticket or invoice: %(t)d; meat without a quarantine certificate: %(q)d.",
            t=no_ticket,
            q=no_quarantine,
        ),
        _l(
            "Rooms overdue for disinfection or a four-preventions check: %(rooms)s.",
            rooms="、".join(overdue_rooms) or _l("none"),
        ),
    ]
    return "\n".join(str(line) for line in lines)


def _count(model, school_id, first, last, condition):
    return db.session.scalar(
        sa.select(sa.func.count(model.id)).where(
            model.school_id == school_id, model.day.between(first, last), model.standing(), condition
        )
    )


def report_for_week(school, monday, now=None):
    """The week's report; until it is first saved, a new one drafted from the records."""
    report = db.session.scalar(
        sa.select(RiskReport).where(RiskReport.school_id == school.id, RiskReport.week_start == monday)
    )
    return report or RiskReport(school_id=school.id, week_start=monday, draft=draft_text(school, monday, now))


def redraft(actor, report, now=None):
    _refuse_signed(report)
    before = audit.snapshot(report)
    report.draft = draft_text(report.school, report.week_start, now)
    return records.save_record(actor, report, before)


def save_report(actor, report, before, now=None):
    _refuse_signed(report)
    _require_manager(actor, report)
    if report.week_start > school_today(report.school or actor.school):
        raise DomainError(_l("The date is in the future."))
    report.risks_found = (report.risks_found or "").strip()
    report.measures = (report.measures or "").strip()
    return records.save_record(actor, report, before)


def _require_manager(actor, report):
    if not report.can_complete(actor):
        raise DomainError(_l("The weekly risk report is completed and signed by a food-safety manager of the school."))


def sign_report(actor, report, password, now=None):
    _refuse_signed(report)
    _require_manager(actor, report)
    if not report.risks_found or not report.measures:
        raise DomainError(
            _l("Complete the risks found and the measures taken (write 无 where there were none) before signing.")
        )
    _sign(actor, report, password, now)


# --- the monthly dispatch meeting ---------------------------------------------------------


def save_meeting(actor, meeting, before, now=None):
    records.assign_school(actor, meeting)
    _refuse_signed(meeting)
    if not meeting.can_edit(actor):
        raise DomainError(_l("The dispatch meeting is recorded by the principal, the director or the school admin."))
    if meeting.held_on is None or meeting.held_on > school_today(meeting.school or actor.school):
        raise DomainError(_l("The date is in the future."), field="held_on")
    for name, message in (
        ("attendees", _l("List who attended.")),
        ("issues", _l("Record the issues discussed.")),
        ("decisions", _l("Record what was decided.")),
    ):
        setattr(meeting, name, (getattr(meeting, name) or "").strip())
        if not getattr(meeting, name):
            raise DomainError(message, field=name)
    return records.save_record(actor, meeting, before)


def sign_meeting(actor, meeting, password, now=None):
    _refuse_signed(meeting)
    if not meeting.can_sign(actor):
        raise DomainError(_l("The minutes of the dispatch meeting are signed by the principal."))
    _sign(actor, meeting, password, now)


def _refuse_signed(record):
    if record.is_signed:
        raise DomainError(_l("This record is signed and can no longer be changed."))


def _sign(actor, record, password, now):
    users.check_own_password(actor, password)
    record.signed_by_id = actor.id
    record.signed_at = now or utcnow()
    db.session.flush()
    audit.record(actor, f"{record.__tablename__}.signed", record, after=audit.snapshot(record))


# --- what is missing ----------------------------------------------------------------------


@dataclass
class Cadence:
    """Weeks (by their Monday) and months (by their first day) that have ended with school
    days in them, and those of them without a signed record; the weeks without a weekly
    meeting (每周例会, a training session of that kind)."""

    weeks: list = field(default_factory=list)
    weeks_missing: list = field(default_factory=list)
    meetings_missing: list = field(default_factory=list)
    months: list = field(default_factory=list)
    months_missing: list = field(default_factory=list)


def cadence(school, first, last, today=None):
    return cadence_many([school], first, last, today or school_today(school))[school.id]


def cadence_many(schools, first, last, today):
    """{school id: Cadence} for schools sharing a range and a today, in a fixed number of
    queries whatever the number of schools."""
    ids, monday = [school.id for school in schools], calendar.monday_of(first)
    calendars = calendar.load_many(ids, monday, last + timedelta(days=6))
    signed_weeks = set(
        db.session.execute(
            sa.select(RiskReport.school_id, RiskReport.week_start)
            .where(
                RiskReport.school_id.in_(ids),
                RiskReport.week_start.between(monday, last),
                RiskReport.signed_at.is_not(None),
            )
            .distinct()
        ).all()
    )
    met_months = {
        (school_id, held_on.replace(day=1))
        for school_id, held_on in db.session.execute(
            sa.select(DispatchMeeting.school_id, DispatchMeeting.held_on).where(
                DispatchMeeting.school_id.in_(ids),
                DispatchMeeting.held_on.between(first.replace(day=1), last),
                DispatchMeeting.signed_at.is_not(None),
            )
        )
    }
    met_weeks = _weekly_meeting_weeks(schools, monday, last)
    return {
        school.id: _cadence(school.id, calendars[school.id], signed_weeks, met_months, met_weeks, first, last, today)
        for school in schools
    }


def _cadence(school_id, school_calendar, signed_weeks, met_months, met_weeks, first, last, today):
    result = Cadence()
    monday = calendar.monday_of(first)
    while monday + timedelta(days=6) < today and monday <= last:
        if school_calendar.has_school_day(monday, monday + timedelta(days=6)):
            result.weeks.append(monday)
            if (school_id, monday) not in signed_weeks:
                result.weeks_missing.append(monday)
            if (school_id, monday) not in met_weeks:
                result.meetings_missing.append(monday)
        monday += timedelta(days=7)
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        if following <= today and school_calendar.has_school_day(max(month, first), following - timedelta(days=1)):
            result.months.append(month)
            if (school_id, month) not in met_months:
                result.months_missing.append(month)
        month = following
    return result


def _weekly_meeting_weeks(schools, first_monday, last):
    """{(school id, Monday)} of the weeks that had a weekly meeting, in each school's time."""
    zones = {school.id: zone(school) for school in schools}
    # A day's margin either side covers every time zone; each school's own bounds are exact.
    start, end = day_range_utc(first_monday - timedelta(days=1), last + timedelta(days=7))
    held = db.session.execute(
        sa.select(TrainingSession.school_id, TrainingSession.starts_at).where(
            TrainingSession.school_id.in_(list(zones)),
            TrainingSession.kind == TrainingKind.WEEKLY_MEETING,
            TrainingSession.starts_at >= start,
            TrainingSession.starts_at < end,
        )
    )
    weeks = set()
    for school_id, moment in held:
        day = moment.astimezone(zones[school_id]).date()
        if first_monday <= day <= last + timedelta(days=6):
            weeks.add((school_id, calendar.monday_of(day)))
    return weeks


# --- what is due, for the reminders (portal/due_rules.py) -------------------------------------


def find_risk_reports(context, choice):
    ahead = [*context.days, context.today + timedelta(days=7)]
    mondays = sorted({day - timedelta(days=day.weekday()) for day in ahead})
    signed = set(
        db.session.scalars(
            sa.select(RiskReport.week_start).where(
                RiskReport.school_id == context.school.id,
                RiskReport.week_start.in_(mondays),
                RiskReport.signed_at.is_not(None),
            )
        )
    )
    gaps = []
    for monday in mondays:
        week = [monday + timedelta(days=n) for n in range(7)]
        if monday in signed or not any(context.calendar.is_school_day(day) for day in week):
            continue
        gaps.append(
            Gap(
                monday.isoformat(),
                at(monday + timedelta(days=choice.due_day - 1), choice.due_time, context.school),
                _("The weekly risk report of the week from %(monday)s is not signed yet", monday=monday.isoformat()),
                ("canteen.show_risk_report", {"monday": monday.isoformat()}),
            )
        )
    return gaps


def find_dispatch_meetings(context, choice):
    ahead = [*context.days, context.today + timedelta(days=28)]
    months = sorted({day.replace(day=1) for day in ahead})
    met = {
        held_on.replace(day=1)
        for held_on in db.session.scalars(
            sa.select(DispatchMeeting.held_on).where(
                DispatchMeeting.school_id == context.school.id,
                DispatchMeeting.held_on >= months[0],
                DispatchMeeting.signed_at.is_not(None),
            )
        )
    }
    return [
        Gap(
            first.strftime("%Y-%m"),
            at(first.replace(day=choice.due_day), choice.due_time, context.school),
            _("The monthly dispatch meeting of %(month)s is not held and signed yet", month=first.strftime("%Y-%m")),
            ("canteen.list_meetings", {}),
        )
        for first in months
        if first not in met and context.calendar.is_school_day(first.replace(day=choice.due_day))
    ]
