"""Demo data: a county with two schools like the one in the school's own account.

Everything is created through the services, so the demo has an audit trail too.
"""

import io
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from .extensions import db
from .models.access import Role
from .models.accompanied_meal import AccompaniedMeal, Opinion, ParentMeal
from .models.calendar import CalendarDay, DayKind, Term
from .models.canteen import DisinfectionMethod, Meal, MenuDish, MorningCheck, TablewareDisinfection
from .models.certificate import Certificate, CertificateKind
from .models.clean_plate import LeftoverWeighing
from .models.cold_chain import ColdUnit, ColdUnitKind, TemperatureReading
from .models.committee import ActivityKind, CommitteeActivity, CommitteeMember
from .models.dormitory import DormBed, DormRoom
from .models.food_safety import DispatchMeeting
from .models.hygiene import CanteenRoom, PreventionCheck, RoomDisinfection, RoomKind
from .models.inspection import InspectionStatus
from .models.nutrition import ChangeKind, DailyReport, SpendingCategory, Student, SubsidyCharge
from .models.purchasing import Delivery, DeliveryItem, DeliveryResult, Supplier
from .models.rule import PostingLocation as Loc
from .models.rule import Rule, RuleCategory
from .models.school import School
from .models.survey import Audience, Survey
from .models.training import AttendanceStatus, TrainingAttendance, TrainingKind, TrainingSession
from .services import (
    accompanied_meals,
    audit,
    canteen,
    certificates,
    clean_plate,
    cold_chain,
    committee,
    dormitory,
    files,
    food_safety,
    hygiene,
    inspections,
    nutrition,
    planning,
    purchasing,
    records,
    rectification,
    rules,
    school_classes,
    schools,
    storeroom,
    subsidy,
    surveys,
    training,
    users,
)
from .services import calendar as school_calendar
from .timeutil import school_today, zone

DEMO_PASSWORD = "demo-1234"  # noqa: S105 - the published demo password
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

RULES = [
    (
        "食品安全管理制度",
        RuleCategory.FOOD_SAFETY,
        [Loc.KITCHEN, Loc.NOTICE_BOARD],
        "一、学校食堂实行校长负责制，校长为食品安全第一责任人，总务主任具体负责日常管理。\n"
        "二、食堂设食品安全管理员，每日开展日管控检查，每周开展周排查，每月召开月调度会议，并如实记录。\n"
        "三、严格执行采购、运输、入库、贮存、出库、加工、烹饪、留样、陪餐各环节操作规范。\n"
        "四、校长每周至少检查两次，总务主任每天随时检查；发现问题当日整改，整改不过夜。\n"
        "五、禁止采购、使用亚硝酸盐；不得加工四季豆、鲜黄花菜、野生蘑菇、发芽土豆等高风险食品；不得制售冷荤类、生食类食品和裱花蛋糕。",
    ),
    (
        "食品留样制度",
        RuleCategory.FOOD_SAFETY,
        [Loc.KITCHEN],
        "一、每餐次的每种菜品均须留样，每个品种留样量不少于125克。\n"
        "二、留样食品放入清洗消毒后的专用密闭容器，贴好标签，注明餐次、品名、留样时间和留样人。\n"
        "三、留样食品置于专用冷藏设备中冷藏保存48小时以上，专人负责，上锁管理。\n"
        "四、留样记录须有留样人和审核人签字，记录保存备查。",
    ),
    (
        "餐饮具清洗消毒制度",
        RuleCategory.HYGIENE,
        [Loc.WASHING_ROOM, Loc.KITCHEN],
        "一、餐饮具每餐使用后必须清洗消毒，做到一洗、二清、三消毒、四保洁。\n"
        "二、煮沸、蒸汽消毒温度100℃，保持10分钟以上；红外线消毒温度120℃以上，保持10分钟以上。\n"
        "三、洗碗机消毒水温85℃，冲洗消毒40秒以上。\n"
        "四、使用含氯消毒剂（84消毒液）时，有效氯浓度250mg/L以上，全部浸泡5分钟以上，消毒后用清水冲净。\n"
        "五、消毒后的餐饮具放入专用保洁柜，并做好消毒记录。",
    ),
    (
        "从业人员健康管理制度",
        RuleCategory.CANTEEN,
        [Loc.KITCHEN, Loc.OFFICE],
        "一、食堂从业人员必须取得有效健康证明后方可上岗，健康证每年复检一次。\n"
        "二、每天上岗前进行晨检，凡有发热、腹泻、皮肤伤口或感染、咽部炎症等症状者，应立即离岗，痊愈后方可上岗。\n"
        "三、从业人员应保持个人卫生，穿戴清洁的工作衣帽，不得留长指甲、涂指甲油、佩戴饰物。",
    ),
    (
        "食品进货查验和索证索票制度",
        RuleCategory.FOOD_SAFETY,
        [Loc.STOREROOM],
        "一、从具有合法资质的供货单位采购食品及原料，查验供货者的许可证和产品合格证明文件。\n"
        "二、如实记录食品名称、规格、数量、生产日期或批号、保质期、进货日期以及供货者名称、地址、联系方式。\n"
        "三、大宗食品由两人以上共同验收。\n"
        "四、进货查验记录和凭证保存期限不得少于产品保质期满后六个月；没有明确保质期的，保存期限不得少于二年。",
    ),
    (
        "库房管理制度",
        RuleCategory.CANTEEN,
        [Loc.STOREROOM],
        "一、库房专用，不得存放有毒有害物品及个人物品。\n"
        "二、食品分类分架存放，离地离墙10厘米以上，生熟分开，标识清楚。\n"
        "三、出库遵循先进先出原则，定期检查，及时清理过期变质食品。\n"
        "四、库房保持通风、干燥、清洁，做好防鼠、防蝇、防虫、防尘措施，定期消毒。",
    ),
    (
        "学校领导陪餐制度",
        RuleCategory.CANTEEN,
        [Loc.DINING_HALL],
        "一、学校领导轮流陪同学生就餐，每餐均须有陪餐人员。\n"
        "二、陪餐人员与学生同菜同价，了解饭菜质量、温度、卫生和分量。\n"
        "三、认真填写陪餐记录，发现问题及时反馈总务处，当日整改。\n"
        "四、每学期邀请家长代表进食堂陪餐。",
    ),
    (
        "四防管理制度",
        RuleCategory.HYGIENE,
        [Loc.KITCHEN, Loc.STOREROOM, Loc.DINING_HALL],
        "一、严把四防关：防鼠、防蚊蝇、防虫、防尘。\n"
        "二、库房、操作间门口设防鼠板，排水口设防鼠网，窗户安装纱窗。\n"
        "三、定期检查四防设施，发现破损立即修复，并做好检查记录。",
    ),
]

