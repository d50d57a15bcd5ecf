"""The parents' meal committee: its members each school year, its activities with the
members present and their findings (each finding a rectification task), and its year as it
is shown and handed to the auditor, parent accompanied meals included."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.accompanied_meal import ParentMeal
from ..models.committee import CommitteeActivity, CommitteeMember
from ..timeutil import utcnow
from . import records, rectification
from .calendar import school_year_of as school_year_span
from .canteen import require_fixer, start_record


def school_year_of(day):
    """The school year a day belongs to, by the year of its September."""
    return school_year_span(day)[0].year


def year_span(school_year):
    return date(school_year, 9, 1), date(school_year + 1, 8, 31)


def save_member(actor, member, before):
    records.assign_school(actor, member)
    member.name = (member.name or "").strip()
    member.class_name, member.contact = (member.class_name or "").strip(), (member.contact or "").strip()
    if not member.name:
        raise DomainError(_l("Enter the parent's name."), field="name")
    if member.school_year is None or not 2000 <= member.school_year <= 2100:
        raise DomainError(
            _l("Enter the school year by the year of its September (2026 for 2026–2027)."), field="school_year"
        )
    return records.save_record(actor, member, before)


def members_of(school_id, school_year):
    return db.session.scalars(
        sa.select(CommitteeMember)
        .where(CommitteeMember.school_id == school_id, CommitteeMember.school_year == school_year)
        .where(CommitteeMember.active.is_(True))
        .order_by(CommitteeMember.chair.desc(), CommitteeMember.name)
    ).all()


def record_activity(actor, activity, member_ids, *, responsible=None, now=None):
    """An activity of the committee with the members present (at least one, of that school
    year); its findings become a rectification task for ``responsible``."""
    start_record(actor, activity, "recorded_by", now)
    if activity.kind is None:
        raise DomainError(_l("Choose what the committee did."), field="kind")
    members = {m.id: m for m in members_of(activity.school_id, school_year_of(activity.day))}
    chosen = [members[i] for i in member_ids if i in members]
    if not chosen or len(chosen) != len(set(member_ids)):
        raise DomainError(_l("Tick the committee members present (members of this school year)."), field="present")
    activity.present = [{"id": m.id, "name": m.name} for m in chosen]
    activity.findings = (activity.findings or "").strip()
    if activity.findings:
        require_fixer(activity, activity.findings, responsible)
    records.save_record(actor, activity, None, now)
    if activity.findings:
        rectification.create_ledger_task(actor, activity, activity.findings, responsible, now or utcnow())
    return activity


@dataclass
class Entry:
    """One line of the committee's year: an activity, or a parent's accompanied meal."""

    day: object
    what: object
    who: str
    findings: str


def year_of(school_id, school_year):
    """The committee's year: its members and, day by day, its activities with the parents'
    accompanied meals, which count as activities."""
    first, last = year_span(school_year)
    activities = db.session.scalars(
        sa.select(CommitteeActivity)
        .where(CommitteeActivity.school_id == school_id, CommitteeActivity.day.between(first, last))
        .where(CommitteeActivity.standing())
    ).all()
    meals = db.session.scalars(
        sa.select(ParentMeal).where(
            ParentMeal.school_id == school_id, ParentMeal.day.between(first, last), ParentMeal.standing()
        )
    ).all()
    entries = [Entry(a.day, a.kind.label, a.present_names, a.findings) for a in activities]
    entries += [Entry(m.day, _l("Parent accompanied meal"), m.parent_name, m.feedback) for m in meals]
    return members_of(school_id, school_year), sorted(entries, key=lambda entry: entry.day)
