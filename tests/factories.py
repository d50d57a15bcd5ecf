"""Records for tests, created through the services (so they carry audit events too)."""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    Certificate,
    CertificateKind,
    Finding,
    Inspection,
    InspectionItem,
    InspectionKind,
    Role,
    Rule,
    RuleCategory,
    TrainingAttendance,
    TrainingKind,
    TrainingSession,
    User,
)
from portal.services import certificates, inspections, rules, schools, training, users
from portal.timeutil import school_today
from tests import clock

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def create_school(name=None, county="测试县"):
    """A school; at a holiday moment of tests/clock.py its calendar has that holiday."""
    from portal.models import DayKind

    school = schools.create_school(None, name=name or f"测试学校{next(_numbers)}", county=county)
    db.session.commit()
    for day, kind in clock.school_calendar().items():
        add_day(school, day, DayKind(kind))
    return school


def create_user(
    role=Role.STAFF,
    school=None,
    roles=None,
    username=None,
    display_name=None,
    password=PASSWORD,
    active=True,
    canteen_worker=False,
    school_leader=False,
    dormitory_manager=False,
):
    roles = list(roles or [role])
    county = all(r.is_county for r in roles)
    if school is None and not county:
        school = create_school()
    user = users.create_user(
        None,
        username=username or f"user{next(_numbers)}",
        display_name=display_name or f"测试用户{next(_numbers)}",
        password=password,
        roles=roles,
        school=None if county else school,
        active=active,
        canteen_worker=canteen_worker,
        school_leader=school_leader,
        dormitory_manager=dormitory_manager,
    )
    db.session.commit()
    return user


def create_rule(
    school, title=None, body="第一条 保持清洁。", posted=True, locations=("kitchen",), category=RuleCategory.FOOD_SAFETY
):
    rule = Rule(
        school_id=school.id, title=title or f"制度{next(_numbers)}", category=category, posted_locations=list(locations)
    )
    rules.save_rule(None, rule, None, body=body, effective_on=date(2026, 9, 1))
    if posted:
        rules.post_rule(None, rule)
    db.session.commit()
    return rule


def create_training(
    school, attendees=(), hours="2", starts_at=None, kind=TrainingKind.SCHOOL_TRAINING, title=None, absent=()
):
    session = TrainingSession(
        school_id=school.id,
        title=title or f"培训{next(_numbers)}",
        kind=kind,
        starts_at=starts_at or datetime(2026, 10, 15, 6, 30, tzinfo=UTC),
        hours=Decimal(hours),
    )
    for person in attendees:
        session.attendances.append(TrainingAttendance(user=person))
    for person in absent:
        session.attendances.append(TrainingAttendance(user=person, status="absent"))
    training.save_session(None, session, None)
    db.session.commit()
    return session


def certificate_kind(school, name="健康证"):
    return db.session.scalar(
        db.select(CertificateKind).where(CertificateKind.school_id == school.id, CertificateKind.name == name)
    )


def create_certificate(holder, kind_name="健康证", issued_on=None, expires_in_days=200, expires_on=None, number=None):
    if expires_on is None and expires_in_days is not None:
        expires_on = school_today() + timedelta(days=expires_in_days)
    if issued_on is None:  # a year's validity at most, as for a 健康证
        issued_on = min(school_today(), expires_on - timedelta(days=364)) if expires_on else date(2026, 1, 10)
    certificate = Certificate(
        school_id=holder.school_id,
        holder=holder,
        kind=certificate_kind(holder.school, kind_name),
        number=number or f"NO{next(_numbers)}",
        issuing_authority="县疾控中心",
        issued_on=issued_on,
        expires_on=expires_on,
    )
    certificates.save_certificate(None, certificate, None)
    db.session.commit()
    return certificate