# A later version of the sample rule, to show that earlier versions stay readable.
SAMPLE_RULE_V2 = (
    "一、每餐次的每种菜品均须留样，每个品种留样量不少于125克。\n"
    "二、留样食品放入清洗消毒后的专用密闭容器，贴好标签，注明餐次、品名、留样时间和留样人。\n"
    "三、留样食品置于专用冷藏设备中冷藏保存48小时以上，专人负责，上锁管理。\n"
    "四、留样记录须有留样人和审核人签字，记录保存备查。\n"
    "五、留样冰箱每日记录温度，保持在0℃至8℃。"
)


def seed():
    """Creates the demo county once; returns False when it is already there."""
    if db.session.scalar(sa.select(School.id).where(School.name == SCHOOLS[0][0])) is not None:
        return False
    for username, name, roles in COUNTY_USERS:
        users.create_user(None, username=username, display_name=name, password=DEMO_PASSWORD, roles=roles)
    for school_name, prefix, people in SCHOOLS:
        _seed_school(school_name, prefix, people)
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
    _seed_rules(school, members, today)
    _seed_training(school, members, today)
    _seed_certificates(school, members, people, today)
    _seed_calendar(school, today)
    _seed_workflow(school, members, today)
    _seed_canteen(school, members, today)
    _seed_canteen_records(school, members, today)
    _seed_storeroom(school, members, today)
    _seed_nutrition(school, members, today)
    _seed_clean_plate(school, members, today)
    _seed_surveys(school, members, today)
    _seed_committee(school, members, today)
    if "dorm" in members:
        _seed_dormitory(school, members, today)


