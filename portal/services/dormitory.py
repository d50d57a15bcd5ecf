"""Dormitory housekeeping: the rooms and the semester's beds (entered or read from the
school's bed list), the scored standard, the daily check of each room, the daily notice per
class, the weekly ranking with its red flag, coaching, and boarding days left unchecked."""

from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..due import Gap, at
from ..errors import DomainError
from ..extensions import db
from ..models.calendar import Term
from ..models.dormitory import DEFAULT_STANDARD, DormBed, DormCheck, DormCoaching, DormRoom, DormStandardItem
from ..models.school_class import SchoolClass
from ..timeutil import school_today, utcnow
from . import audit, files, records, school_classes, spreadsheets
from .calendar import days_between, load
from .canteen import start_record

# --- the rooms, the beds and the standard -----------------------------------------------------


def add_default_standard(school_id):
    """A new school's standard: the school's account's own (quilts square, things in a line, ...)."""
    for position, (text, points) in enumerate(DEFAULT_STANDARD, start=1):
        db.session.add(DormStandardItem(school_id=school_id, text=text, points=points, position=position))


def standard_of(school_id):
    return db.session.scalars(
        sa.select(DormStandardItem)
        .where(DormStandardItem.school_id == school_id, DormStandardItem.active.is_(True))
        .order_by(DormStandardItem.position, DormStandardItem.id)
    ).all()


def save_standard_item(actor, item, before):
    records.assign_school(actor, item)
    item.text = (item.text or "").strip()
    if not item.text:
        raise DomainError(_l("Say what is checked."), field="text")
    if item.points is None or not 1 <= item.points <= 100:
        raise DomainError(_l("Give the item 1 to 100 points."), field="points")
    return records.save_record(actor, item, before)


def save_room(actor, room, before):
    records.assign_school(actor, room)
    room.building, room.number = (room.building or "").strip(), (room.number or "").strip()
    if not room.building or not room.number:
        raise DomainError(_l("Enter the building and the room number."), field="number")
    with db.session.no_autoflush:
        twin = db.session.scalar(
            sa.select(DormRoom.id).where(
                DormRoom.school_id == room.school_id,
                DormRoom.building == room.building,
                DormRoom.number == room.number,
                DormRoom.id != room.id,
            )
        )
    if twin is not None:
        raise DomainError(_l("The building has a room with this number already."), field="number")
    return records.save_record(actor, room, before)


def save_bed(actor, bed, before):
    records.assign_school(actor, bed)
    bed.bed, bed.student_name = (bed.bed or "").strip(), (bed.student_name or "").strip()
    if not bed.bed or not bed.student_name:
        raise DomainError(_l("Enter the bed and the student's name."), field="student_name")
    return records.save_record(actor, bed, before)


def rooms_of(school_id):
    return db.session.scalars(
        sa.select(DormRoom)
        .where(DormRoom.school_id == school_id, DormRoom.active.is_(True))
        .order_by(DormRoom.building, DormRoom.floor, DormRoom.number)
    ).all()


BED_COLUMNS = {
    "building": ("楼栋", "宿舍楼"),
    "number": ("房间号", "宿舍号", "寝室号"),
    "bed": ("床位", "床位号", "床号"),
    "student_name": ("姓名", "学生姓名"),
    "class_name": ("班级", "班级名称"),
}


def read_beds(workbook_file, school_id):
    """([(line, cells)], [(line, problem)]) from the school's bed list: every row needs a
    building, a room, a bed, a name and a class on the class list; a bed twice is named."""
    rows = spreadsheets.read_rows(
        workbook_file,
        BED_COLUMNS,
        ("number", "student_name"),
        _l("The file is not an Excel workbook (.xlsx)."),
        _l("No header row with 房间号 and 姓名 was found in the first 20 rows."),
    )
    classes = school_classes.names_of(school_id)
    found, problems, seen = [], [], {}
    for line, cells in rows:
        cells["class_name"] = school_classes.normal_name(cells["class_name"] or "")
        missing = [key for key in BED_COLUMNS if not cells[key]]
        place = (cells["building"], cells["number"], cells["bed"])
        if missing:
            problems.append((line, _l("a building, a room, a bed, a name and a class are all needed")))
        elif (
            max(len(cells["building"]), len(cells["number"]), len(cells["bed"])) > 20 or len(cells["student_name"]) > 50
        ):
            problems.append((line, _l("a value is too long")))
        elif cells["class_name"] not in classes:
            problems.append((line, _l("class “%(name)s” is not on the school's class list", name=cells["class_name"])))
        elif place in seen:
            problems.append((line, _l("this bed is already on line %(other)d", other=seen[place])))
        else:
            seen[place] = line
            found.append((line, cells))
    return found, problems


def import_beds(actor, term, rows, problems):
    """The semester's beds as the file says them, replacing what the term had: new rooms are
    added (their floor from the room number: 305 is on the 3rd). Nothing is saved while any
    row has a problem."""
    if problems:
        raise DomainError(_l("The file has rows with problems: correct them and import it again."))
    if term is None or term.school_id != actor.school_id:
        raise DomainError(_l("Choose the semester."), field="term")
    rooms = {(room.building, room.number): room for room in rooms_of(actor.school_id)}
    classes = {c.name: c for c in school_classes.classes_of(actor.school_id)}
    replaced = db.session.execute(sa.delete(DormBed).where(DormBed.term_id == term.id)).rowcount
    for _line, cells in rows:
        key = (cells["building"], cells["number"])
        if key not in rooms:
            rooms[key] = DormRoom(
                school_id=actor.school_id, building=key[0], number=key[1], floor=DormRoom.floor_of(key[1])
            )
            db.session.add(rooms[key])
        db.session.add(
            DormBed(
                school_id=actor.school_id,
                term=term,
                room=rooms[key],
                bed=cells["bed"],
                student_name=cells["student_name"],
                school_class=classes[cells["class_name"]],
            )
        )
    db.session.flush()
    audit.record(actor, "dorm_bed.imported", term, after={"beds": len(rows), "replaced": replaced})
    return len(rows)


