"""The canteen's other ledgers: accompanied meals (leader and parents), rooms on their
schedules, the four preventions, purchase acceptance, and the weekly and monthly
food-safety records. Every rule at its boundary, and the pages with their bad input."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from PIL import Image

from portal.extensions import db
from portal.models import (
    AccompaniedMeal,
    Delivery,
    DeliveryItem,
    DeliveryResult,
    DispatchMeeting,
    FrozenRecordError,
    Meal,
    Opinion,
    RectificationTask,
    RiskReport,
    Role,
    SchoolSettings,
    TaskStatus,
)
from portal.permissions import Permission
from portal.services import canteen_board, compliance, food_safety, hygiene, purchasing, rectification
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY, school_moment

MONDAY = date(2026, 9, 14)  # the week of LEDGER_DAY


@pytest.fixture
def canteen(school, create_user):
    vice_principal = create_user(Role.STAFF, school, display_name="孙副校长", school_leader=True)
    return factories.school_staff(school, vice_principal=vice_principal)


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- accompanied meals --------------------------------------------------------------------


def test_a_school_leader_records_the_meal_once_and_others_cannot(canteen):
    """校级领导: the principal, or anyone the county designates a school leader (a vice
    principal, the leader on duty); not the director nor the staff."""
    refused(lambda: factories.accompany(canteen.school, canteen.cook), "校级领导")
    refused(lambda: factories.accompany(canteen.school, canteen.director), "校级领导")
    record = factories.accompany(canteen.school, canteen.principal)
    assert record.leader == canteen.principal and count(RectificationTask) == 0
    refused(lambda: factories.accompany(canteen.school, canteen.vice_principal), "已有")
    tomorrow = LEDGER_DAY + timedelta(days=1)
    assert factories.accompany(canteen.school, canteen.vice_principal, day=tomorrow).leader == canteen.vice_principal
    refused(
        lambda: factories.accompany(
            canteen.school, canteen.vice_principal, day=tomorrow + timedelta(days=1), now=school_moment(tomorrow, 13)
        ),
        "未来",
    )
    refused(lambda: factories.accompany(canteen.school, canteen.principal, meal=Meal.DINNER), "不供应")
    assert not canteen.vice_principal.can(Permission.INSPECTION_READ)  # the designation brings nothing else
    assert not canteen.vice_principal.can(Permission.LEDGER_MANAGE)


def test_a_poor_opinion_needs_the_problem_and_the_problem_becomes_a_same_day_task(canteen):
    refused(lambda: factories.accompany(canteen.school, canteen.principal, temperature=Opinion.POOR), "温度")
    refused(
        lambda: factories.accompany(canteen.school, canteen.principal, temperature=Opinion.POOR, problems="汤是凉的"),
        "整改责任人",
    )
    assert count(AccompaniedMeal) == 0  # refused whole: no record without its task
    record = factories.accompany(
        canteen.school, canteen.principal, temperature=Opinion.POOR, problems="汤是凉的", responsible=canteen.cook
    )
    [task] = db.session.scalars(sa.select(RectificationTask)).all()
    assert task.source == record and task.inspection is None and task.ledger == "accompanied_meals"
    assert task.description == "汤是凉的" and task.responsible == canteen.cook
    # 整改不过夜: due by the end of the day it was found on
    assert task.deadline == school_moment(LEDGER_DAY + timedelta(days=1), 0)
    assert task.found_by_id == canteen.principal.id


def test_a_ledger_task_is_rectified_and_verified_like_any_other(canteen):
    factories.accompany(canteen.school, canteen.principal, problems="菜量不足", responsible=canteen.cook)
    task = db.session.scalar(sa.select(RectificationTask))
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(photo, "PNG")
    photo.seek(0)
    from werkzeug.datastructures import FileStorage

    rectification.rectify(
        canteen.cook, task, "已加量", photos=[FileStorage(photo, "fix.png", content_type="image/png")]
    )
    db.session.commit()
    assert [p.task_id for p in task.photos] == [task.id]
    refused(lambda: rectification.verify(canteen.cook, task), "整改人以外")
    rectification.verify(canteen.principal, task)  # who found it
    db.session.commit()
    assert task.status is TaskStatus.VERIFIED


def test_parent_meals_need_a_name_and_a_class_and_are_counted_per_semester(canteen):
    from portal.models import ParentMeal
    from portal.services import accompanied_meals

    def parent(name, class_name, day=LEDGER_DAY):
        record = ParentMeal(
            school_id=canteen.school.id, day=day, meal=Meal.LUNCH, parent_name=name, class_name=class_name
        )
        accompanied_meals.save_parent_meal(canteen.clerk, record, None, now=school_moment(day, 13))
        db.session.commit()

    refused(lambda: parent(" ", "一(1)班"), "家长姓名")
    refused(lambda: parent("张家长", ""), "班级")
    parent("张家长", "一(1)班")
    short = compliance.parent_meals(canteen.school, LEDGER_DAY)
    assert (short.held, short.expected, short.ok) == (1, 2, False)
    parent("刘家长", "三(2)班", day=LEDGER_DAY + timedelta(days=1))
    assert compliance.parent_meals(canteen.school, LEDGER_DAY).ok


def test_the_meal_page_records_an_accompanied_meal_and_keeps_what_was_typed(client, canteen):
    day = factories.open_day(canteen.school)
    login(client, canteen.principal)
    url = f"/canteen/{day.isoformat()}/lunch/accompanied"
    typed = {
        f"accompanied-{name}": value
        for name, value in {
            "dishes_tasted": "红烧肉、青菜",
            "taste": "good",
            "temperature": "poor",
            "hygiene": "good",
            "quantity": "fair",
            "problems": "汤是凉的",
        }.items()
    }
    no_one = client.post(url, data=typed)
    assert no_one.status_code == 422
    page = no_one.get_data(as_text=True)
    assert "整改责任人" in page and "汤是凉的" in page and "红烧肉、青菜" in page
    done = client.post(url, data=typed | {"accompanied-responsible": str(canteen.cook.id)})
    assert done.status_code == 302
    board = canteen_board.board(canteen.school, day)
    assert board.meals[0].accompanied.problems == "汤是凉的"
    assert "accompanied" not in board.meals[0].gaps
    login(client, canteen.cook)
    assert client.post(url, data=typed | {"accompanied-responsible": str(canteen.cook.id)}).status_code == 403


# --- rooms: disinfection and the four preventions -----------------------------------------


def test_a_room_is_due_every_seven_days_and_overdue_the_day_after(canteen):
    room = factories.create_room(canteen.school, created_on=LEDGER_DAY)
    [row] = hygiene.schedules(canteen.school, LEDGER_DAY + timedelta(days=7))
    assert row.disinfection_due == LEDGER_DAY + timedelta(days=7) and not row.disinfection_overdue
    [row] = hygiene.schedules(canteen.school, LEDGER_DAY + timedelta(days=8))
    assert row.disinfection_overdue and row.prevention_overdue
    factories.disinfect_room(room, canteen.keeper, day=LEDGER_DAY + timedelta(days=8))
    [row] = hygiene.schedules(canteen.school, LEDGER_DAY + timedelta(days=8))
    assert not row.disinfection_overdue and row.prevention_overdue
    board = canteen_board.board(canteen.school, LEDGER_DAY + timedelta(days=8))
    assert [r.room for r in board.overdue_rooms] == [room]


def test_the_schedule_is_per_room(canteen):
    factories.create_room(canteen.school, "餐厅", disinfection_every_days=1)
    [row] = hygiene.schedules(canteen.school, LEDGER_DAY + timedelta(days=2))
    assert row.disinfection_overdue and not row.prevention_overdue
    refused(lambda: factories.create_room(canteen.school, "冷库", disinfection_every_days=0), "1至366")


def test_room_records_need_a_room_in_use_a_method_and_no_future(canteen, other_school):
    room = factories.create_room(canteen.school)
    refused(lambda: factories.disinfect_room(room, canteen.keeper, method=" "), "消毒方式")
    refused(lambda: factories.disinfect_room(room, canteen.keeper, day=date(2099, 1, 1)), "未来")
    room.active = False
    db.session.commit()
    refused(lambda: factories.disinfect_room(room, canteen.keeper), "正在使用")
    factories.add_term(other_school)
    foreign = factories.create_room(other_school, "外校库房")
    refused(lambda: factories.disinfect_room(foreign, canteen.keeper))


def test_a_failed_four_preventions_check_names_the_problem_and_becomes_a_task(canteen):
    room = factories.create_room(canteen.school)
    factories.check_room(room, canteen.keeper)
    assert count(RectificationTask) == 0
    refused(lambda: factories.check_room(room, canteen.keeper, rodents_ok=False), "防鼠")
    refused(lambda: factories.check_room(room, canteen.keeper, rodents_ok=False, problems="挡鼠板缺失"), "整改责任人")
    check = factories.check_room(
        room, canteen.keeper, rodents_ok=False, problems="挡鼠板缺失", responsible=canteen.cook
    )
    task = db.session.scalar(sa.select(RectificationTask))
    assert task.source == check and "主食库" in task.description and "防鼠" in task.description
    assert task.found_by_id == canteen.keeper.id


def test_the_rooms_page_records_both_and_keeps_what_was_typed(client, canteen):
    day = factories.open_day(canteen.school)
    room = factories.create_room(canteen.school, created_on=day)
    login(client, canteen.keeper)
    base = f"/canteen/{day.isoformat()}/rooms/{room.id}"
    assert "主食库" in client.get(f"/canteen/{day.isoformat()}/rooms").get_data(as_text=True)
    assert client.post(f"{base}/disinfection", data={f"room{room.id}-method": "紫外线灯"}).status_code == 302
    prefix = f"check{room.id}-"
    failed = {
        prefix + "flies_ok": "y",
        prefix + "insects_ok": "y",
        prefix + "dust_ok": "y",
        prefix + "problems": "墙角有鼠洞",
    }
    page = client.post(f"{base}/prevention", data=failed)
    assert page.status_code == 422 and "墙角有鼠洞" in page.get_data(as_text=True)
    assert client.post(f"{base}/prevention", data=failed | {prefix + "responsible": canteen.cook.id}).status_code == 302
    assert count(RectificationTask) == 1


# --- suppliers and deliveries -------------------------------------------------------------


def test_bulk_ingredients_need_two_acceptors_and_the_number_is_a_setting(canteen):
    supplier = factories.create_supplier(canteen.school)
    refused(lambda: factories.accept_delivery(supplier, [canteen.keeper], bulk=True), "2")
    assert count(Delivery) == 0
    factories.accept_delivery(supplier, [canteen.keeper, canteen.cook], bulk=True)
    db.session.get(SchoolSettings, canteen.school.id).bulk_acceptors = 3
    db.session.commit()
    refused(lambda: factories.accept_delivery(supplier, [canteen.keeper, canteen.cook], bulk=True), "3")
    factories.accept_delivery(supplier, [canteen.keeper])  # not bulk: one is enough
    refused(lambda: factories.accept_delivery(supplier, [], by=canteen.keeper), "验收人")


def test_a_rejection_needs_a_reason(canteen):
    supplier = factories.create_supplier(canteen.school)
    refused(lambda: factories.accept_delivery(supplier, [canteen.keeper], result=DeliveryResult.REJECTED), "拒收原因")
    record = factories.accept_delivery(
        supplier, [canteen.keeper], result=DeliveryResult.REJECTED, rejection_reason="包装破损"
    )
    assert record.rejection_reason == "包装破损"


def test_an_expired_licence_is_flagged_on_the_day_after_it_expires(canteen):
    on_the_day = factories.create_supplier(canteen.school, "甲店", expires_on=LEDGER_DAY)
    day_before = factories.create_supplier(canteen.school, "乙店", expires_on=LEDGER_DAY - timedelta(days=1))
    assert not factories.accept_delivery(on_the_day, [canteen.keeper]).licence_expired
    flagged = factories.accept_delivery(day_before, [canteen.keeper])
    assert flagged.licence_expired
    board = canteen_board.board(canteen.school, LEDGER_DAY)
    assert [delivery for delivery in board.flagged_deliveries if delivery.licence_expired] == [flagged]
    assert "许可证已过期" in [str(flag) for flag in purchasing.flags(flagged)]


def test_items_are_checked(canteen):
    supplier = factories.create_supplier(canteen.school)

    def item(**fields):
        return DeliveryItem(**({"name": "面粉", "quantity": Decimal(2), "unit": "袋"} | fields))

    refused(lambda: factories.accept_delivery(supplier, [canteen.keeper], items=[]), "至少")
    refused(lambda: factories.accept_delivery(supplier, [canteen.keeper], items=[item(unit="")]), "单位")
    refused(lambda: factories.accept_delivery(supplier, [canteen.keeper], items=[item(quantity=Decimal(0))]), "数量")
    late = item(production_date=LEDGER_DAY + timedelta(days=1))
    refused(lambda: factories.accept_delivery(supplier, [canteen.keeper], items=[late]), "生产日期")
    tomorrow = LEDGER_DAY + timedelta(days=1)
    refused(
        lambda: factories.accept_delivery(supplier, [canteen.keeper], day=tomorrow, now=school_moment(LEDGER_DAY, 9)),
        "未来",
    )


def test_records_are_kept_six_months_past_shelf_life_or_two_years(canteen):
    supplier = factories.create_supplier(canteen.school)
    # Produced 1 September, 30 days' shelf life: ends 1 October, kept until 1 April.
    milk = factories.accept_delivery(
        supplier,
        [canteen.keeper],
        items=[
            DeliveryItem(
                name="牛奶", quantity=Decimal(10), unit="箱", production_date=date(2026, 9, 1), shelf_life_days=30
            )
        ],
    )
    assert purchasing.keep_until(milk) == milk.keep_until == date(2027, 4, 1)
    refused(lambda: purchasing.delete_delivery(canteen.clerk, milk, today=date(2027, 3, 31)), "2027-04-01")
    salt = factories.accept_delivery(
        supplier, [canteen.keeper], items=[DeliveryItem(name="盐", quantity=Decimal(1), unit="袋")]
    )
    assert purchasing.keep_until(salt) == salt.keep_until == date(2028, 9, 16)  # no shelf life: two years
    # A delivery whose retention has really ended is deleted, with its items.
    old_day = date(2024, 3, 1)
    old = factories.accept_delivery(
        supplier,
        [canteen.keeper],
        day=old_day,
        items=[DeliveryItem(name="牛奶", quantity=Decimal(10), unit="箱", production_date=old_day, shelf_life_days=30)],
    )
    assert old.keep_until == date(2024, 9, 30)
    purchasing.delete_delivery(canteen.clerk, old)
    db.session.commit()
    assert count(Delivery) == 2 and count(DeliveryItem) == 2


def test_the_admin_refuses_to_delete_a_young_delivery(client, canteen):
    record = factories.accept_delivery(factories.create_supplier(canteen.school), [canteen.keeper])
    login(client, canteen.clerk)
    response = client.post("/admin/deliveries/delete/", data={"id": record.id}, follow_redirects=True)
    assert "不能删除" in response.get_data(as_text=True)
    assert db.session.get(Delivery, record.id) is not None


def test_the_deliveries_page_takes_items_tickets_and_acceptors(client, canteen, other_school, create_user):
    supplier = factories.create_supplier(canteen.school)
    login(client, canteen.keeper)
    url = f"/canteen/{factories.open_day(canteen.school).isoformat()}/deliveries"
    assert "城关粮油店" in client.get(url).get_data(as_text=True)
    typed = {
        "supplier": supplier.id,
        "result": "accepted",
        "acceptors": [canteen.keeper.id],
        "items-0-name": "大米",
        "items-0-quantity": "4",
        "items-0-unit": "袋",
        "items-0-batch": "B20260901",
    }
    alone = client.post(url, data=typed)
    assert alone.status_code == 422
    text = alone.get_data(as_text=True)
    assert "至少由2人" in text and 'value="B20260901"' in text
    scan = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(scan, "PNG")
    scan.seek(0)
    together = typed | {"acceptors": [canteen.keeper.id, canteen.cook.id], "tickets": (scan, "送货单.png")}
    assert client.post(url, data=together, content_type="multipart/form-data").status_code == 302
    record = db.session.scalar(sa.select(Delivery))
    assert [item.batch for item in record.items] == ["B20260901"] and len(record.tickets) == 1
    assert client.get(f"/files/{record.tickets[0].id}").status_code == 200  # the keeper reads the ledgers
    login(client, create_user(Role.STAFF, other_school))
    assert client.get(f"/files/{record.tickets[0].id}").status_code == 404


def _png(name):
    scan = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(scan, "PNG")
    scan.seek(0)
    return scan, name


def test_a_refused_delivery_keeps_its_tickets_and_names_the_row(client, canteen, create_user):
    supplier = factories.create_supplier(canteen.school)
    login(client, canteen.keeper)
    url = f"/canteen/{factories.open_day(canteen.school).isoformat()}/deliveries"
    typed = {
        "supplier": supplier.id,
        "result": "accepted",
        "acceptors": [canteen.keeper.id],
        "items-0-name": "食盐",
        "items-0-quantity": "4",
        "items-0-unit": "袋",
        "items-1-quantity": "2",  # the second row has a quantity but no name
        "items-1-unit": "桶",
        "tickets": _png("送货单.png"),
    }
    refused = client.post(url, data=typed, content_type="multipart/form-data")
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "第2项" in text and "品名" in text
    assert "送货单.png" in text  # the chosen file is kept, shown, and sent again with the form
    [kept] = re.findall(r'name="kept_tickets" value="(\d+)"', text)

    no_unit = typed | {"items-1-name": "", "items-1-quantity": "", "items-1-unit": "", "items-0-unit": ""}
    no_unit.pop("tickets")
    refused = client.post(url, data=no_unit | {"kept_tickets": kept}, content_type="multipart/form-data")
    assert "食盐：请填写大于零的数量和单位" in refused.get_data(as_text=True)
    assert f'name="kept_tickets" value="{kept}"' in refused.get_data(as_text=True)

    fixed = no_unit | {"items-0-unit": "袋", "kept_tickets": kept}
    assert client.post(url, data=fixed, content_type="multipart/form-data").status_code == 302
    record = db.session.scalar(sa.select(Delivery))
    assert [t.original_name for t in record.tickets] == ["送货单.png"]

    login(client, canteen.cook)  # someone else's kept ticket is not theirs to attach
    other = typed | {"items-1-name": "酱油", "kept_tickets": kept, "tickets": _png("另一张.png")}
    other["acceptors"] = [canteen.cook.id]
    assert client.post(url, data=other, content_type="multipart/form-data").status_code == 302
    second = db.session.scalars(sa.select(Delivery).order_by(Delivery.id.desc())).first()
    assert [t.original_name for t in second.tickets] == ["另一张.png"]


# --- the weekly risk report and the monthly dispatch meeting -------------------------------


@pytest.fixture
def manager(canteen):
    canteen.keeper.food_safety_manager = True
    db.session.commit()
    return canteen.keeper


def test_the_report_drafts_itself_from_the_weeks_records(canteen, manager):
    factories.accompany(canteen.school, canteen.principal, problems="汤是凉的", responsible=canteen.cook)
    factories.accept_delivery(factories.create_supplier(canteen.school, expires_on=date(2026, 1, 1)), [canteen.keeper])
    draft = food_safety.report_for_week(canteen.school, MONDAY).draft
    assert "陪餐发现问题：1 次" in draft
    assert "供应商许可证过期的进货 1 批" in draft
    assert "未索取票据的进货 1 批" in draft
    assert "整改任务 1 项" in draft


def test_only_the_food_safety_manager_completes_and_signs_with_the_password(canteen, manager):
    report = food_safety.report_for_week(canteen.school, MONDAY)
    report.risks_found, report.measures = "冷库温度偏高", "已报修"
    refused(lambda: food_safety.save_report(canteen.director, report, None), "食品安全员")
    report = food_safety.report_for_week(canteen.school, MONDAY)
    report.risks_found, report.measures = "冷库温度偏高", ""
    food_safety.save_report(manager, report, None)
    db.session.commit()
    refused(lambda: food_safety.sign_report(manager, report, factories.PASSWORD), "防控措施")
    report.measures = "已报修"
    db.session.commit()
    refused(lambda: food_safety.sign_report(manager, report, "wrong password"), "密码")
    food_safety.sign_report(manager, report, factories.PASSWORD)
    db.session.commit()
    assert report.signed_by == manager and report.is_signed


def test_a_signed_report_or_minutes_never_change(canteen, manager):
    report = food_safety.report_for_week(canteen.school, MONDAY)
    report.risks_found, report.measures = "无", "无"
    food_safety.save_report(manager, report, None)
    food_safety.sign_report(manager, report, factories.PASSWORD)
    meeting = factories.record_meeting(canteen.school, canteen.director)
    food_safety.sign_meeting(canteen.principal, meeting, factories.PASSWORD)
    db.session.commit()
    refused(lambda: food_safety.save_report(manager, report, None), "已签字")
    for record in (report, meeting):
        record.attendees = record.measures = "改过了"
        with pytest.raises(FrozenRecordError):
            db.session.flush()
        db.session.rollback()
    for table in ("risk_report", "dispatch_meeting"):
        with pytest.raises(sa.exc.DBAPIError):
            db.session.execute(sa.text(f"DELETE FROM {table}"))
        db.session.rollback()
    assert count(RiskReport) == 1 and count(DispatchMeeting) == 1


def test_the_principal_signs_the_minutes_and_staff_cannot_record_them(canteen):
    refused(lambda: factories.record_meeting(canteen.school, canteen.cook), "校长")
    refused(lambda: factories.record_meeting(canteen.school, canteen.director, attendees=" "), "参会人员")
    refused(lambda: factories.record_meeting(canteen.school, canteen.director, held_on=date(2099, 1, 1)), "未来")
    meeting = factories.record_meeting(canteen.school, canteen.director)
    refused(lambda: food_safety.sign_meeting(canteen.director, meeting, factories.PASSWORD), "校长")
    food_safety.sign_meeting(canteen.principal, meeting, factories.PASSWORD)
    db.session.commit()
    assert meeting.signed_by == canteen.principal


def test_missing_reports_and_minutes_show_on_the_compliance_dashboard(client, canteen, manager):
    first, last, today = date(2026, 9, 1), date(2026, 9, 30), date(2026, 10, 8)
    cadence = food_safety.cadence(canteen.school, first, last, today)
    assert MONDAY in cadence.weeks_missing and cadence.months_missing == [date(2026, 9, 1)]
    report = food_safety.report_for_week(canteen.school, MONDAY)
    report.risks_found, report.measures = "无", "无"
    food_safety.save_report(manager, report, None)
    food_safety.sign_report(manager, report, factories.PASSWORD)
    meeting = factories.record_meeting(canteen.school, canteen.director)
    db.session.commit()
    cadence = food_safety.cadence(canteen.school, first, last, today)
    assert MONDAY not in cadence.weeks_missing and MONDAY in cadence.weeks
    assert cadence.months_missing == [date(2026, 9, 1)]  # recorded, not yet signed
    food_safety.sign_meeting(canteen.principal, meeting, factories.PASSWORD)
    db.session.commit()
    assert food_safety.cadence(canteen.school, first, last, today).months_missing == []

    login(client, canteen.principal)
    page = client.get("/compliance?range=custom&from=2026-09-01&to=2026-09-30").get_data(as_text=True)
    assert "已签每周排查报告" in page and "缺：" in page  # the other school weeks of September
    assert "已签月调度纪要" in page and "本学期家长陪餐" in page


def test_the_report_and_meeting_pages_for_each_role(client, canteen, manager):
    url = f"/canteen/weeks/{MONDAY.isoformat()}/risk-report"
    login(client, canteen.director)
    page = client.get(url).get_data(as_text=True)
    assert "本周记录汇总" in page and "由食品安全员/总监完成" in page
    assert client.post(url, data={"risks_found": "x", "measures": "y"}).status_code == 403  # not a manager
    assert client.get("/canteen/weeks/2026-09-15/risk-report").status_code == 404  # not a Monday
    assert client.get("/canteen/weeks/2099-01-05/risk-report").status_code == 404  # the future
    login(client, manager)
    assert client.post(url, data={"risks_found": "冷库温度偏高", "measures": ""}).status_code == 302
    unsigned = client.post(f"{url}/sign", data={"password": factories.PASSWORD})
    assert unsigned.status_code == 422 and "防控措施" in unsigned.get_data(as_text=True)
    client.post(url, data={"risks_found": "冷库温度偏高", "measures": "已报修"})
    assert client.post(f"{url}/sign", data={"password": factories.PASSWORD}).status_code == 302
    assert db.session.scalar(sa.select(RiskReport)).is_signed

    login(client, canteen.director)
    typed = {"held_on": "2026-09-30", "attendees": "全体", "issues": "九月问题", "decisions": ""}
    empty = client.post("/canteen/meetings", data=typed)
    assert empty.status_code == 422 and "九月问题" in empty.get_data(as_text=True)
    assert client.post("/canteen/meetings", data=typed | {"decisions": "按期整改"}).status_code == 302
    meeting = db.session.scalar(sa.select(DispatchMeeting))
    assert client.post(f"/canteen/meetings/{meeting.id}/sign", data={"password": factories.PASSWORD}).status_code == 403
    login(client, canteen.principal)
    assert client.post(f"/canteen/meetings/{meeting.id}/sign", data={"password": factories.PASSWORD}).status_code == 302