def _seed_rules(school, members, today):
    clerk = members["clerk"]
    term_start = _term_start(today)
    staff = [user for user in members.values() if user.has_role(Role.STAFF)]
    for index, (title, category, locations, body) in enumerate(RULES):
        rule = Rule(
            school_id=school.id, title=title, category=category, posted_locations=[loc.value for loc in locations]
        )
        rules.save_rule(clerk, rule, None, body=body, effective_on=term_start)
        rules.post_rule(clerk, rule)
        db.session.flush()
        # Most staff have read most rules; the last rules are still being studied.
        readers = staff if index < 5 else staff[: len(staff) // 2]
        for reader in readers:
            rules.acknowledge(reader, rule)
        if title == "食品留样制度":
            before = audit.snapshot(rule)
            rules.save_rule(clerk, rule, before, body=SAMPLE_RULE_V2, effective_on=today - timedelta(days=7))
            db.session.flush()
            for reader in staff[:2]:
                rules.acknowledge(reader, rule)
    draft = Rule(
        school_id=school.id,
        title="宿舍内务管理制度",
        category=RuleCategory.DORMITORY,
        posted_locations=[Loc.DORMITORY.value],
    )
    rules.save_rule(
        clerk,
        draft,
        None,
        body="一、一天一检查，一天一通报，一周一评比。\n二、被子叠成“豆腐块”，杯子、毛巾、牙具、脸盆、鞋子摆放一条线。\n三、地面清洁干燥，无杂物，无积水，工具摆放整齐。",
        effective_on=None,
    )


def _seed_training(school, members, today):
    director = members["director"]
    everyone_at_work = [u for u in members.values() if u.has_role(Role.STAFF) or u is director]
    sessions = [
        (
            "县勤办、县市场监管局食堂管理者培训",
            TrainingKind.COUNTY_TRAINING,
            date(today.year, 8, 20),
            time(9, 0),
            Decimal("6"),
            "县勤办、县市场监管局",
            "县市场监管局食品安全科",
            "县教育局会议室",
            "学校食品安全与营养健康管理规定；食堂操作规范；留样、陪餐、索证索票要求。",
            [director],
        )
    ]
    monday = _term_start(today)
    while monday <= today:
        sessions.append(
            (
                f"每周例会（{monday.month}月{monday.day}日）",
                TrainingKind.WEEKLY_MEETING,
                monday,
                time(16, 30),
                Decimal("1"),
                "总务处",
                director.display_name,
                "食堂餐厅",
                "强调食品安全的重要性和操作流程要求，通报上周检查发现的问题及整改情况。",
                everyone_at_work,
            )
        )
        monday += timedelta(days=7)
    for month, topic in ((9, "食品安全知识与晨检要求"), (10, "餐饮具清洗消毒操作规范"), (11, "留样与进货查验实务")):
        day = date(today.year, month, 15)
        if day <= today:
            sessions.append(
                (
                    f"食品安全培训：{topic}",
                    TrainingKind.SCHOOL_TRAINING,
                    day,
                    time(14, 30),
                    Decimal("2"),
                    "总务处",
                    director.display_name,
                    "会议室",
                    f"{topic}；现场演示与答题考核。",
                    everyone_at_work,
                )
            )
    for number, (title, kind, day, at, hours, organiser, trainer, location, summary, attendees) in enumerate(sessions):
        session = TrainingSession(
            school_id=school.id,
            title=title,
            kind=kind,
            starts_at=datetime.combine(day, at, tzinfo=zone(school)),
            hours=hours,
            organiser=organiser,
            trainer=trainer,
            location=location,
            summary=summary,
        )
        for position, person in enumerate(attendees):
            # Now and then somebody misses a meeting.
            absent = kind is TrainingKind.WEEKLY_MEETING and (number + position) % 7 == 0
            score = None if kind is not TrainingKind.SCHOOL_TRAINING else Decimal(80 + (number * 3 + position * 5) % 20)
            session.attendances.append(
                TrainingAttendance(
                    user=person,
                    status=AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT,
                    score=None if absent else score,
                )
            )
        training.save_session(members["clerk"], session, None)


def _seed_certificates(school, members, people, today):
    kinds = {
        kind.name: kind
        for kind in db.session.scalars(sa.select(CertificateKind).where(CertificateKind.school_id == school.id))
    }
    clerk = members["clerk"]
    serial = 1
    for suffix, _name, _roles, held in people:
        for kind_name, days_left in held:
            expires_on = today + timedelta(days=days_left) if days_left is not None else None
            # Health certificates are yearly; the food-safety manager's is valid three years.
            valid_for = timedelta(days=365 if days_left is None or days_left <= 365 else 3 * 365)
            issued_on = (expires_on - valid_for) if expires_on else date(2018, 6, 1)
            certificate = Certificate(
                school_id=school.id,
                holder=members[suffix],
                kind=kinds[kind_name],
                number=f"{42032200 + school.id * 1000 + serial}",
                issuing_authority="郧西县疾病预防控制中心" if kind_name == "健康证" else "十堰市市场监督管理局",
                issued_on=issued_on,
                expires_on=expires_on,
            )
            certificates.save_certificate(clerk, certificate, None)
            serial += 1


def _term_start(today):
    """The first Monday of September of this school year."""
    year = today.year if today.month >= 8 else today.year - 1
    first = date(year, 9, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def accounts_text():
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    for username, name, roles in COUNTY_USERS:
        lines.append(f"  {username:<16} {name}  {', '.join(r.value for r in roles)}")
    for school_name, prefix, people in SCHOOLS:
        for suffix, name, roles, _certs in people:
            lines.append(f"  {prefix + '-' + suffix:<16} {name}  {', '.join(r.value for r in roles)}  {school_name}")
    return "\n".join(lines)


def _seed_calendar(school, today):
    term_start = _term_start(today)
    year = term_start.year
    planning.save_term(
        None,
        Term(school_id=school.id, name=f"{year}年秋季学期", starts_on=term_start, ends_on=date(year + 1, 1, 22)),
        None,
    )
    for spring in (year, year + 1):  # the school year's spring term, and last year's for history
        planning.save_term(
            None,
            Term(
                school_id=school.id,
                name=f"{spring}年春季学期",
                starts_on=date(spring, 2, 24),
                ends_on=date(spring, 7, 3),
            ),
            None,
        )
    holidays = [(date(year, 10, 1) + timedelta(days=n), "国庆节") for n in range(7)]
    for day, note in holidays:
        planning.save_day(None, CalendarDay(school_id=school.id, day=day, kind=DayKind.HOLIDAY, note=note), None)
    planning.save_day(
        None, CalendarDay(school_id=school.id, day=date(year, 10, 10), kind=DayKind.MAKEUP_DAY, note="国庆调休"), None
    )


def _seed_workflow(school, members, today):
    """A term of inspections: most days done, a few missed (one excused), problems fixed
    the same day and signed off; something overdue, something to verify, something to sign."""
    director, principal, clerk = members["director"], members["principal"], members["clerk"]
    cooks = [user for user in members.values() if user.has_role(Role.STAFF) and not user.school_leader]
    first = _term_start(today)
    planning.plan(None, school, first, today + timedelta(days=6), first)
    zone_ = zone(school)

    def at(day, hour, minute=0):
        return datetime.combine(day, time(hour, minute), tzinfo=zone_).astimezone(UTC)

    done = []
    for n, assignment in enumerate(planning.assignments_between(school.id, first, today)):
        day = _inspection_day(assignment, today)
        if day is None:
            continue
        is_director = assignment.rule.role is Role.DIRECTOR
        if is_director and n % 13 == 5 and day < today:
            if n % 26 == 5:
                planning.excuse(clerk, assignment, "总务主任参加县教育局食堂管理培训")
            continue  # missed
        if day == today:
            if is_director:
                inspections.start_from_assignment(director, assignment, today=today)  # in progress
            continue
        inspector = director if is_director else principal
        inspection = inspections.start_from_assignment(inspector, assignment, today=day)
        failing = {7} if n % 9 == 2 else set()  # the fridge temperature item
        for position, item in enumerate(inspection.items):
            failed = position in failing
            inspections.answer_item(
                inspector, item, "fail" if failed else "pass", "冷藏冰箱温度 10℃，高于 8℃" if failed else "", None
            )
        fixer = cooks[n % len(cooks)]
        responsible = {key: fixer for key, _text in inspections.pending_findings(inspection)}
        inspections.submit(inspector, inspection, responsible, now=at(day, 9, 30))
        done.append((day, inspection))
    with_tasks = [(day, inspection) for day, inspection in done if inspection.tasks]
    for position, (day, inspection) in enumerate(reversed(with_tasks)):
        for task in inspection.tasks:
            if position == 0:
                continue  # the latest problem is still open: overdue, red on the home pages
            rectification.rectify(task.responsible, task, "已联系维修，食品已转移到备用冰箱", now=at(day, 14))
            if position == 1:
                continue  # rectified, waiting for verification
            verifier = principal if inspection.inspector_id == director.id else director
            rectification.verify(verifier, task, now=at(day, 16))
    to_sign = [
        i.id for day, i in done if i.status is InspectionStatus.READY_FOR_SIGN_OFF and day < today - timedelta(days=3)
    ]
    if to_sign:
        inspections.sign_off(principal, to_sign, DEMO_PASSWORD, "同意", now=at(today, 8))


LUNCH_MENUS = [
    ["红烧肉", "清炒时蔬", "番茄炒蛋", "紫菜蛋花汤"],
    ["宫保鸡丁", "醋溜白菜", "麻婆豆腐", "冬瓜排骨汤"],
    ["土豆烧牛肉", "蒜蓉油麦菜", "木耳炒肉", "番茄蛋汤"],
]


def _then(school, day, hour, now):
    """When a record of ``day`` was entered: that hour of the day, or now for today's."""
    return min(datetime.combine(day, time(hour), tzinfo=zone(school)).astimezone(UTC), now)


def _seed_canteen(school, members, today):
    """The last week's lunch ledgers, complete but for one sample yesterday; today's morning
    checks and samples half done, so the board has something to show in red."""
    director = members["director"]
    cooks = [user for suffix, user in members.items() if suffix.startswith("cook")]
    calendar = school_calendar.load(school.id, today - timedelta(days=7), today)
    now = datetime.now(UTC)
    for offset in range(7, -1, -1):
        day = today - timedelta(days=offset)
        if not calendar.is_canteen_day(day):
            continue
        dishes = []
        for name in LUNCH_MENUS[day.toordinal() % len(LUNCH_MENUS)]:
            dish = MenuDish(school_id=school.id, day=day, meal=Meal.LUNCH, name=name)
            canteen.save_dish(director, dish, None, now=_then(school, day, 8, now))
            dishes.append(dish)
        kept_at = datetime.combine(day, time(11, 50), tzinfo=zone(school)).astimezone(UTC)
        sampled = dishes if offset > 1 else dishes[:-1] if offset == 1 else dishes[:2]
        if kept_at <= now:
            for n, dish in enumerate(sampled, start=1):
                canteen.record_sample(
                    cooks[0],
                    dish,
                    130 + n * 5 + (0.5 if n == 2 else 0),
                    f"A{n}",
                    retained_at=kept_at,
                    # reviewed the same day, but today's not yet
                    reviewed_by=director if offset > 0 else None,
                    now=_then(school, day, 12, now),
                )
        if offset > 0:
            record = TablewareDisinfection(
                school_id=school.id,
                day=day,
                meal=Meal.LUNCH,
                method=DisinfectionMethod.STEAM,
                temperature_c=100,
                duration_seconds=900,
                items="碗、盘、筷子、勺",
            )
            canteen.save_disinfection(cooks[1 % len(cooks)], record, None, now=_then(school, day, 13, now))
        checked = cooks if offset > 0 else cooks[:-1]
        missing = canteen.missing_certificates(school.id, [cook.id for cook in checked], day)
        for cook in checked:
            certified = not missing[cook.id]
            check = MorningCheck(
                school_id=school.id,
                day=day,
                worker=cook,
                temperature_c=36.4,
                symptoms="",
                fit=True,
                on_duty=certified,
                action_taken="" if certified else "健康证过期，停岗办证",
            )
            canteen.save_morning_check(director, check, None, now=_then(school, day, 7, now))
        db.session.flush()


ROOMS = [
    ("主食库", RoomKind.STOREROOM),
    ("副食库", RoomKind.STOREROOM),
    ("切配间", RoomKind.KITCHEN),
    ("学生餐厅", RoomKind.DINING_HALL),
]
# (name, licence number, days until the licence expires)
SUPPLIERS = [
    ("县粮油购销公司", "JY13301020000101", 400),
    ("城关肉联厂", "JY13301020000245", 90),
    ("绿源蔬菜专业合作社", "JY13301020000388", -1),
]


def _seed_canteen_records(school, members, today):
    """Accompanied meals, rooms, deliveries and the weekly and monthly records of the last
    week: one meal with a problem, one room overdue, one supplier's licence expired."""
    director, principal = members["director"], members["principal"]
    cooks = [user for suffix, user in members.items() if suffix.startswith("cook")]
    calendar = school_calendar.load(school.id, today - timedelta(days=14), today)

    def moment(day, hour, minute=0):
        return datetime.combine(day, time(hour, minute), tzinfo=zone(school)).astimezone(UTC)

    rooms = []
    for name, kind in ROOMS:
        room = CanteenRoom(school_id=school.id, name=name, kind=kind, created_on=today - timedelta(days=14))
        hygiene.save_room(director, room, None)
        rooms.append(room)
    suppliers = []
    for name, number, days in SUPPLIERS:
        supplier = Supplier(
            school_id=school.id,
            name=name,
            licence_number=number,
            licence_expires_on=today + timedelta(days=days),
            contact="0571-8888" + number[-4:],
        )
        purchasing.save_supplier(director, supplier, None)
        suppliers.append(supplier)
    for offset in range(7, -1, -1):
        day = today - timedelta(days=offset)
        if not calendar.is_canteen_day(day):
            continue
        if offset > 0:
            problem = "汤温度偏低，已要求加热后再出餐" if offset == 2 else ""
            record = AccompaniedMeal(
                school_id=school.id,
                day=day,
                meal=Meal.LUNCH,
                leader=principal if offset % 2 else members["vice"],
                dishes_tasted="、".join(LUNCH_MENUS[day.toordinal() % len(LUNCH_MENUS)][:2]),
                taste=Opinion.GOOD,
                temperature=Opinion.POOR if problem else Opinion.GOOD,
                hygiene=Opinion.GOOD,
                quantity=Opinion.FAIR if offset == 3 else Opinion.GOOD,
                problems=problem,
            )
            accompanied_meals.save_accompanied_meal(
                record.leader, record, None, responsible=cooks[0], now=moment(day, 12, 40)
            )
        if offset == 3:
            parent = ParentMeal(
                school_id=school.id,
                day=day,
                meal=Meal.LUNCH,
                parent_name="张丽",
                class_name="七(2)班",
                feedback="饭菜可口，份量足；建议增加水果。",
            )
            accompanied_meals.save_parent_meal(director, parent, None, now=moment(day, 13))
        _seed_delivery(school, day, offset, suppliers, [director, cooks[0]], moment(day, 9))
    for n, room in enumerate(rooms):
        if n != 1:  # 副食库 is overdue
            disinfection = RoomDisinfection(
                school_id=school.id, room=room, day=today - timedelta(days=n + 2), method="紫外线灯照射30分钟"
            )
            hygiene.save_room_disinfection(cooks[n % len(cooks)], disinfection, None, now=moment(disinfection.day, 15))
        check = PreventionCheck(
            school_id=school.id,
            room=room,
            day=today - timedelta(days=n + 1),
            rodents_ok=n != 0,
            flies_ok=True,
            insects_ok=True,
            dust_ok=True,
            problems="挡鼠板缺失一块" if n == 0 else "",
        )
        hygiene.save_prevention_check(
            director, check, None, responsible=cooks[1 % len(cooks)], now=moment(check.day, 15)
        )
    last_week = school_calendar.monday_of(today) - timedelta(days=7)
    report = food_safety.report_for_week(school, last_week)
    report.risks_found = "副食库消毒未按周执行；一次陪餐发现汤温偏低。"
    report.measures = "已安排副食库本周消毒；出餐前增加中心温度测量。"
    food_safety.save_report(director, report, None)
    food_safety.sign_report(director, report, DEMO_PASSWORD)
    last_month = today.replace(day=1) - timedelta(days=1)
    meeting = DispatchMeeting(
        school_id=school.id,
        held_on=last_month.replace(day=min(last_month.day, 28)),
        attendees="校长、总务主任、食堂负责人、食品安全员",
        issues="本月食材价格上涨；个别供应商许可证即将到期。",
        decisions="请供应商在到期前提供新证；下月起每周公示菜谱与价格。",
    )
    food_safety.save_meeting(principal, meeting, None)
    food_safety.sign_meeting(principal, meeting, DEMO_PASSWORD)
    db.session.flush()


# What the kitchen takes for lunch each canteen day: {item: quantity}.
LUNCH_ISSUES = {"大米": Decimal(1), "猪肉": Decimal(12), "鸡蛋": Decimal(2)}
COLD_UNITS = [
    ("冷藏冰箱（主厨房）", ColdUnitKind.REFRIGERATOR),
    ("冷冻冰柜", ColdUnitKind.FREEZER),
    ("留样冰箱", ColdUnitKind.SAMPLE_FRIDGE),
]


def _seed_storeroom(school, members, today):
    """The last week's deliveries put away on their day and issued for lunch first in, first
    out, so that some pork outlives its shelf life; today's vegetables wait to be put away.
    The fridges read twice a day, once too warm (a task), one reading missing yesterday."""
    keeper, director = members.get("keeper", members["cook1"]), members["director"]
    calendar = school_calendar.load(school.id, today - timedelta(days=14), today)

    def moment(day, hour, minute=0):
        return datetime.combine(day, time(hour, minute), tzinfo=zone(school)).astimezone(UTC)

    units = []
    for name, kind in COLD_UNITS:
        unit = ColdUnit(school_id=school.id, name=name, kind=kind, created_on=today - timedelta(days=7))
        cold_chain.save_unit(director, unit, None)
        units.append(unit)
    deliveries = db.session.scalars(
        sa.select(Delivery).where(Delivery.school_id == school.id, Delivery.day < today).order_by(Delivery.day)
    ).all()
    by_day = {delivery.day: delivery for delivery in deliveries}
    for offset in range(7, 0, -1):
        day = today - timedelta(days=offset)
        if day in by_day:
            storeroom.put_away_all(keeper, by_day[day], storeroom="主食库", day=day, now=moment(day, 9, 30))
        if not calendar.is_canteen_day(day):
            continue
        for item in storeroom.items_of(school.id):
            wanted = LUNCH_ISSUES.get(item.name, Decimal(0))
            usable = sum(
                (row.on_hand for row in storeroom.on_hand(school.id, item_id=item.id) if not row.batch.expired_on(day)),
                Decimal(0),
            )
            if min(wanted, usable) > 0:
                storeroom.issue(keeper, item, day, Meal.LUNCH, min(wanted, usable), now=moment(day, 10, 30))
        for unit in units:
            for round_, hour in ((1, 8), (2, 15)):
                if offset == 1 and round_ == 2 and unit.kind is ColdUnitKind.REFRIGERATOR:
                    continue  # forgotten: a gap on the board and in the evidence
                warm = offset == 3 and round_ == 2 and unit.kind is ColdUnitKind.REFRIGERATOR
                celsius = {"refrigerator": "4.0", "freezer": "-19.5", "sample_fridge": "3.0"}[unit.kind.value]
                reading = TemperatureReading(
                    school_id=school.id,
                    unit=unit,
                    day=day,
                    round=round_,
                    temperature_c=Decimal("9.5" if warm else celsius),
                    action="门未关严，已关好并将肉类转入冷冻柜，1小时后复测4.5℃" if warm else "",
                )
                cold_chain.record_reading(
                    keeper, reading, responsible=keeper if warm else None, now=moment(day, hour, 10)
                )
    db.session.flush()


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("子涵", "浩然", "欣怡", "宇轩", "梓萱", "俊杰", "思琪", "博文", "雨桐", "一鸣")


def _seed_nutrition(school, members, today):
    """A roster of 48 students in four classes from the first day of term (two not eligible),
    one transferred out ten days ago and checked by the principal, and the daily report of
    every school day of the last week but yesterday's (missing, red)."""
    clerk, principal = members["clerk"], members["principal"]
    start = _term_start(today)

    def moment(day, hour):
        return datetime.combine(day, time(hour), tzinfo=zone(school)).astimezone(UTC)

    school_classes.add_classes(clerk, [f"七({n})班" for n in range(1, 5)])
    students = []
    for n in range(48):
        student = Student(
            school_id=school.id,
            register_number=f"G42{school.id:02d}{2013_0000_0000 + n:012d}",
            name=SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)],
            class_name=f"七({n % 4 + 1})班",
            enrolled=False,
            eligible=False,
        )
        records.save_record(clerk, student, None, moment(start, 8))
        nutrition.record_change(clerk, student, ChangeKind.ENROLLED, start, "名册导入", now=moment(start, 8))
        if n % 24:
            nutrition.record_change(clerk, student, ChangeKind.ELIGIBLE, start, "名册导入", now=moment(start, 8))
        students.append(student)
    leaving_on = today - timedelta(days=10)
    change = nutrition.record_change(
        clerk, students[5], ChangeKind.TRANSFER_OUT, leaving_on, "转学联系函 2026-017", now=moment(leaving_on, 10)
    )
    nutrition.check_change(principal, change, now=moment(leaving_on, 16))
    calendar = school_calendar.load(school.id, today - timedelta(days=8), today)
    for offset in range(8, 1, -1):
        day = today - timedelta(days=offset)
        if calendar.is_school_day(day):
            eligible = nutrition.eligible_on(school.id, day)
            report = DailyReport(
                school_id=school.id,
                day=day,
                **{f"{meal.value}_diners": eligible - 1 for meal in school.settings.meals()},
                platform_ref=f"YYGS{day:%m%d}{school.id:02d}",
            )
            subsidy.save_report(clerk, report, now=moment(day, 11))
    milk_day = today - timedelta(days=3)
    milk = SubsidyCharge(
        school_id=school.id,
        day=milk_day,
        category=SpendingCategory.FOOD_BOUGHT_DIRECTLY,
        amount=Decimal("264.00"),
        description="学生饮用奶 96 盒（每班每周两次）",
        voucher=f"FP{milk_day:%Y%m%d}01",
    )
    subsidy.save_charge(clerk, milk, now=moment(milk_day, 15))
    db.session.flush()