def classes_of_rooms(school_id, day):
    """{room id: [the classes of its students]} in the semester of ``day``."""
    term = load(school_id, day, day).term_of(day)
    if term is None:
        return {}
    found = defaultdict(set)
    for room_id, school_class in db.session.execute(
        sa.select(DormBed.room_id, SchoolClass).join(SchoolClass).where(DormBed.term_id == term.id)
    ):
        found[room_id].add(school_class)
    return {room_id: sorted(classes, key=lambda c: c.name) for room_id, classes in found.items()}


# --- the daily check --------------------------------------------------------------------------


def record_check(actor, room, day, deducted, note="", photo_upload=None, now=None):
    """One room's check of ``day``: ``deducted`` is {standard item id: (points, what was
    wrong)}. Each deduction at most the item's points; a room is checked once a day."""
    if room.school_id != actor.school_id or not room.active:
        raise DomainError(_l("Record not found."))
    check = DormCheck(school_id=room.school_id, room=room, day=day, note=(note or "").strip()[:200])
    start_record(actor, check, "checked_by", now)
    items = {item.id: item for item in standard_of(room.school_id)}
    deductions = []
    for item_id, (points, what) in deducted.items():
        item = items.get(item_id)
        if item is None:
            raise DomainError(_l("This item is not on the school's standard."))
        if points is None or points < 0:
            raise DomainError(_l("“%(item)s”: enter the points deducted, 0 or more.", item=item.text))
        if points > item.points:
            raise DomainError(
                _l(
                    "“%(item)s” is worth %(points)d points: no more than %(points)d can be deducted.",
                    item=item.text,
                    points=item.points,
                )
            )
        if points:
            deductions.append({"item": item.text, "points": points, "of": item.points, "note": (what or "").strip()})
    with db.session.no_autoflush:
        earlier = db.session.scalar(
            sa.select(DormCheck).where(DormCheck.room_id == room.id, DormCheck.day == day, DormCheck.standing())
        )
    if earlier is not None:
        raise DomainError(
            _l(
                "%(room)s was checked on this day already, by %(name)s: one check a day.",
                room=str(room),
                name=earlier.checked_by.display_name,
            )
        )
    check.deductions = deductions
    check.full_score = sum(item.points for item in items.values())
    check.score = max(check.full_score - sum(d["points"] for d in deductions), 0)
    if files.is_present(photo_upload):
        check.photo = files.store_upload(actor, room.school_id, photo_upload, files.PHOTO)
    records.save_record(actor, check, None, now)
    return check


def checks_between(school_id, first, last):
    return db.session.scalars(
        sa.select(DormCheck)
        .where(DormCheck.school_id == school_id, DormCheck.day.between(first, last), DormCheck.standing())
        .options(selectinload(DormCheck.room), selectinload(DormCheck.checked_by))
        .order_by(DormCheck.day, DormCheck.id)
    ).all()


def next_room(school_id, day, after):
    """The next room not yet checked on ``day``, in walking order from ``after``: the same
    floor first."""
    done = {check.room_id for check in checks_between(school_id, day, day)}
    rooms = [room for room in rooms_of(school_id) if room.id not in done]
    if after is None:
        return rooms[0] if rooms else None
    same_floor = [r for r in rooms if (r.building, r.floor) == (after.building, after.floor)]
    return (same_floor or rooms or [None])[0]


def record_coaching(actor, room, day, notes, now=None):
    if room.school_id != actor.school_id:
        raise DomainError(_l("Record not found."))
    coaching = DormCoaching(school_id=room.school_id, room=room, day=day, notes=(notes or "").strip())
    if not coaching.notes:
        raise DomainError(_l("Say what was shown to the room."), field="notes")
    start_record(actor, coaching, "coached_by", now)
    records.save_record(actor, coaching, None, now)
    return coaching


# --- gaps -------------------------------------------------------------------------------------


def unchecked_days(school, first, last, now=None):
    """Boarding days (school days of a school with rooms) first..last, up to yesterday,
    on which no room was checked."""
    yesterday = school_today(school, now or utcnow()) - timedelta(days=1)
    last = min(last, yesterday)
    if first > last or not rooms_of(school.id):
        return []
    calendar = load(school.id, first, last)
    checked = set(
        db.session.scalars(
            sa.select(DormCheck.day)
            .where(DormCheck.school_id == school.id, DormCheck.day.between(first, last), DormCheck.standing())
            .distinct()
        )
    )
    return [day for day in days_between(first, last) if calendar.is_school_day(day) and day not in checked]


def terms_of(school_id):
    return db.session.scalars(sa.select(Term).where(Term.school_id == school_id).order_by(Term.starts_on.desc())).all()


# --- what is due, for the reminders (portal/due_rules.py) -------------------------------------


def find_dorm_checks(context, choice):
    if not rooms_of(context.school.id):  # not a boarding school, as the compliance page decides
        return []
    checked = set(
        db.session.scalars(
            sa.select(DormCheck.day).where(
                DormCheck.school_id == context.school.id,
                DormCheck.day.between(context.days[0], context.days[-1]),
                DormCheck.standing(),
            )
        )
    )
    return [
        Gap(
            day.isoformat(),
            at(day, choice.due_time, context.school),
            _("%(day)s dormitory rooms not checked yet", day=day.isoformat()),
            ("dormitory.show_day", {"day": day.isoformat()}),
        )
        for day in context.days
        if context.calendar.is_school_day(day) and day not in checked
    ]