def school_staff(school, keeper="钱库管", **more):
    """A school in its term (the autumn of LEDGER_DAY, and today's) with the people of its
    office and kitchen; ``more`` adds others."""
    add_term(school)
    term_of_today(school)
    return SimpleNamespace(
        school=school,
        principal=create_user(Role.PRINCIPAL, school, display_name="王校长"),
        director=create_user(Role.DIRECTOR, school, display_name="陈主任"),
        cook=create_user(Role.STAFF, school, display_name="赵工友", canteen_worker=True),
        keeper=create_user(Role.STAFF, school, display_name=keeper),
        clerk=create_user(Role.SCHOOL_ADMIN, school, display_name="李干事"),
        **more,
    )


def create_inspection(
    inspector, kind=InspectionKind.DIRECTOR_DAILY, inspected_on=date(2026, 11, 23), items=2, finding=True
):
    inspection = Inspection(
        school_id=inspector.school_id, inspector=inspector, kind=kind, inspected_on=inspected_on, area="厨房"
    )
    for n in range(items):
        inspection.items.append(InspectionItem(section="贮存", text=f"检查项{n + 1}"))
    if finding:
        inspection.findings.append(Finding(description="冰箱温度偏高"))
    inspections.save_draft(None, inspection, None)
    db.session.commit()
    return inspection


# --- the inspection workflow -----------------------------------------------------------


def add_term(school, first=date(2026, 9, 1), last=date(2027, 1, 22), name="2026年秋季学期"):
    from portal.models import Term
    from portal.services import planning

    term = Term(school_id=school.id, name=name, starts_on=first, ends_on=last)
    planning.save_term(None, term, None)
    db.session.commit()
    return term


def term_of_today(school):
    """The term the school's today falls in: add_term's default one while it lasts, else a
    term around today that begins after the school's other terms end."""
    from portal.models import Term

    day = school_today(school)
    terms = db.session.scalars(sa.select(Term).where(Term.school_id == school.id)).all()
    for term in terms:
        if term.starts_on <= day <= term.ends_on:
            return term
    first = max([day - timedelta(days=60), *(term.ends_on + timedelta(days=1) for term in terms)])
    return add_term(school, first, day + timedelta(days=60), name="本学期")


def next_school_day(school):
    """The first school day after the school's today, by its calendar."""
    from portal.services import calendar

    first, last = school_today(school) + timedelta(days=1), school_today(school) + timedelta(days=60)
    return next(iter(calendar.load(school.id, first, last).school_days(first, last)))


def add_day(school, day, kind, note=""):
    from portal.models import CalendarDay
    from portal.services import planning

    record = CalendarDay(school_id=school.id, day=day, kind=kind, note=note)
    planning.save_day(None, record, None)
    db.session.commit()
    return record


def rule_for(school, role):
    from portal.models import CadenceRule

    return db.session.scalar(db.select(CadenceRule).where(CadenceRule.school_id == school.id, CadenceRule.role == role))


def assignments(school, role, first, last):
    from portal.services import planning

    rule = rule_for(school, role)
    return [a for a in planning.assignments_between(school.id, first, last) if a.rule_id == rule.id]


def answer_all(inspection, fail=(), note="发现问题"):
    """Answer every item: pass, except the positions in ``fail``."""
    from portal.models import ItemResult

    for position, item in enumerate(inspection.items):
        failed = position in fail
        item.result = ItemResult.FAIL if failed else ItemResult.PASS
        item.note = note if failed else ""
    db.session.commit()


# A Wednesday in add_term's default term: the canteen is open.
LEDGER_DAY = date(2026, 9, 16)


def open_day(school, days_ago=0):
    """A canteen day whose ledger is still open now, for the pages (which write at the real
    time): today, or ``days_ago`` earlier with the school's lock moved that much later. It is
    made a canteen day (a weekend gets "canteen open") in a term."""
    from portal.models import SchoolSettings

    day = school_today(school) - timedelta(days=days_ago)
    db.session.get(SchoolSettings, school.id).ledger_lock_days = days_ago + 1
    make_canteen_day(school, day)
    return day


