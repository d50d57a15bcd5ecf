"""The storeroom and the cold chain: each rule at its boundary (first in first out across
three batches, a batch expiring today against one expired yesterday, 8.0 ℃ against 8.1 ℃,
−18 ℃ against −17.9 ℃), the book always equal to the ledger, the stocktake signed by two
people and then frozen on every path, the pages as the keeper uses them, and other schools'
stock out of reach."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    ColdUnitKind,
    FrozenRecordError,
    Meal,
    RectificationTask,
    Role,
    StockBalance,
    StockIssue,
    StocktakeLine,
)
from portal.services import (
    canteen_board,
    cold_chain,
    compliance_county,
    food_cost,
    ledgers,
    stock_book,
    stocktakes,
    storeroom,
)
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY, PASSWORD, school_moment
from tests.tamper import refused_by_the_database

D = Decimal


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def _on_hand(batch):
    return db.session.get(StockBalance, batch.id).on_hand


def _book_is_the_ledger(school):
    db.session.expire_all()
    assert stock_book.book_differences(school.id) == {}


# --- stock in ---------------------------------------------------------------------------------


def test_an_accepted_delivery_is_put_away_as_batches_of_the_schools_items(people):
    batch = factories.stock(people.school, people.keeper, quantity=20, shelf_life_days=7, made=LEDGER_DAY)
    assert batch.item.name == "大米" and batch.item.unit == "kg"
    assert batch.expires_on == LEDGER_DAY + timedelta(days=6)  # the production day is the first of seven
    assert batch.unit_price == D("5.00") and _on_hand(batch) == 20
    second = factories.stock(people.school, people.keeper, quantity=5, day=LEDGER_DAY + timedelta(days=1))
    assert second.item_id == batch.item_id  # the same rice is the same item whoever brought it
    refused(lambda: storeroom.put_away(people.keeper, batch.delivery_item), "已入库")
    _book_is_the_ledger(people.school)


def test_a_rejected_delivery_never_reaches_the_storeroom(people):
    from portal.models import DeliveryResult

    supplier = factories.create_supplier(people.school)
    delivery = factories.accept_delivery(
        supplier, [people.keeper], result=DeliveryResult.REJECTED, rejection_reason="霉变"
    )
    assert storeroom.awaiting_put_away(people.school.id, LEDGER_DAY) == []
    refused(lambda: storeroom.put_away(people.keeper, delivery.items[0], day=LEDGER_DAY), "验收合格")


def test_goods_in_another_unit_are_not_put_away_under_an_item_kept_in_kg(people):
    from portal.models import DeliveryItem

    batch = factories.stock(people.school, people.keeper)
    goods = DeliveryItem(name="大米", quantity=D(2), unit="袋", shelf_life_days=365)
    delivery = factories.accept_delivery(
        factories.create_supplier(people.school, "另一家"), [people.keeper, people.cook], items=[goods]
    )
    refused(lambda: storeroom.put_away(people.keeper, delivery.items[0], item=batch.item, day=LEDGER_DAY), "袋")


# --- stock out --------------------------------------------------------------------------------


def test_first_in_first_out_across_three_batches(people):
    batches = [
        factories.stock(people.school, people.keeper, quantity=10, day=LEDGER_DAY - timedelta(days=days))
        for days in (2, 1, 0)
    ]
    item = batches[0].item
    issued = factories.issue(people.keeper, item, 15)
    assert [(record.batch_id, record.quantity) for record in issued] == [(batches[0].id, 10), (batches[1].id, 5)]
    assert [_on_hand(batch) for batch in batches] == [0, 5, 10]
    factories.issue(people.keeper, item, 7)
    assert [_on_hand(batch) for batch in batches] == [0, 0, 8]
    _book_is_the_ledger(people.school)


def test_more_than_is_on_hand_is_refused_with_what_there_is(people):
    batch = factories.stock(people.school, people.keeper, quantity=12.5)
    refused(lambda: factories.issue(people.keeper, batch.item, 13), "12.5kg")
    db.session.rollback()
    assert _on_hand(batch) == D("12.5")
    refused(lambda: factories.issue(people.keeper, batch.item, 0), "大于零")


def test_a_batch_expiring_today_is_issued_and_one_expired_yesterday_is_not(people):
    # Two-day shelf life made the day before: the last day of use is LEDGER_DAY.
    today = factories.stock(
        people.school,
        people.keeper,
        quantity=5,
        day=LEDGER_DAY - timedelta(days=1),
        shelf_life_days=2,
        made=LEDGER_DAY - timedelta(days=1),
        name="豆腐",
    )
    assert today.expires_on == LEDGER_DAY
    yesterday = factories.stock(
        people.school,
        people.keeper,
        quantity=5,
        day=LEDGER_DAY - timedelta(days=2),
        shelf_life_days=1,
        made=LEDGER_DAY - timedelta(days=2),
        name="豆腐",
    )
    assert yesterday.expires_on == LEDGER_DAY - timedelta(days=2) and yesterday.expired_on(LEDGER_DAY)
    [issued] = factories.issue(people.keeper, today.item, 5)  # FIFO passes over the expired batch
    assert issued.batch_id == today.id
    refused(lambda: factories.issue(people.keeper, today.item, 1), "已过期")  # only expired stock is left
    db.session.rollback()
    refused(lambda: factories.issue(people.keeper, today.item, 1, batch=yesterday, reason="先用完"), "过期")
    db.session.rollback()
    assert _on_hand(yesterday) == 5


def test_another_batch_than_the_oldest_needs_a_reason(people):
    old = factories.stock(people.school, people.keeper, quantity=10, day=LEDGER_DAY - timedelta(days=3))
    new = factories.stock(people.school, people.keeper, quantity=10)
    refused(lambda: factories.issue(people.keeper, old.item, 2, batch=new), "先进先出")
    db.session.rollback()
    [issued] = factories.issue(people.keeper, old.item, 2, batch=new, reason="老批次在冷库最里面，下午取")
    assert issued.batch_id == new.id and issued.reason
    refused(lambda: factories.issue(people.keeper, old.item, 11, batch=old), "10kg")


def test_an_issue_withdrawn_goes_back_on_the_shelf_and_a_used_batch_is_not_withdrawn(people):
    day = factories.open_day(people.school)
    batch = factories.stock(people.school, people.keeper, quantity=10, day=day, now=school_moment(day, 0))
    [issued] = factories.issue(people.keeper, batch.item, 4, day=day)
    refused(lambda: ledgers.withdraw(people.director, batch, "录错了"), "不能撤回")
    db.session.rollback()
    ledgers.withdraw(people.director, db.session.get(StockIssue, issued.id), "出库数量录错")
    db.session.commit()
    assert _on_hand(batch) == 10
    _book_is_the_ledger(people.school)


def test_two_keepers_cannot_both_issue_the_last_of_a_batch(people):
    """The balance is never below zero, whichever path writes it."""
    batch = factories.stock(people.school, people.keeper, quantity=3)
    balance = db.session.get(StockBalance, batch.id)
    balance.on_hand = D(-1)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- disposal ---------------------------------------------------------------------------------


def test_expired_stock_is_disposed_of_before_a_witness(people):
    batch = factories.stock(
        people.school,
        people.keeper,
        quantity=6,
        day=LEDGER_DAY - timedelta(days=5),
        shelf_life_days=2,
        made=LEDGER_DAY - timedelta(days=5),
    )
    now = school_moment(LEDGER_DAY, 15)
    refused(lambda: storeroom.dispose(people.keeper, batch, D(6), "倒入餐厨垃圾桶", people.keeper, now=now), "见证")
    refused(lambda: storeroom.dispose(people.keeper, batch, D(6), "", people.director, now=now), "处置方式")
    refused(lambda: storeroom.dispose(people.keeper, batch, D(7), "销毁", people.director, now=now), "6kg")
    db.session.rollback()
    record = storeroom.dispose(people.keeper, batch, D(6), "倒入餐厨垃圾桶并拍照", people.director, now=now)
    db.session.commit()
    assert record.witness == people.director and _on_hand(batch) == 0
    _book_is_the_ledger(people.school)


# --- the monthly stocktake --------------------------------------------------------------------


def _counted(people, difference=-2, reason="鼠咬破袋，已报损"):
    batch = factories.stock(people.school, people.keeper, quantity=20)
    stocktake = stocktakes.start(people.keeper, date(2026, 9, 1), now=school_moment(LEDGER_DAY, 16))
    db.session.commit()
    [line] = stocktake.lines
    assert line.book == 20 and line.counted == 20
    stocktakes.count(people.keeper, stocktake, {line.id: (line.book + D(difference), reason)})
    db.session.commit()
    return batch, stocktake, line


def test_a_stocktake_is_begun_in_its_month_or_the_next(people):
    factories.stock(people.school, people.keeper)
    late = school_moment(date(2026, 11, 2), 9)
    refused(lambda: stocktakes.start(people.keeper, date(2026, 9, 1), now=late), "账面")
    db.session.rollback()
    assert stocktakes.start(people.keeper, date(2026, 10, 1), now=late).lines


def test_a_difference_needs_a_reason_and_a_count_is_never_negative(people):
    batch, stocktake, line = _counted(people, difference=0)
    refused(lambda: stocktakes.count(people.keeper, stocktake, {line.id: (D(18), "")}), "原因")
    db.session.rollback()
    refused(lambda: stocktakes.count(people.keeper, stocktake, {line.id: (D(-1), "")}), "零或以上")


def test_the_stocktake_is_signed_by_the_keeper_then_the_director_and_only_then_adjusts_the_book(people):
    batch, stocktake, line = _counted(people)
    refused(lambda: stocktakes.sign(people.director, stocktake, PASSWORD), "保管员")  # the keeper signs first
    db.session.rollback()
    refused(lambda: stocktakes.sign_as_keeper(people.keeper, stocktake, "wrong-password"), "密码")
    db.session.rollback()
    stocktakes.sign_as_keeper(people.keeper, stocktake, PASSWORD)
    db.session.commit()
    assert _on_hand(batch) == 20  # the keeper alone does not change the book
    refused(lambda: stocktakes.sign(people.keeper, stocktake, PASSWORD), "总务主任")
    db.session.rollback()
    refused(lambda: stocktakes.sign(people.principal, stocktake, PASSWORD), "总务主任")
    db.session.rollback()
    stocktakes.sign(people.director, stocktake, PASSWORD)
    db.session.commit()
    assert _on_hand(batch) == 18 and stocktake.signed_by == people.director
    _book_is_the_ledger(people.school)


def test_a_signed_stocktake_is_frozen_on_every_path(people):
    batch, stocktake, line = _counted(people)
    stocktakes.sign_as_keeper(people.keeper, stocktake, PASSWORD)
    stocktakes.sign(people.director, stocktake, PASSWORD)
    db.session.commit()
    refused(lambda: stocktakes.count(people.keeper, stocktake, {line.id: (D(20), "")}), "已签")
    db.session.rollback()
    line = db.session.get(StocktakeLine, line.id)
    line.counted = D(20)
    with pytest.raises(FrozenRecordError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(StocktakeLine, line.id))
    with pytest.raises(FrozenRecordError):
        db.session.flush()
    db.session.rollback()
    for statement in (
        f"UPDATE stocktake_line SET counted = 20 WHERE id = {line.id}",
        f"DELETE FROM stocktake_line WHERE id = {line.id}",
        f"INSERT INTO stocktake_line (school_id, stocktake_id, batch_id, book, counted, reason) "
        f"VALUES ({people.school.id}, {stocktake.id}, {batch.id}, 1, 1, '')",
        f"UPDATE stocktake SET keeper_signed_at = NULL WHERE id = {stocktake.id}",
        f"DELETE FROM stocktake WHERE id = {stocktake.id}",
    ):
        refused_by_the_database(statement)
    assert db.session.get(StocktakeLine, line.id).counted == 18


def test_a_count_changed_after_the_keeper_signed_needs_their_signature_again(people):
    batch, stocktake, line = _counted(people)
    stocktakes.sign_as_keeper(people.keeper, stocktake, PASSWORD)
    stocktakes.count(people.keeper, stocktake, {line.id: (D(19), "袋子破损")})
    db.session.commit()
    assert stocktake.keeper_signed_at is None
    refused(lambda: stocktakes.sign(people.director, stocktake, PASSWORD), "保管员")


# --- the cold chain ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "inside", "outside"),
    [(ColdUnitKind.REFRIGERATOR, "8.0", "8.1"), (ColdUnitKind.FREEZER, "-18.0", "-17.9")],
)
def test_a_reading_at_the_limit_holds_and_a_tenth_past_it_is_a_task(people, kind, inside, outside):
    unit = factories.create_cold_unit(people.school, kind=kind)
    assert factories.read_temperature(unit, people.keeper, inside).out_of_range is False
    refused(lambda: factories.read_temperature(unit, people.keeper, outside, round_=2), "采取")
    db.session.rollback()
    refused(lambda: factories.read_temperature(unit, people.keeper, outside, round_=2, action="调低温控"), "整改")
    db.session.rollback()
    reading = factories.read_temperature(
        unit, people.keeper, outside, round_=2, action="调低温控，转移食品", responsible=people.cook
    )
    assert reading.out_of_range
    task = db.session.scalar(sa.select(RectificationTask).where(RectificationTask.ledger == "temperature_readings"))
    assert task.ledger_record_id == reading.id and task.responsible == people.cook and outside in task.description


def test_a_missing_reading_is_a_gap_on_canteen_days_only(people):
    unit = factories.create_cold_unit(people.school)
    factories.read_temperature(unit, people.keeper, "4.0")
    gaps = cold_chain.gaps([people.school], LEDGER_DAY, LEDGER_DAY)[people.school.id]
    assert [(gap.day, gap.unit.id, gap.missing) for gap in gaps] == [(LEDGER_DAY, unit.id, 1)]
    sunday = date(2026, 9, 20)
    assert cold_chain.gaps([people.school], sunday, sunday)[people.school.id] == []
    refused(lambda: factories.read_temperature(unit, people.keeper, "4.0"), "已记录")
    db.session.rollback()
    refused(lambda: factories.read_temperature(unit, people.keeper, "4.0", round_=3), "第几次")


# --- the daily food cost ----------------------------------------------------------------------


def test_the_daily_food_cost_is_the_value_of_what_was_issued_per_meal(people):
    rice = factories.stock(people.school, people.keeper, quantity=50, price="4.20")
    oil = factories.stock(people.school, people.keeper, quantity=10, name="菜籽油", price=None)
    factories.issue(people.keeper, rice.item, "12.5")
    factories.issue(people.keeper, oil.item, 1)
    [cost] = food_cost.per_day(people.school.id, LEDGER_DAY, LEDGER_DAY)
    assert cost.meals == {Meal.LUNCH: D("52.50")} and cost.unpriced == 1 and cost.issues == 2
    assert canteen_board.board(people.school, LEDGER_DAY).issued.total == D("52.50")


# --- the pages --------------------------------------------------------------------------------


def test_the_keeper_puts_a_delivery_away_and_issues_for_lunch_on_the_pages(client, people):
    day = factories.open_day(people.school)
    supplier = factories.create_supplier(people.school)
    delivery = factories.accept_delivery(supplier, [people.keeper], day=day, now=school_moment(day, 0))
    login(client, people.keeper)
    page = client.get(f"/storeroom/{day}/in").get_data(as_text=True)
    assert "城关粮油店" in page and "大米" in page
    done = client.post(f"/storeroom/{day}/in/deliveries/{delivery.id}", data={"storeroom": "主食库"})
    assert done.status_code == 302
    [row] = storeroom.on_hand(people.school.id)
    assert row.on_hand == 20 and row.batch.storeroom == "主食库"
    item_id = row.batch.item_id
    too_much = client.post(f"/storeroom/{day}/out", data={"meal": "lunch", "item": item_id, "quantity": "25"})
    text = too_much.get_data(as_text=True)
    assert too_much.status_code == 422 and "20kg" in text and 'value="25' in text  # what was typed is kept
    issued = client.post(f"/storeroom/{day}/out", data={"meal": "lunch", "item": item_id, "quantity": "8"})
    assert issued.status_code == 302
    assert "8kg" in client.get(f"/storeroom/{day}/out").get_data(as_text=True)
    assert storeroom.on_hand(people.school.id)[0].on_hand == 12


def test_the_pages_refuse_bad_input_in_chinese(client, people):
    day = factories.open_day(people.school)
    unit = factories.create_cold_unit(people.school)
    login(client, people.keeper)
    no_number = client.post(f"/storeroom/{day}/temperatures/{unit.id}/1", data={f"unit{unit.id}-1-temperature_c": "冷"})
    assert no_number.status_code == 422 and "温度" in no_number.get_data(as_text=True)
    warm = client.post(f"/storeroom/{day}/temperatures/{unit.id}/1", data={f"unit{unit.id}-1-temperature_c": "9.5"})
    text = warm.get_data(as_text=True)
    assert warm.status_code == 422 and "0.0–8.0 ℃" in text and 'value="9.5"' in text
    for url in (f"/storeroom/{day}/temperatures/{unit.id}/9", "/storeroom/stocktake/2099-01", "/storeroom/x/out"):
        response = client.get(url) if "temperatures" not in url else client.post(url, data={})
        assert response.status_code in (404, 422), url


def test_the_stocktake_on_the_pages_keeper_then_director(client, people):
    factories.stock(people.school, people.keeper, quantity=20)
    month = school_today().strftime("%Y-%m")
    login(client, people.keeper)
    assert client.post(f"/storeroom/stocktake/{month}/start").status_code == 302
    stocktake = stocktakes.of_month(people.school.id, school_today().replace(day=1))
    [line] = stocktake.lines
    no_reason = client.post(f"/storeroom/stocktake/{month}/count", data={f"counted-{line.id}": "19"})
    assert no_reason.status_code == 422 and "原因" in no_reason.get_data(as_text=True)
    assert 'value="19"' in no_reason.get_data(as_text=True)
    client.post(
        f"/storeroom/stocktake/{month}/count", data={f"counted-{line.id}": "19", f"reason-{line.id}": "漏记出库"}
    )
    assert client.post(f"/storeroom/stocktake/{month}/keeper-sign", data={"password": PASSWORD}).status_code == 302
    assert client.post(f"/storeroom/stocktake/{month}/sign", data={"password": PASSWORD}).status_code == 403
    login(client, people.director)
    page = client.get(f"/storeroom/stocktake/{month}").get_data(as_text=True)
    assert "按差异调整账面" in page
    assert client.post(f"/storeroom/stocktake/{month}/sign", data={"password": PASSWORD}).status_code == 302
    assert storeroom.on_hand(people.school.id)[0].on_hand == 19


def test_another_schools_stock_is_out_of_reach(client, people, other_school, create_user):
    outsider = create_user(Role.STAFF, other_school)
    factories.add_term(other_school)
    theirs = factories.stock(other_school, outsider, quantity=5)
    delivery = theirs.delivery_item.delivery
    unit = factories.create_cold_unit(other_school)
    day = factories.open_day(people.school)
    login(client, people.keeper)
    assert client.post(f"/storeroom/batches/{theirs.id}/dispose", data={}).status_code == 404
    assert client.post(f"/storeroom/{day}/in/deliveries/{delivery.id}").status_code == 404
    assert client.post(f"/storeroom/{day}/in/goods/{theirs.delivery_item_id}").status_code == 404
    assert client.post(f"/storeroom/{day}/temperatures/{unit.id}/1", data={}).status_code == 404
    out = client.post(f"/storeroom/{day}/out", data={"meal": "lunch", "item": theirs.item_id, "quantity": "1"})
    assert out.status_code in (404, 422)
    assert "大米" not in client.get("/storeroom").get_data(as_text=True)
    assert _on_hand(theirs) == 5


def test_the_board_and_the_county_show_expired_stock_and_temperature_gaps(client, people, create_user):
    day = factories.open_day(people.school)
    batch = factories.stock(
        people.school,
        people.keeper,
        quantity=3,
        day=day - timedelta(days=3),
        shelf_life_days=1,
        made=day - timedelta(days=3),
        name="鲜奶",
    )
    unit = factories.create_cold_unit(people.school, name="留样冰箱", kind=ColdUnitKind.SAMPLE_FRIDGE)
    board = canteen_board.board(people.school, day)
    assert [row.batch.id for row in board.expired] == [batch.id]
    assert board.units_short_of_readings == [unit]
    login(client, people.director)
    text = client.get("/canteen").get_data(as_text=True)
    assert "鲜奶" in text and "留样冰箱" in text
    storeroom_page = client.get("/storeroom").get_data(as_text=True)
    assert "已过期：请处置" in storeroom_page and "鲜奶 3kg" in storeroom_page
    yesterday = canteen_board.board(people.school, LEDGER_DAY)
    assert yesterday.units_short_of_readings == [unit]
    past = client.get(f"/canteen?day={LEDGER_DAY.isoformat()}").get_data(as_text=True)
    assert "留样冰箱: 0 / 2 (缺少测温记录)" in past
    [row] = compliance_county.county([(people.school, day - timedelta(days=7), day)])
    assert row.expired_batches == 1
    login(client, create_user(Role.COUNTY_ADMIN))
    assert client.get("/compliance").status_code == 200


# --- the evidence -----------------------------------------------------------------------------


def test_the_evidence_has_the_storeroom_section_with_movements_differences_and_gaps(people):
    from portal.evidence import storage
    from tests.test_evidence import make_export, pdf_text

    batch, stocktake, line = _counted(people)
    stocktakes.sign_as_keeper(people.keeper, stocktake, PASSWORD)
    stocktakes.sign(people.director, stocktake, PASSWORD)
    factories.issue(people.keeper, batch.item, 5)
    unit = factories.create_cold_unit(people.school, name="冷藏冰箱甲")
    factories.read_temperature(unit, people.keeper, "9.0", action="门未关严，已关好", responsible=people.cook)
    export = make_export(people, sections=["storeroom"])
    text = pdf_text(storage.path_of(export.storage_key))
    assert "库房与冷链" in text and "各物品出入库汇总" in text
    assert "鼠咬破袋" in text  # the stocktake difference with its reason
    assert "冷藏冰箱甲" in text and "超出范围" in text
    assert "入库 1 批，出库 1 笔" in text
    # LEDGER_DAY's afternoon reading is missing: a gap in the table of missing readings.
    assert "缺少的温度记录" in text and "2026-09-16" in text
    # Each fridge's period as a chart (drawn into the PDF: its title is text), its figures beside it.
    assert "冰箱、冰柜测温曲线" in text and "测温 1 次，最低 9.0 ℃，最高 9.0 ℃，超出范围 1 次" in text
    assert re.search(r"冷藏冰箱甲 2026-\d\d-\d\d – 2026-\d\d-\d\d °C", text)


def test_a_signed_stocktake_cannot_be_changed_or_deleted_in_the_admin(client, people):
    batch, stocktake, line = _counted(people)
    stocktakes.sign_as_keeper(people.keeper, stocktake, PASSWORD)
    stocktakes.sign(people.director, stocktake, PASSWORD)
    db.session.commit()
    login(client, people.clerk)
    assert client.post("/admin/stocktakes/delete/", data={"id": stocktake.id}).status_code == 403
    assert client.post(f"/admin/stocktakes/edit/?id={stocktake.id}", data={}).status_code == 403
    assert "2026-09" in client.get("/admin/stocktakes/").get_data(as_text=True)
