"""Training sessions, their attendance and materials, and hours per person."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.training import MAX_SESSION_HOURS, AttendanceStatus, TrainingAttendance, TrainingSession
from ..models.user import User
from ..timeutil import day_range_utc, zone
from . import audit, files, records


def save_session(actor, session, before, *, present_ids=None, new_materials=(), removed_material_ids=()):
    """``present_ids``, when given, is who was present: one tick each on the form. Anyone
    else keeps their row (an absence, a score); a present row not ticked is removed."""
    records.assign_school(actor, session)
    if present_ids is not None:
        _mark_present(session, set(present_ids))
    if session.hours is None or not (0 < session.hours <= MAX_SESSION_HOURS):
        raise DomainError(_l("Hours must be more than 0 and at most %(max)d.", max=MAX_SESSION_HOURS), field="hours")
    seen = set()
    for attendance in session.attendances:
        if attendance.user is None:
            raise DomainError(_l("Choose who attended."), field="attendances")
        if attendance.user.school_id != session.school_id:
            raise DomainError(
                _l("%(name)s is not a member of this school.", name=attendance.user.display_name),
                field="attendances",
            )
        if attendance.user.id in seen:
            raise DomainError(_l("%(name)s is listed twice.", name=attendance.user.display_name), field="attendances")
        seen.add(attendance.user.id)
        attendance.school_id = session.school_id
        if attendance.score is not None and not (0 <= attendance.score <= 100):
            raise DomainError(_l("A score is between 0 and 100."), field="attendances")
    removed = [m for m in session.materials if m.id in set(removed_material_ids)]
    for material in removed:
        session.materials.remove(material)
    added = [files.store_upload(actor, session.school_id, upload, files.MATERIAL) for upload in new_materials]
    session.materials.extend(added)
    records.save_record(actor, session, before)
    if added or removed:
        audit.record(
            actor,
            "training_session.materials_changed",
            session,
            after={"added": [m.original_name for m in added], "removed": [m.original_name for m in removed]},
        )
    return session


def _mark_present(session, present_ids):
    rows = {
        attendance.user_id or getattr(attendance.user, "id", None): attendance for attendance in session.attendances
    }
    for user_id, attendance in rows.items():
        if user_id in present_ids:
            attendance.status = AttendanceStatus.PRESENT
        elif attendance.status is AttendanceStatus.PRESENT:
            session.attendances.remove(attendance)
    for user_id in present_ids - set(rows):
        person = db.session.get(User, user_id)
        if person is None or person.school_id != session.school_id:
            raise DomainError(_l("Choose who attended."), field="present")
        session.attendances.append(TrainingAttendance(user=person, status=AttendanceStatus.PRESENT))


@dataclass
class PersonHours:
    user: User
    hours: Decimal
    sessions: int


def hours_per_person(school, year):
    """Training hours per person in a calendar year (school time), counted from attendance."""
    start, end = day_range_utc(date(year, 1, 1), date(year, 12, 31), school)
    rows = db.session.execute(
        sa.select(User, sa.func.coalesce(sa.func.sum(TrainingSession.hours), 0), sa.func.count(TrainingSession.id))
        .join(TrainingAttendance, TrainingAttendance.user_id == User.id)
        .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
        .where(
            TrainingSession.school_id == school.id,
            TrainingAttendance.status == AttendanceStatus.PRESENT,
            TrainingSession.starts_at >= start,
            TrainingSession.starts_at < end,
        )
        .group_by(User.id)
        .order_by(User.name_pinyin, User.id)
    ).all()
    return [PersonHours(user, Decimal(hours), count) for user, hours, count in rows]


def sessions_of(user, limit=None):
    query = (
        sa.select(TrainingSession, TrainingAttendance.status)
        .join(TrainingAttendance, TrainingAttendance.session_id == TrainingSession.id)
        .where(TrainingAttendance.user_id == user.id)
        .order_by(TrainingSession.starts_at.desc())
    )
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).all()


def delete_session(actor, session):
    audit.record(
        actor,
        "training_session.deleted",
        session,
        before=audit.snapshot(session) | {"attendance": [a.user.display_name for a in session.attendances]},
    )
    db.session.delete(session)


def hours_by_year(user):
    """[(year, hours)] for the user's attended sessions, newest year first."""
    totals = defaultdict(Decimal)
    for session, status in sessions_of(user):
        if status is AttendanceStatus.PRESENT:
            totals[session.starts_at.astimezone(zone(user.school)).year] += session.hours
    return sorted(totals.items(), reverse=True)