def make_canteen_day(school, day):
    """``day`` in a term, with the canteen open (a weekend or a holiday gets "canteen open")."""
    from portal.models import DayKind

    _in_a_term(school, day)
    _make_day(school, day, "is_canteen_day", DayKind.CANTEEN_OPEN)


def make_school_day(school, day):
    """``day`` in a term and a school day (a weekend or a holiday becomes a make-up day)."""
    from portal.models import DayKind

    _in_a_term(school, day)
    _make_day(school, day, "is_school_day", DayKind.MAKEUP_DAY)


def _in_a_term(school, day):
    from portal.models import Term

    if not db.session.scalar(
        sa.select(Term.id).where(Term.school_id == school.id, Term.starts_on <= day, Term.ends_on >= day)
    ):
        term_of_today(school)


def _make_day(school, day, wanted, kind):
    from portal.models import CalendarDay
    from portal.services import calendar

    if not getattr(calendar.load(school.id, day, day), wanted)(day):
        db.session.execute(sa.delete(CalendarDay).where(CalendarDay.school_id == school.id, CalendarDay.day == day))
        if not getattr(calendar.load(school.id, day, day), wanted)(day):
            add_day(school, day, kind)
    db.session.commit()


def at_most_now(day, hour, minute=0):
    """When a record of ``day`` is entered: that time of the day, or now for a day to come
    (so that the services refuse it as in the future)."""
    from portal.timeutil import utcnow

    return min(school_moment(day, hour, minute), utcnow())


def school_moment(day, hour, minute=0):
    """A moment in Shanghai school time, as the aware UTC datetime the services take."""
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


def create_dish(school, name="红烧肉", day=LEDGER_DAY, meal=None):
    from portal.models import Meal, MenuDish
    from portal.services import canteen

    dish = MenuDish(school_id=school.id, day=day, meal=meal or Meal.LUNCH, name=name)
    canteen.save_dish(None, dish, None, now=at_most_now(day, 8))
    db.session.commit()
    return dish


def measure_core(dish, cook, celsius="75.5", first_celsius=None):
    """A dish's core temperature, measured at 12:00 of its day."""
    from portal.services import cooking

    record = cooking.record_core_temperature(
        cook, dish, Decimal(celsius), first_celsius and Decimal(first_celsius), now=at_most_now(dish.day, 12)
    )
    db.session.commit()
    return record


def create_sample(dish, keeper, grams=150, label="", reviewed_by=None):
    from portal.services import canteen

    sample = canteen.record_sample(
        keeper, dish, grams, label, reviewed_by=reviewed_by, now=at_most_now(dish.day, 12, 30)
    )
    db.session.commit()
    return sample


def accompany(school, leader, day=LEDGER_DAY, meal=None, problems="", responsible=None, now=None, **opinions):
    """A leader's accompanied-meal record, all opinions good unless given."""
    from portal.models import AccompaniedMeal, Meal, Opinion
    from portal.services import accompanied_meals

    record = AccompaniedMeal(
        school_id=school.id,
        day=day,
        meal=meal or Meal.LUNCH,
        leader=leader,
        dishes_tasted="红烧肉",
        problems=problems,
        **({aspect: Opinion.GOOD for aspect in ("taste", "temperature", "hygiene", "quantity")} | opinions),
    )
    accompanied_meals.save_accompanied_meal(
        leader, record, None, responsible=responsible, now=now or at_most_now(day, 12, 40)
    )
    db.session.commit()
    return record


def create_room(school, name="主食库", kind=None, created_on=None, **fields):
    from portal.models import CanteenRoom, RoomKind
    from portal.services import hygiene

    room = CanteenRoom(
        school_id=school.id, name=name, kind=kind or RoomKind.STOREROOM, created_on=created_on or LEDGER_DAY, **fields
    )
    hygiene.save_room(None, room, None)
    db.session.commit()
    return room


