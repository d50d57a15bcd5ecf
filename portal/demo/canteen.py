"""The canteen's part of the demo: menus, samples, disinfection, checks, rooms and deliveries."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from ..extensions import db
from ..models.accompanied_meal import AccompaniedMeal, Opinion, ParentMeal
from ..models.additive import Additive, AdditiveUse
from ..models.cabinet import Cabinet, CabinetPurpose
from ..models.canteen import DisinfectionMethod, Meal, MenuDish, MorningCheck, TablewareDisinfection
from ..models.drill import EmergencyDrill
from ..models.food_safety import DispatchMeeting
from ..models.hygiene import CanteenRoom, PreventionCheck, RoomDisinfection, RoomKind
from ..models.pesticide import PesticideTest, ScreeningMethod
from ..models.purchasing import Delivery, DeliveryItem, DeliveryResult, Supplier
from ..models.supplier_review import CRITERIA
from ..services import (
    accompanied_meals,
    additives,
    cabinets,
    canteen,
    cooking,
    drills,
    files,
    food_safety,
    hygiene,
    morning_checks,
    pesticide,
    purchasing,
    supplier_review,
)
from ..services import calendar as school_calendar
from ..timeutil import zone
from .common import DEMO_PASSWORD, scan, then

LUNCH_MENUS = [
    ["红烧肉", "清炒时蔬", "番茄炒蛋", "紫菜蛋花汤"],
    ["宫保鸡丁", "醋溜白菜", "麻婆豆腐", "冬瓜排骨汤"],
    ["土豆烧牛肉", "蒜蓉油麦菜", "木耳炒肉", "番茄蛋汤"],
]


def seed_canteen(school, members, today):
    """The last week's lunch ledgers, complete but for one sample yesterday; today's morning
    checks and samples half done, so the board has something to show in red."""
    director = members["director"]
    cooks = [user for suffix, user in members.items() if suffix.startswith("cook")]
    calendar = school_calendar.load(school.id, today - timedelta(days=7), today)
    now = datetime.now(UTC)
    caramel = _caramel(school, director, cooks[0])
    for offset in range(7, -1, -1):
        day = today - timedelta(days=offset)
        if not calendar.is_canteen_day(day):
            continue
        dishes = []
        for name in LUNCH_MENUS[day.toordinal() % len(LUNCH_MENUS)]:
            dish = MenuDish(school_id=school.id, day=day, meal=Meal.LUNCH, name=name)
            canteen.save_dish(director, dish, None, now=then(school, day, 8, now))
            dishes.append(dish)
        kept_at = datetime.combine(day, time(11, 50), tzinfo=zone(school)).astimezone(UTC)
        sampled = dishes if offset > 1 else dishes[:-1] if offset == 1 else dishes[:2]
        if kept_at <= now:
            for n, dish in enumerate(sampled, start=1):
                sample = canteen.record_sample(
                    cooks[0],
                    dish,
                    130 + n * 5 + (0.5 if n == 2 else 0),
                    f"A{n}",
                    retained_at=kept_at,
                    # reviewed the same day, but today's not yet
                    reviewed_by=director if offset > 0 else None,
                    now=then(school, day, 12, now),
                )
                thrown_away = kept_at + timedelta(hours=school.settings.sample_keep_hours, minutes=10)
                if thrown_away <= now:  # discarded once its hours are over
                    canteen.discard_sample(cooks[0], sample, thrown_away, now=now)
        if offset > 0 and dishes[0].name == "红烧肉":
            use = AdditiveUse(additive=caramel, dish=dishes[0], grams=Decimal(15), used_at=then(school, day, 10, now))
            additives.record_use(cooks[0], use, now=then(school, day, 10, now))
        if offset > 0:  # the first dish of each past lunch measured at its centre; one cooked again
            first = Decimal("66.5") if offset == 3 else None
            cooking.record_core_temperature(cooks[0], dishes[0], Decimal("78.5"), first, now=then(school, day, 11, now))
            record = TablewareDisinfection(
                school_id=school.id,
                day=day,
                meal=Meal.LUNCH,
                method=DisinfectionMethod.STEAM,
                temperature_c=100,
                duration_seconds=900,
                items="碗、盘、筷子、勺",
            )
            canteen.save_disinfection(cooks[1 % len(cooks)], record, None, now=then(school, day, 13, now))
        checked = cooks if offset > 0 else cooks[:-1]
        missing = morning_checks.missing_certificates(school.id, [cook.id for cook in checked], day)
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
            morning_checks.save_morning_check(director, check, None, now=then(school, day, 7, now))
        db.session.flush()


def _evaluate(director, suppliers):
    """The semester's evaluation so far: the rice company passes; the greens cooperative, whose
    licence expired, does not (it has not exited yet)."""
    for supplier, points, note in (
        (suppliers[0], (20, 27, 18, 13, 12), ""),
        (suppliers[2], (8, 18, 12, 10, 7), "许可证过期未换证；两次送货缺斤少两"),
    ):
        scores = {key: value for (key, _name, _most), value in zip(CRITERIA, points, strict=True)}
        supplier_review.evaluate(director, supplier, scores, note)


def _drill(school, members, day, moment):
    """The semester's drill of the emergency plan, with a finding the school is fixing."""
    plan = next(rule for rule in drills.plans_of(school.id) if rule.title == "食品安全事故应急预案")
    drill = EmergencyDrill(
        school_id=school.id,
        day=day,
        plan=plan,
        scenario="午餐后 5 名学生腹痛呕吐，疑似食物中毒：停餐、送医、封存留样、2 小时内报告",
        participants="校长、总务主任、食堂全体员工、校医、班主任代表",
        participant_count=11,
        findings="留样冰箱钥匙只有一把，封存留样时等了 20 分钟",
    )
    drills.record_drill(members["principal"], drill, responsible=members["director"], now=moment(day, 16))


