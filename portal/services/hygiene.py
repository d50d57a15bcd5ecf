"""The canteen's rooms: disinfected on a schedule per room, checked for the four
preventions on another; an overdue room is flagged, a failed check is a rectification task."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.hygiene import PREVENTIONS, WEEKLY, CanteenRoom, PreventionCheck, RoomDisinfection, next_due
from ..models.school import school_of
from ..timeutil import school_today, utcnow
from . import records, rectification
from .canteen import require_member, start_record


def save_room(actor, room, before):
    records.assign_school(actor, room)
    room.name = (room.name or "").strip()
    if not room.name:
        raise DomainError(_l("Name the room."), field="name")
    for field in ("disinfection_every_days", "prevention_every_days"):
        if getattr(room, field) is None:
            setattr(room, field, WEEKLY)
        if not 1 <= getattr(room, field) <= 366:
            raise DomainError(_l("Enter a number of days between 1 and 366."), field=field)
    if room.created_on is None:
        room.created_on = school_today(school_of(room))
    return records.save_record(actor, room, before)


def _check_room(record):
    room = record.room
    if room is None or room.school_id != record.school_id or not room.active:
        raise DomainError(_l("Choose a room of this school that is in use."), field="room")


def save_room_disinfection(actor, record, before, now=None):
    start_record(actor, record, "done_by", now)
    _check_room(record)
    record.method = (record.method or "").strip()
    if not record.method:
        raise DomainError(_l("Say how the room was disinfected."), field="method")
    require_member(record, record.done_by, "done_by")
    return records.save_record(actor, record, before, now)


def save_prevention_check(actor, check, before, *, responsible=None, now=None):
    """A check where anything is not in order names the problem and who fixes it; the
    problem becomes a rectification task when the check is first saved."""
    start_record(actor, check, "checked_by", now)
    _check_room(check)
    require_member(check, check.checked_by, "checked_by")
    check.problems = (check.problems or "").strip()
    if not check.passed and not check.problems:
        raise DomainError(
            _l("Say what was found: %(what)s.", what="、".join(str(p) for p in check.failed_preventions)),
            field="problems",
        )
    if before is not None and (check.passed != _passed(before) or check.problems != before.get("problems")):
        raise DomainError(_l("The problems found are a rectification task now; correct them there."), field="problems")
    if before is None and not check.passed and responsible is None:
        raise DomainError(_l("Choose who fixes: %(finding)s", finding=check.problems), field="responsible")
    event = records.save_record(actor, check, before, now)
    if before is None and not check.passed:
        description = f"{check.room.name}（{'、'.join(str(p) for p in check.failed_preventions)}）：{check.problems}"
        rectification.create_ledger_task(actor, check, description, responsible, now or utcnow())
    return event


def _passed(snapshot):
    return all(snapshot.get(key) for key in PREVENTIONS)


@dataclass
class RoomSchedule:
    room: CanteenRoom
    last_disinfected: object
    last_checked: object
    today: object

    @property
    def disinfection_due(self):
        return next_due(self.last_disinfected, self.room.disinfection_every_days, self.room.created_on)

    @property
    def prevention_due(self):
        return next_due(self.last_checked, self.room.prevention_every_days, self.room.created_on)

    @property
    def disinfection_overdue(self):
        return self.disinfection_due < self.today

    @property
    def prevention_overdue(self):
        return self.prevention_due < self.today


def rooms_of(school_id):
    """The school's rooms in use, by kind and name."""
    return db.session.scalars(
        sa.select(CanteenRoom)
        .where(CanteenRoom.school_id == school_id, CanteenRoom.active.is_(True))
        .order_by(CanteenRoom.kind, CanteenRoom.name)
    ).all()


def schedules(school, day):
    """Each room in use, with when it was last disinfected and checked up to ``day``: two
    grouped queries whatever the number of records."""
    rooms = rooms_of(school.id)
    disinfected = _last_days(RoomDisinfection, school.id, day)
    checked = _last_days(PreventionCheck, school.id, day)
    return [RoomSchedule(room, disinfected.get(room.id), checked.get(room.id), day) for room in rooms]


def _last_days(model, school_id, day):
    return dict(
        db.session.execute(
            sa.select(model.room_id, sa.func.max(model.day))
            .where(model.school_id == school_id, model.day <= day)
            .group_by(model.room_id)
        ).all()
    )
