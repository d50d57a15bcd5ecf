"""The office's part of the demo: rules, training, certificates and the school calendar."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from ..models.access import Role
from ..models.calendar import CalendarDay, DayKind, Term
from ..models.certificate import Certificate, CertificateKind
from ..models.rule import PostingLocation as Loc
from ..models.rule import Rule, RuleCategory
from ..models.training import AttendanceStatus, TrainingAttendance, TrainingKind, TrainingSession
from ..services import (
    audit,
    certificates,
    planning,
    rules,
    training,
)
from ..timeutil import zone
from .common import term_start_of

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
    (
        "食品安全事故应急预案",
        RuleCategory.FOOD_SAFETY,
        [Loc.KITCHEN, Loc.OFFICE],
        "一、发现疑似食物中毒，立即停止供餐，组织救治，通知家长。\n"
        "二、封存当餐留样、剩余食品、原料和炊具，保护现场。\n"
        "三、发现后2小时内报告县教育局和县市场监督管理局。\n"
        "四、每学期至少组织一次应急演练，发现的问题限期整改。",
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


def seed_rules(school, members, today):
    clerk = members["clerk"]
    term_start = term_start_of(today)
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


def seed_training(school, members, today):
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
    monday = term_start_of(today)
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


def seed_certificates(school, members, people, today):
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


def seed_calendar(school, today):
    term_start = term_start_of(today)
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