def create_cabinet(school, name="留样柜", purpose=None):
    from portal.models import Cabinet, CabinetPurpose
    from portal.services import cabinets

    cabinet = Cabinet(school_id=school.id, name=name, purpose=purpose or CabinetPurpose.FOOD_SAMPLES)
    cabinets.save_cabinet(None, cabinet, None)
    db.session.commit()
    return cabinet


def disinfect_room(room, who, day=LEDGER_DAY, method="紫外线灯照射30分钟"):
    from portal.models import RoomDisinfection
    from portal.services import hygiene

    record = RoomDisinfection(school_id=room.school_id, room=room, day=day, method=method)
    hygiene.save_room_disinfection(who, record, None, now=at_most_now(day, 15))
    db.session.commit()
    return record


def check_room(room, who, day=LEDGER_DAY, problems="", responsible=None, **results):
    from portal.models import PreventionCheck
    from portal.services import hygiene

    check = PreventionCheck(
        school_id=room.school_id,
        room=room,
        day=day,
        problems=problems,
        **({key: True for key in ("rodents_ok", "flies_ok", "insects_ok", "dust_ok")} | results),
    )
    hygiene.save_prevention_check(who, check, None, responsible=responsible, now=at_most_now(day, 15))
    db.session.commit()
    return check


def create_supplier(school, name="城关粮油店", expires_on=date(2027, 12, 31)):
    from portal.models import Supplier
    from portal.services import purchasing

    supplier = Supplier(
        school_id=school.id, name=name, licence_number="JY13301020000001", licence_expires_on=expires_on
    )
    purchasing.save_supplier(None, supplier, None)
    db.session.commit()
    return supplier


def delivery(supplier, acceptors, day=LEDGER_DAY, bulk=False, items=None, **fields):
    """A delivery, not yet saved: tests save it through the service to see it refused.
    Rice by the bag is bulk on the school's default list; 20 kg of it loose is not."""

    from portal.models import Delivery, DeliveryItem, DeliveryResult

    items = (
        items
        if items is not None
        else [
            DeliveryItem(
                name="大米",
                specification="25kg/袋" if bulk else "散装",
                quantity=Decimal(8) if bulk else Decimal(20),
                unit="袋" if bulk else "kg",
                shelf_life_days=365,
                production_date=day - timedelta(days=10),
                batch="20260906",
            )
        ]
    )
    return Delivery(
        school_id=supplier.school_id,
        day=day,
        supplier=supplier,
        acceptors=list(acceptors),
        items=items,
        **({"result": DeliveryResult.ACCEPTED} | fields),
    )


def accept_delivery(supplier, acceptors, by=None, now=None, **fields):
    from portal.services import purchasing

    record = delivery(supplier, acceptors, **fields)
    purchasing.save_delivery(by or acceptors[0], record, None, now=now or at_most_now(record.day, 9))
    db.session.commit()
    return record


def test_pesticide(delivery, tester, rate="12.5", action="", now=None, item=None):
    """The rapid test of a delivery's item (its first), by the enzyme-inhibition method."""
    from portal.models import PesticideTest, ScreeningMethod
    from portal.services import pesticide

    test = PesticideTest(method=ScreeningMethod.ENZYME_INHIBITION, inhibition_percent=Decimal(rate), action=action)
    pesticide.record_test(tester, item or delivery.items[0], test, now=now or at_most_now(delivery.day, 9, 30))
    db.session.commit()
    return test


def create_additive(school, responsible, name="泡打粉", shop=None, limit=None):
    """A food additive with its "五专": shop, locked cabinet, the person responsible, tools."""
    from portal.models import Additive
    from portal.services import additives

    additive = Additive(
        school_id=school.id,
        name=name,
        supplier=shop or create_supplier(school, name=f"添加剂店{next(_SUPPLIERS)}"),
        cabinet="添加剂专柜（上锁）",
        keeper=responsible,
        tools="专用量勺、电子秤",
        limit_g_per_kg=Decimal(limit) if limit is not None else None,
    )
    additives.save_additive(responsible, additive, None)
    db.session.commit()
    return additive


