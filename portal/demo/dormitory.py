"""The dormitories of the demo: rooms, beds, daily checks and a coaching."""

from datetime import UTC, datetime, time, timedelta

from ..extensions import db
from ..models.dormitory import DormBed, DormRoom
from ..services import calendar as school_calendar
from ..services import (
    dormitory,
    school_classes,
)
from ..timeutil import zone
from .common import GIVEN, SURNAMES


def seed_dormitory(school, members, today):
    """Twelve rooms in two buildings, four students a room from the four classes (许静 teaches
    七(1)班), a check of every room on each school day of the last two weeks by the dormitory
    manager, today's first rooms done, and the week's weakest room coached."""
    manager, director = members["dorm"], members["director"]
    term = school_calendar.current_term(school.id, today)
    classes = {c.name: c for c in school_classes.classes_of(school.id)}
    classes["七(1)班"].class_teacher = members["teacher"]
    items = dormitory.standard_of(school.id)
    rooms = []
    for building in ("男生1号楼", "女生1号楼"):
        for number in ("301", "302", "303", "401", "402", "403"):
            room = DormRoom(school_id=school.id, building=building, number=number, floor=int(number[0]), beds=4)
            dormitory.save_room(None, room, None)
            rooms.append(room)
    for n, room in enumerate(rooms):
        school_class = classes[f"七({n % 4 + 1})班"]
        for bed in range(1, 5):
            name = SURNAMES[(n * 4 + bed) % len(SURNAMES)] + GIVEN[(n + bed) % len(GIVEN)]
            dormitory.save_bed(
                None,
                DormBed(
                    school_id=school.id,
                    term=term,
                    room=room,
                    bed=str(bed),
                    student_name=name,
                    school_class=school_class,
                ),
                None,
            )
    db.session.flush()
    calendar = school_calendar.load(school.id, today - timedelta(days=14), today)
    notes = ("被子没有叠成方块", "鞋子摆放不齐", "地面有纸屑", "毛巾未挂整齐")
    for offset in range(14, -1, -1):
        day = today - timedelta(days=offset)
        if not calendar.is_school_day(day) and offset:
            continue
        for n, room in enumerate(rooms if offset else rooms[:5]):
            seed_number = (n * 7 + offset * 3) % 11
            deducted = {}
            if seed_number < 4:
                item = items[seed_number % len(items)]
                deducted[item.id] = (min(item.points, 5 + 5 * (n == 8)), notes[seed_number])
            if n == 8:  # 女生1号楼303: the room to coach
                deducted = {items[0].id: (15, "被子没有叠"), items[3].id: (10, "地面有积水")}
            moment = datetime.combine(day, time(21, 30 + n), tzinfo=zone(school)).astimezone(UTC)
            note = "；".join(what for _points, what in deducted.values())
            dormitory.record_check(manager, room, day, {k: (v[0], "") for k, v in deducted.items()}, note, now=moment)
    coached_on = today - timedelta(days=today.weekday() + 3) if today.weekday() < 5 else today
    dormitory.record_coaching(
        director,
        rooms[8],
        coached_on,
        "班主任与宿管一起示范叠被子、地面拖干，约定下周每天抽查",
        now=datetime.combine(coached_on, time(17), tzinfo=zone(school)).astimezone(UTC),
    )
    db.session.flush()
