"""一天一通报，一周一评比: the day's notice per class (of every class for readers of the
dormitories, of their own classes for class teachers) and the week's ranking with the red flag."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from ..models.access import Permission
from .dormitory import checks_between, classes_of_rooms, rooms_of


@dataclass
class ClassNotice:
    school_class: object
    rooms: list = field(default_factory=list)  # [(room, check or None)]

    @property
    def checked(self):
        return [check for _room, check in self.rooms if check is not None]

    @property
    def average(self):
        checked = self.checked
        return round(sum(c.score for c in checked) / len(checked), 1) if checked else None


def daily_notice(school_id, day, only_classes=None):
    """每日通报: per class, its rooms with the day's checks (a room shared by two classes
    counts for both), classes in name order."""
    checks = {check.room_id: check for check in checks_between(school_id, day, day)}
    rooms = {room.id: room for room in rooms_of(school_id)}
    notices = {}
    for room_id, classes in classes_of_rooms(school_id, day).items():
        if room_id not in rooms:
            continue
        for school_class in classes:
            if only_classes is not None and school_class.id not in only_classes:
                continue
            notice = notices.setdefault(school_class.id, ClassNotice(school_class))
            notice.rooms.append((rooms[room_id], checks.get(room_id)))
    for notice in notices.values():
        notice.rooms.sort(key=lambda pair: (pair[0].building, pair[0].floor, pair[0].number))
    return sorted(notices.values(), key=lambda n: n.school_class.name)


@dataclass
class Ranking:
    monday: object
    classes: list  # [(class, average, checks)] best first
    rooms: list  # [(room, average, checks)] best first
    coaching_below: int
    red_flag: list  # the best class (several when tied)

    @property
    def best_rooms(self):
        return [row for row in self.rooms[:3] if row[1] >= self.coaching_below]

    @property
    def rooms_to_coach(self):
        return sorted((row for row in self.rooms if row[1] < self.coaching_below), key=lambda row: row[1])


def weekly_ranking(school, monday):
    """每周评比 of the week from ``monday``: class and room averages of the week's checks, the
    best rooms, the rooms to coach (averaging below the school's setting) and the rotating
    red flag (流动红旗) for the best class."""
    sunday = monday + timedelta(days=6)
    checks = checks_between(school.id, monday, sunday)
    classes_of = classes_of_rooms(school.id, monday) or classes_of_rooms(school.id, sunday)
    by_room, by_class, classes = defaultdict(list), defaultdict(list), {}
    for check in checks:
        by_room[check.room].append(check.score)
        for school_class in classes_of.get(check.room_id, ()):
            classes[school_class.id] = school_class
            by_class[school_class.id].append(check.score)

    def averaged(groups, key):
        rows = [(key(k), round(sum(v) / len(v), 1), len(v)) for k, v in groups.items()]
        return sorted(rows, key=lambda row: (-row[1], str(row[0])))

    class_rows = averaged(by_class, classes.get)
    top = class_rows[0][1] if class_rows else None
    return Ranking(
        monday=monday,
        classes=class_rows,
        rooms=averaged(by_room, lambda room: room),
        coaching_below=school.settings.dorm_coaching_below,
        red_flag=[row[0] for row in class_rows if row[1] == top],
    )


def notice_classes_for(user):
    """The classes whose daily notice ``user`` reads: every class (None) with dormitory.read,
    else the classes they teach."""
    if user.can(Permission.DORM_READ):
        return None
    return {school_class.id for school_class in user.taught_classes}