def use_additive(additive, dish, grams="12.0", food_kg=None, by=None):
    from portal.models import AdditiveUse
    from portal.services import additives

    use = AdditiveUse(additive=additive, dish=dish, grams=Decimal(grams), food_kg=Decimal(food_kg) if food_kg else None)
    additives.record_use(by or additive.keeper, use, now=at_most_now(dish.day, 10))
    db.session.commit()
    return use


def report_incident(reporter, found_at, ill_count=3, **told):
    """A suspected food poisoning found at ``found_at`` (an aware moment), the offices told as given."""
    from portal.models import FoodIncident
    from portal.services import incidents

    incident = FoodIncident(
        found_at=found_at,
        ill_count=ill_count,
        what_happened="午餐后三名学生腹痛、呕吐",
        actions="送县医院诊治；暂停供应剩余饭菜",
        sealed="当餐留样、剩余饭菜和炊具已封存",
        **told,
    )
    incidents.report(reporter, incident, now=max(found_at, *told.values()) if told else found_at)
    db.session.commit()
    return incident


def complain(school, text="米饭夹生，菜是凉的", received_at=None, contact="", device="a" * 32, address="10.0.0.8"):
    """A complaint left through the school's code, received at ``received_at`` (default now)."""
    from portal.services import complaints

    complaint = complaints.receive(
        school, text, contact=contact, device_cookie=device, address=address, now=received_at
    )
    db.session.commit()
    return complaint


def drill(school, recorder, plan=None, findings="", responsible=None, day=LEDGER_DAY):
    """A drill of the school's emergency plan (a posted rule, made when none is given)."""
    from portal.models import EmergencyDrill
    from portal.services import drills

    record = EmergencyDrill(
        school_id=school.id,
        day=day,
        plan=plan or create_rule(school, title="食品安全事故应急预案"),
        scenario="午餐后多名学生腹痛，疑似食物中毒",
        participants="校长、总务主任、食堂全体员工、校医",
        participant_count=9,
        findings=findings,
    )
    drills.record_drill(recorder, record, responsible=responsible, now=at_most_now(day, 15))
    db.session.commit()
    return record


def evaluate_supplier(supplier, who, points=(18, 25, 18, 12, 12), note=""):
    """A semester's evaluation of ``supplier``: 85 points unless told otherwise."""
    from portal.models.supplier_review import CRITERIA
    from portal.services import supplier_review

    scores = {key: value for (key, _name, _most), value in zip(CRITERIA, points, strict=True)}
    evaluation = supplier_review.evaluate(who, supplier, scores, note)
    db.session.commit()
    return evaluation


def record_meeting(school, recorder, held_on=LEDGER_DAY, attendees="校长、总务主任、食堂负责人"):
    from portal.models import DispatchMeeting
    from portal.services import food_safety

    meeting = DispatchMeeting(
        school_id=school.id, held_on=held_on, attendees=attendees, issues="九月食材涨价", decisions="更换供应商"
    )
    food_safety.save_meeting(recorder, meeting, None)
    db.session.commit()
    return meeting


# --- the storeroom and the cold chain ---------------------------------------------------------


_SUPPLIERS = itertools.count(1)


def put_away(delivery, keeper, day=None, now=None):
    """Every item of an accepted delivery put away on its day (or ``day``)."""
    from portal.services import storeroom

    day = day or delivery.day
    now = now or at_most_now(day, 10)
    batches = storeroom.put_away_all(keeper, delivery, storeroom="主食库", day=day, now=now)
    db.session.commit()
    return batches


