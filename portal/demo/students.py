"""Students and parents in the demo: clean plate, surveys and the parents' meal committee."""

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from ..extensions import db
from ..models.canteen import Meal
from ..models.clean_plate import LeftoverWeighing
from ..models.committee import ActivityKind, CommitteeActivity, CommitteeMember
from ..models.survey import Audience, Survey
from ..services import calendar as school_calendar
from ..services import (
    canteen,
    clean_plate,
    committee,
    school_classes,
    surveys,
)
from ..timeutil import zone


def seed_clean_plate(school, members, today):
    """Lunch leftovers weighed class by class on the lunch days of the last week (the
    vegetables left most), one class over the target."""
    cook = next(user for suffix, user in members.items() if suffix.startswith("cook"))
    classes = school_classes.classes_of(school.id)
    dishes = defaultdict(list)
    for day in school_calendar.days_between(today - timedelta(days=8), today - timedelta(days=1)):
        dishes[day] = canteen.dishes_of(school.id, day)
    for day, menu in sorted(dishes.items()):
        if not menu:
            continue
        for n, school_class in enumerate(classes):
            weighing = LeftoverWeighing(
                school_id=school.id,
                day=day,
                meal=Meal.LUNCH,
                school_class=school_class,
                kg=Decimal("0.30") + Decimal("0.08") * n + (Decimal("0.25") if n == 3 else 0),
                diners=11 + n % 2,
                most_left_dish=menu[min(1, len(menu) - 1)] if n % 2 else None,
            )
            moment = datetime.combine(day, time(13, 10 + n), tzinfo=zone(school)).astimezone(UTC)
            clean_plate.record_weighing(cook, weighing, now=moment)
    db.session.flush()


def seed_surveys(school, members, today):
    """The semester's menu survey of the students, answered by 36 of 48 (cucumber and
    zucchini least liked: the account's own story) with the canteen's action; the parents'
    satisfaction survey open, not yet answered. A survey belongs to a term: in the winter or
    summer holidays there is none to hold."""
    if school_calendar.load(school.id, today, today).term_of(today) is None:
        return
    clerk, director = members["clerk"], members["director"]
    menu = Survey(
        school_id=school.id, title="菜品满意度调查", audiences=[Audience.STUDENTS], audience_size=48, closes_on=today
    )
    questions = "菜品：凉拌黄瓜\n菜品：清炒西葫芦\n菜品：红烧肉\n菜品：番茄炒蛋\n文字：你最不爱吃哪道菜？为什么？"
    surveys.create_survey(clerk, menu, questions)
    menu.is_open = True
    db.session.flush()
    ids = {question.text: str(question.id) for question in menu.questions}
    for n in range(36):
        answers = {
            ids["凉拌黄瓜"]: str(1 + n % 3),
            ids["清炒西葫芦"]: str(1 + n % 2),
            ids["红烧肉"]: str(4 + n % 2),
            ids["番茄炒蛋"]: str(3 + n % 3),
            ids["你最不爱吃哪道菜？为什么？"]: ("黄瓜太生", "西葫芦没味道", "")[n % 3],
        }
        surveys.answer(menu, answers, device_cookie=f"demo-{n}")
    surveys.record_action(director, menu, "午餐轮换菜单中去掉凉拌黄瓜和清炒西葫芦，采购随之调整", "凉拌黄瓜")
    parents = Survey(
        school_id=school.id,
        title="家长食品安全与满意度调查",
        audiences=[Audience.PARENTS],
        audience_size=48,
        closes_on=today + timedelta(days=14),
    )
    surveys.create_survey(clerk, parents, surveys.SATISFACTION)
    parents.is_open = True
    db.session.flush()


def seed_committee(school, members, today):
    """The parents' meal committee of this school year: three parents, a tasting last week
    whose finding became a task, and the publication of last month's accounts."""
    director, cook = members["director"], members["cook1"]
    parents = []
    for n, (name, class_name, contact) in enumerate(
        (
            ("韩桂芝", "七(1)班", "13907190011"),
            ("曹建明", "七(2)班", "13907190022"),
            ("邓丽华", "七(3)班", "13907190033"),
        )
    ):
        member = CommitteeMember(
            school_id=school.id, school_year=committee.school_year_of(today), name=name, class_name=class_name
        )
        member.contact, member.chair = contact, n == 0
        committee.save_member(None, member, None)
        parents.append(member)
    db.session.flush()
    tasted = today - timedelta(days=1)
    moment = datetime.combine(tasted, time(12, 30), tzinfo=zone(school)).astimezone(UTC)
    tasting = CommitteeActivity(school_id=school.id, day=tasted, kind=ActivityKind.TASTING, findings="青菜偏咸")
    committee.record_activity(director, tasting, [p.id for p in parents[:2]], responsible=cook, now=moment)
    accounts = CommitteeActivity(school_id=school.id, day=tasted, kind=ActivityKind.ACCOUNTS)
    committee.record_activity(director, accounts, [parents[0].id], now=moment)
    db.session.flush()