def _caramel(school, director, cook):
    """The one additive the kitchen uses, with its 五专: caramel colour for the braised pork."""
    shop = Supplier(school_id=school.id, name="县调味品批发部", licence_number="JY13301020000412")
    purchasing.save_supplier(director, shop, None)
    caramel = Additive(
        school_id=school.id,
        name="焦糖色",
        supplier=shop,
        cabinet="副食库添加剂专柜（上锁）",
        keeper=cook,
        tools="专用量杯、电子秤（精度 0.1 克）",
    )
    additives.save_additive(director, caramel, None)
    return caramel


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


def seed_canteen_records(school, members, today):
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
    for name, purpose in (("留样柜", CabinetPurpose.FOOD_SAMPLES), ("副食库添加剂专柜", CabinetPurpose.ADDITIVES)):
        cabinets.save_cabinet(director, Cabinet(school_id=school.id, name=name, purpose=purpose), None)
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
    # The cabbage sent back: on the latest meat day from two days back (a Monday's is the week before).
    meat_days = [
        offset for offset in range(2, 8) if offset % 5 and calendar.is_canteen_day(today - timedelta(days=offset))
    ]
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
        refused = bool(meat_days) and offset == meat_days[0]
        seed_delivery(school, day, offset, suppliers, [director, cooks[0]], moment(day, 9), refused)
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
    _drill(school, members, today - timedelta(days=12), moment)
    _evaluate(members["director"], suppliers)
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


# The vegetables' rapid tests (GB/T 5009.199—2003): today's greens pass; the cabbage delivered
# with the meat two days ago tested positive and went back with the driver.
RAPID_TESTS = {"青菜": ("18.2", ""), "小白菜": ("56.8", "退回供应商，当场拒收，未入库")}


def _greens_refused(day):
    yield DeliveryItem(
        name="小白菜",
        specification="散装",
        quantity=Decimal(15),
        unit="kg",
        production_date=day,
        shelf_life_days=2,
        price=Decimal("3.80"),
    )


def seed_delivery(school, day, offset, suppliers, pair, at, greens_refused=False):
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
        items = [*_greens_refused(day)] if greens_refused else []
        items += [
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
    tickets = purchasing.store_tickets(receiver, [scan(f"送货单{day:%m%d}.png")])
    if quarantine:
        tickets += purchasing.store_tickets(receiver, [scan(f"动物检疫合格证明{day:%m%d}.png")], files.QUARANTINE)
    delivery = Delivery(
        school_id=school.id,
        day=day,
        supplier=supplier,
        result=DeliveryResult.ACCEPTED,
        acceptors=acceptors,
        items=items,
    )
    purchasing.save_delivery(receiver, delivery, None, tickets=tickets, now=at)
    for item in items:
        if item.name in RAPID_TESTS:
            rate, action = RAPID_TESTS[item.name]
            test = PesticideTest(
                method=ScreeningMethod.ENZYME_INHIBITION, inhibition_percent=Decimal(rate), action=action
            )
            pesticide.record_test(receiver, item, test, now=at + timedelta(minutes=20))