def stock(
    school, keeper, quantity=20, day=LEDGER_DAY, shelf_life_days=365, made=None, name="大米", price="5.00", now=None
):
    """One batch of ``name`` in the storeroom, delivered and put away on ``day``."""
    from portal.models import DeliveryItem

    supplier = create_supplier(school, name=f"供应商{next(_SUPPLIERS)}")
    goods = DeliveryItem(
        name=name,
        quantity=Decimal(quantity),
        unit="kg",
        shelf_life_days=shelf_life_days,
        production_date=made or day,
        price=Decimal(price) if price is not None else None,
    )
    others = db.session.scalars(
        sa.select(User).where(User.school_id == school.id, User.id != keeper.id, User.active.is_(True)).limit(1)
    ).all()
    delivery = accept_delivery(supplier, [keeper, *others], day=day, items=[goods], now=now)
    [batch] = put_away(delivery, keeper, day=day, now=now)
    return batch


def issue(keeper, item, quantity, day=LEDGER_DAY, meal=None, **options):
    from portal.models import Meal
    from portal.services import storeroom

    issued = storeroom.issue(
        keeper, item, day, meal or Meal.LUNCH, Decimal(quantity), now=at_most_now(day, 11), **options
    )
    db.session.commit()
    return issued


def create_cold_unit(school, name="冷藏冰箱1", kind=None, **fields):
    from portal.models import ColdUnit, ColdUnitKind
    from portal.services import cold_chain

    unit = ColdUnit(
        school_id=school.id, name=name, kind=kind or ColdUnitKind.REFRIGERATOR, created_on=date(2026, 9, 1), **fields
    )
    cold_chain.save_unit(None, unit, None)
    db.session.commit()
    return unit


def read_temperature(unit, who, celsius, day=LEDGER_DAY, round_=1, action="", responsible=None):
    from portal.models import TemperatureReading
    from portal.services import cold_chain

    reading = TemperatureReading(
        school_id=unit.school_id, unit=unit, day=day, round=round_, temperature_c=Decimal(str(celsius)), action=action
    )
    cold_chain.record_reading(who, reading, responsible=responsible, now=at_most_now(day, 8 + 6 * (round_ - 1)))
    db.session.commit()
    return reading


# --- the nutrition plan's roster --------------------------------------------------------------


def enrol(school, clerk, name="张小明", register_number="G420100000000001", day=LEDGER_DAY):
    """A student put on the roster on ``day`` (recorded that day: the change locks after it)."""
    from portal.models import ChangeKind, Student
    from portal.services import enrolment, records

    student = Student(
        school_id=school.id,
        register_number=register_number,
        name=name,
        class_name="七(1)班",
        enrolled=False,
        eligible=False,
    )
    records.save_record(clerk, student, None)
    change = enrolment.record_change(clerk, student, ChangeKind.ENROLLED, day, "名册导入", now=school_moment(day, 9))
    db.session.commit()
    return change


def report_day(school, clerk, day=LEDGER_DAY, lunch=0, staff=0, other_students=0):
    """The day's nutrition report (every eligible student on the roster counted)."""
    from portal.models import DailyReport
    from portal.services import daily_reports

    report = DailyReport(
        school_id=school.id,
        day=day,
        lunch_diners=lunch,
        staff_diners=staff,
        other_student_diners=other_students,
        platform_ref="YY-0001",
    )
    daily_reports.save_report(clerk, report, now=school_moment(day, 11))
    db.session.commit()
    return report


def charge_subsidy(school, clerk, day=LEDGER_DAY, amount="120.00", description="牛奶"):
    """Milk for the classrooms charged to the nutrition subsidy."""
    from portal.models import SpendingCategory, SubsidyCharge
    from portal.services import subsidy

    charge = SubsidyCharge(
        school_id=school.id,
        day=day,
        category=SpendingCategory.FOOD_BOUGHT_DIRECTLY,
        amount=Decimal(amount),
        description=description,
    )
    subsidy.save_charge(clerk, charge, now=school_moment(day, 15))
    db.session.commit()
    return charge


