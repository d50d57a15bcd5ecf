"""Demo data: a county with two schools like the one in the school's own account.

Everything is created through the services, so the demo has an audit trail too. One
module per part of the school's work; seed() is the table of contents.
"""

import sqlalchemy as sa

from ..extensions import db
from ..models.access import Role
from ..models.school import School
from ..services import day_summaries, notifications, schools, users
from ..timeutil import school_today
from .canteen import seed_canteen, seed_canteen_records
from .common import DEMO_PASSWORD
from .dormitory import seed_dormitory
from .inspections import seed_workflow
from .nutrition import seed_nutrition
from .office import seed_calendar, seed_certificates, seed_rules, seed_training
from .public import seed_public
from .storeroom import seed_storeroom
from .students import seed_clean_plate, seed_committee, seed_surveys

COUNTY = "郧西县"


COUNTY_USERS = [
    ("county", "张建国", [Role.COUNTY_ADMIN]),
    ("auditor", "李明华", [Role.COUNTY_AUDITOR]),
]


# (username suffix, name, roles, certificates: [(kind, days until expiry)])
SCHOOL_PEOPLE = [
    ("clerk", "王晓燕", [Role.SCHOOL_ADMIN], []),
    ("principal", "刘德明", [Role.PRINCIPAL], []),
    ("director", "陈志强", [Role.DIRECTOR], [("健康证", 200), ("食品安全管理员证", 600)]),
    ("cook1", "赵桂兰", [Role.STAFF], [("健康证", 150), ("厨师证", None)]),
    ("cook2", "孙秀英", [Role.STAFF], [("健康证", 12)]),
    ("cook3", "周建华", [Role.STAFF], [("健康证", 25)]),
    ("cook4", "吴玉梅", [Role.STAFF], [("健康证", -22)]),
    ("keeper", "郑国平", [Role.STAFF], [("健康证", 90)]),
    ("vice", "杨文华", [Role.STAFF], []),  # 副校长: a school leader, eats with the students
    ("dorm", "林淑芬", [Role.STAFF], []),  # 宿舍管理员
    ("teacher", "许静", [Role.STAFF], []),  # 七(1)班班主任
]


JIAHE_PEOPLE = [
    ("clerk", "黄丽娟", [Role.SCHOOL_ADMIN], []),
    ("principal", "杨光辉", [Role.PRINCIPAL], []),
    ("director", "何文斌", [Role.DIRECTOR], [("健康证", 300)]),
    ("cook1", "马春花", [Role.STAFF], [("健康证", 40)]),
    ("cook2", "罗建军", [Role.STAFF], [("健康证", 5)]),
    ("cook3", "高秀芳", [Role.STAFF], [("健康证", 210)]),
    ("vice", "冯玉兰", [Role.STAFF], []),
]


SCHOOLS = [
    # (name, username prefix, people)
    ("XX中学", "xx", SCHOOL_PEOPLE),
    ("夹河中学", "jh", JIAHE_PEOPLE),
]


def seed():
    """Creates the demo county once; returns False when it is already there."""
    if db.session.scalar(sa.select(School.id).where(School.name == SCHOOLS[0][0])) is not None:
        return False
    for username, name, roles in COUNTY_USERS:
        users.create_user(None, username=username, display_name=name, password=DEMO_PASSWORD, roles=roles)
    for school_name, prefix, people in SCHOOLS:
        _seed_school(school_name, prefix, people)
    day_summaries.summarise_all()  # as the routine would have: the county's pages read them
    return True


def _seed_school(name, prefix, people):
    school = schools.create_school(None, name=name, county=COUNTY)
    today = school_today(school)
    members = {}
    for suffix, display_name, roles, _certs in people:
        members[suffix] = users.create_user(
            None,
            username=f"{prefix}-{suffix}",
            display_name=display_name,
            password=DEMO_PASSWORD,
            roles=roles,
            school=school,
            canteen_worker=suffix.startswith("cook"),
            food_safety_manager=suffix == "director",
            school_leader=suffix == "vice",
            dormitory_manager=suffix == "dorm",
        )
    db.session.flush()
    seed_rules(school, members, today)
    seed_training(school, members, today)
    seed_certificates(school, members, people, today)
    seed_calendar(school, today)
    seed_workflow(school, members, today)
    seed_canteen(school, members, today)
    seed_canteen_records(school, members, today)
    seed_storeroom(school, members, today)
    seed_nutrition(school, members, today)
    seed_clean_plate(school, members, today)
    seed_surveys(school, members, today)
    seed_committee(school, members, today)
    seed_public(school, members, today)
    if "dorm" in members:
        seed_dormitory(school, members, today)
    # The weeks of history were read as they happened (what still needs doing is on the home
    # page): a demo user starts with no pile of unread notifications.
    for member in members.values():
        notifications.mark_all_read(member)


def accounts_text():
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    for username, name, roles in COUNTY_USERS:
        lines.append(f"  {username:<16} {name}  {', '.join(r.value for r in roles)}")
    for school_name, prefix, people in SCHOOLS:
        for suffix, name, roles, _certs in people:
            lines.append(f"  {prefix + '-' + suffix:<16} {name}  {', '.join(r.value for r in roles)}  {school_name}")
    return "\n".join(lines)