def _seed_clean_plate(school, members, today):
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


def _seed_surveys(school, members, today):
    """The semester's menu survey of the students, answered by 36 of 48 (cucumber and
    zucchini least liked: the account's own story) with the canteen's action; the parents'
    satisfaction survey open, not yet answered. A survey belongs to a term: in the winter or
    summer holidays there is none to hold."""
    if school_calendar.load(school.id, today, today).term_of(today) is None:
        return
    clerk, director = members["clerk"], members["director"]
    menu = Survey(
        school_id=school.id, title="菜品满意度调查", audience=Audience.STUDENTS, audience_size=48, closes_on=today
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
        audience=Audience.PARENTS,
        audience_size=48,
        closes_on=today + timedelta(days=14),
    )
    surveys.create_survey(clerk, parents, surveys.SATISFACTION)
    parents.is_open = True
    db.session.flush()


def _seed_committee(school, members, today):
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


def _seed_dormitory(school, members, today):
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


def _scan(name):
    """A scanned ticket or certificate: a small grey image with the name of the paper."""
    image = Image.new("RGB", (320, 200), "#f2f2f2")
    ImageDraw.Draw(image).rectangle((10, 10, 310, 190), outline="#888888", width=3)
    data = io.BytesIO()
    image.save(data, "PNG")
    data.seek(0)
    return FileStorage(data, filename=name, content_type="image/png")