def add_class(school, name, class_teacher=None):
    from portal.models import SchoolClass

    school_class = SchoolClass(school_id=school.id, name=name, class_teacher=class_teacher)
    db.session.add(school_class)
    db.session.commit()
    return school_class


def dorm_room(school, number="305", building="男生1号楼"):
    from portal.models import DormRoom

    room = DormRoom(school_id=school.id, building=building, number=number, floor=DormRoom.floor_of(number))
    db.session.add(room)
    db.session.commit()
    return room


def dorm_bed(room, school_class, student_name="李明", bed="1", term=None):
    from portal.models import DormBed, Term

    term = term or db.session.scalar(sa.select(Term).where(Term.school_id == room.school_id).order_by(Term.id))
    placed = DormBed(
        school_id=room.school_id, term=term, room=room, bed=bed, student_name=student_name, school_class=school_class
    )
    db.session.add(placed)
    db.session.commit()
    return placed


def check_dorm(manager, room, day=LEDGER_DAY, **deducted_by_text):
    """The room's check of ``day``: ``deducted_by_text`` maps the first characters of a
    standard item's wording to the points deducted (被子=5)."""
    from portal.services import dormitory

    items = dormitory.standard_of(room.school_id)
    deducted = {
        next(item.id for item in items if item.text.startswith(start)): (points, "")
        for start, points in deducted_by_text.items()
    }
    check = dormitory.record_check(manager, room, day, deducted, now=school_moment(day, 21))
    db.session.commit()
    return check


def weigh_leftovers(school, who, kg="3.00", diners=100, day=LEDGER_DAY, school_class=None, dish=None, meal=None):
    from portal.models import LeftoverWeighing, Meal
    from portal.services import clean_plate

    weighing = LeftoverWeighing(
        school_id=school.id,
        day=day,
        meal=meal or Meal.LUNCH,
        kg=Decimal(kg),
        diners=diners,
        school_class=school_class,
        most_left_dish=dish,
    )
    clean_plate.record_weighing(who, weighing, now=school_moment(day, 13, 30))
    db.session.commit()
    return weighing


def survey_action(school, clerk, action="午餐轮换菜单中去掉凉拌黄瓜", day=LEDGER_DAY):
    from portal.models import Audience, Survey, Term
    from portal.services import surveys

    survey = Survey(
        school_id=school.id,
        title="菜品满意度调查",
        audiences=[Audience.STUDENTS],
        audience_size=40,
        closes_on=day + timedelta(days=7),
        term=db.session.scalar(sa.select(Term).where(Term.school_id == school.id)),
        created_by=clerk,
    )
    survey.questions = surveys.parse_questions("菜品：凉拌黄瓜")
    for question in survey.questions:
        question.school_id = school.id
    db.session.add(survey)
    db.session.flush()
    recorded = surveys.record_action(clerk, survey, action, "凉拌黄瓜", now=school_moment(day, 15))
    db.session.commit()
    return recorded


def committee_member(school, name="张家长", school_year=2026, contact="13800000000"):
    from portal.models import CommitteeMember

    member = CommitteeMember(
        school_id=school.id, school_year=school_year, name=name, class_name="七(1)班", contact=contact
    )
    db.session.add(member)
    db.session.commit()
    return member


def committee_activity(school, who, members, day=LEDGER_DAY, findings="", responsible=None, kind=None):
    from portal.models import ActivityKind, CommitteeActivity
    from portal.services import committee

    activity = CommitteeActivity(school_id=school.id, day=day, kind=kind or ActivityKind.TASTING, findings=findings)
    committee.record_activity(
        who, activity, [m.id for m in members], responsible=responsible, now=school_moment(day, 14)
    )
    db.session.commit()
    return activity