def _seed_delivery(school, day, offset, suppliers, pair, at):
    """Rice by the bag every fifth day, meat and vegetables the other days, each with its
    ticket, meat with its quarantine certificate, bulk accepted by two; today's vegetables
    come from the supplier whose licence expired yesterday, flagged in red."""
    receiver = pair[1]
    if offset % 5 == 0:
        supplier, acceptors, quarantine = suppliers[0], pair, False
        items = [
            DeliveryItem(
                name="大米",
                specification="25kg/袋",
                quantity=Decimal(8),
                unit="袋",
                batch=f"{day:%Y%m}01",
                production_date=day - timedelta(days=20),
                shelf_life_days=365,
                price=Decimal("105.00"),
            )
        ]
    elif offset == 0:
        supplier, acceptors, quarantine = suppliers[2], [receiver], False
        items = [
            DeliveryItem(
                name="青菜",
                specification="散装",
                quantity=Decimal(20),
                unit="kg",
                production_date=day,
                shelf_life_days=2,
                price=Decimal("4.50"),
            )
        ]
    else:
        supplier, acceptors, quarantine = suppliers[1], pair, True
        items = [
            DeliveryItem(
                name="猪肉",
                specification="前腿",
                quantity=Decimal("30.5"),
                unit="kg",
                production_date=day,
                shelf_life_days=3,
                price=Decimal("26.00"),
            ),
            DeliveryItem(
                name="鸡蛋",
                specification="散装",
                quantity=Decimal(5),
                unit="kg",
                production_date=day,
                shelf_life_days=30,
                price=Decimal("11.00"),
            ),
        ]
    tickets = purchasing.store_tickets(receiver, [_scan(f"送货单{day:%m%d}.png")])
    if quarantine:
        tickets += purchasing.store_tickets(receiver, [_scan(f"动物检疫合格证明{day:%m%d}.png")], files.QUARANTINE)
    delivery = Delivery(
        school_id=school.id,
        day=day,
        supplier=supplier,
        result=DeliveryResult.ACCEPTED,
        acceptors=acceptors,
        items=items,
    )
    purchasing.save_delivery(receiver, delivery, None, tickets=tickets, now=at)


def _inspection_day(assignment, today):
    """The school day of the window an assignment is done on: the slot's own weekday."""
    days = [
        assignment.window_start + timedelta(days=k)
        for k in range((assignment.window_end - assignment.window_start).days + 1)
    ]
    if assignment.window_start == assignment.window_end:
        day = assignment.window_start
    else:
        # The principal inspects on Tuesdays and Thursdays when the week has them.
        preferred = [d for d in days if d.weekday() in (1, 3)] or days
        day = preferred[min(assignment.slot - 1, len(preferred) - 1)] if len(preferred) >= assignment.slot else days[-1]
    return day if day <= today else None
