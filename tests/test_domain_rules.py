"""The rules found loose, each at its boundary: health certificates (required expiry, at most
the kind's validity, no future issue), bulk ingredients by the school's list and quantity,
tickets and quarantine certificates, banned and high-risk foods, the food sample's reviewer
and decimal weight, morning checks (nobody checks themselves; an unfit worker stays off
duty), school leaders, weekly meetings, settings with national floors, and extended tasks."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    Certificate,
    DeliveryItem,
    IngredientKind,
    IngredientRule,
    MenuDish,
    MorningCheck,
    Role,
    SchoolSettings,
    TrainingKind,
)
from portal.permissions import Permission
from portal.services import (
    canteen_board,
    certificates,
    food_safety,
    ingredients,
    morning_checks,
    purchasing,
    schools,
    users,
)
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY, school_moment


@pytest.fixture
def p(school, create_user):
    helper = create_user(Role.STAFF, school, display_name="钱工友", canteen_worker=True)
    return factories.school_staff(school, keeper="孙库管", helper=helper)


# --- health certificates ------------------------------------------------------------------


def _certificate(holder, issued_on, expires_on, kind_name="健康证"):
    certificate = Certificate(
        school_id=holder.school_id,
        holder=holder,
        kind=factories.certificate_kind(holder.school, kind_name),
        number="JK-1",
        issuing_authority="县疾控中心",
        issued_on=issued_on,
        expires_on=expires_on,
    )
    certificates.save_certificate(None, certificate, None)
    return certificate


def test_a_health_certificate_is_valid_at_most_a_year_and_always_says_until_when(p):
    issued = date(2026, 1, 10)
    assert _certificate(p.cook, issued, date(2027, 1, 10)).expires_on == date(2027, 1, 10)  # a year to the day
    db.session.rollback()
    refused(lambda: _certificate(p.cook, issued, date(2027, 1, 11)), "12", "2027-01-10")
    db.session.rollback()
    assert refused(lambda: _certificate(p.cook, issued, None), "到期").field == "expires_on"
    db.session.rollback()
    future = school_today() + timedelta(days=1)
    refused(lambda: _certificate(p.cook, future, future + timedelta(days=300)), "晚于今天")
    db.session.rollback()
    assert _certificate(p.cook, date(2018, 6, 1), None, kind_name="厨师证").expires_on is None  # not for food work


def test_the_validity_is_the_kinds_own_setting(p):
    kind = factories.certificate_kind(p.school)
    kind.valid_months = 6
    db.session.commit()
    refused(lambda: _certificate(p.cook, date(2026, 1, 10), date(2026, 7, 11)), "6")


# --- bulk ingredients, tickets and quarantine ----------------------------------------------


def _items(name, quantity, unit):
    return [DeliveryItem(name=name, quantity=Decimal(quantity), unit=unit)]


@pytest.mark.parametrize(
    ("name", "quantity", "unit", "bulk"),
    [
        ("大米", "49.9", "kg", False),
        ("大米", "50", "kg", True),
        ("大米", "99.8", "斤", False),
        ("大米", "100", "斤", True),
        ("大米", "2", "袋", True),  # by the bag, any quantity
        ("猪肉", "9.9", "kg", False),
        ("猪肉", "10", "kg", True),
        ("食盐", "500", "kg", False),  # not on the list
    ],
)
def test_bulk_is_the_schools_list_at_its_threshold_not_a_box_to_tick(p, name, quantity, unit, bulk):
    supplier = factories.create_supplier(p.school)
    if bulk:
        refused(lambda: factories.accept_delivery(supplier, [p.keeper], items=_items(name, quantity, unit)), "2")
        db.session.rollback()
        delivery = factories.accept_delivery(supplier, [p.keeper, p.cook], items=_items(name, quantity, unit))
    else:
        delivery = factories.accept_delivery(supplier, [p.keeper], bulk=True, items=_items(name, quantity, unit))
    assert delivery.bulk is bulk


def test_the_school_edits_its_bulk_list(p):
    rule = db.session.scalar(
        sa.select(IngredientRule).where(IngredientRule.school_id == p.school.id, IngredientRule.name == "大米")
    )
    rule.bulk_from_kg = Decimal(100)
    db.session.commit()
    supplier = factories.create_supplier(p.school)
    assert not factories.accept_delivery(supplier, [p.keeper], items=_items("大米", "60", "kg")).bulk


def _scan(name):
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage

    data = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(data, "PNG")
    data.seek(0)
    return FileStorage(data, filename=name, content_type="image/png")


def test_a_delivery_without_its_ticket_or_the_meats_quarantine_certificate_is_flagged_everywhere(p):
    from portal.services import files

    supplier = factories.create_supplier(p.school, "城关肉联厂")
    meat = _items("猪肉", "8", "kg")
    bare = factories.accept_delivery(supplier, [p.keeper], items=meat)
    assert bare.missing_ticket and bare.missing_quarantine
    assert {str(flag) for flag in purchasing.flags(bare)} == {"未索取票据", "肉类无检疫合格证明"}

    tickets = purchasing.store_tickets(p.keeper, [_scan("送货单.png")])
    tickets += purchasing.store_tickets(p.keeper, [_scan("检疫证明.png")], files.QUARANTINE)
    record = factories.delivery(supplier, [p.keeper], items=_items("猪肉", "8", "kg"))
    purchasing.save_delivery(p.keeper, record, None, tickets=tickets, now=school_moment(LEDGER_DAY, 9))
    db.session.commit()
    assert not record.missing_ticket and not record.missing_quarantine and purchasing.flags(record) == []
    vegetables = factories.delivery(supplier, [p.keeper], items=_items("青菜", "8", "kg"))
    only_ticket = purchasing.store_tickets(p.keeper, [_scan("送货单2.png")])
    purchasing.save_delivery(p.keeper, vegetables, None, tickets=only_ticket, now=school_moment(LEDGER_DAY, 9))
    db.session.commit()
    assert not vegetables.missing_quarantine  # no meat, no quarantine certificate needed

    assert canteen_board.board(p.school, LEDGER_DAY).flagged_deliveries == [bare]
    draft = food_safety.draft_text(p.school, LEDGER_DAY - timedelta(days=LEDGER_DAY.weekday()))
    assert "未索取票据的进货 1 批" in draft and "无检疫合格证明的肉类进货 1 批" in draft


# --- banned and high-risk foods -------------------------------------------------------------


def test_a_banned_dish_or_item_is_refused_with_its_reason_and_the_school_adds_its_own(p):
    refused(lambda: factories.create_dish(p.school, "凉拌四季豆"), "四季豆须烧熟煮透")
    refused(lambda: factories.create_dish(p.school, "白切鸡"), "冷荤")
    supplier = factories.create_supplier(p.school)
    refused(lambda: factories.accept_delivery(supplier, [p.keeper], items=_items("鲜黄花菜", "2", "kg")), "秋水仙碱")
    assert factories.create_dish(p.school, "干煸四季豆")  # cooked through: not on the list

    own = IngredientRule(school_id=p.school.id, kind=IngredientKind.BANNED, name="河豚", keywords="河豚、河鲀")
    refused(lambda: ingredients.save_rule(None, own, None), "原因")
    own.reason = "本校不加工河豚"
    ingredients.save_rule(None, own, None)
    db.session.commit()
    refused(lambda: factories.create_dish(p.school, "红烧河鲀"), "本校不加工河豚")
    own.active = False
    db.session.commit()
    assert factories.create_dish(p.school, "红烧河鲀")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MenuDish)) == 2


def test_another_schools_list_does_not_apply(p, other_school):
    own = IngredientRule(
        school_id=other_school.id, kind=IngredientKind.BANNED, name="河豚", keywords="河豚", reason="外校规定"
    )
    ingredients.save_rule(None, own, None)
    db.session.commit()
    assert factories.create_dish(p.school, "红烧河豚")


# --- food samples ---------------------------------------------------------------------------


def test_a_sample_weighs_a_decimal_and_is_reviewed_by_someone_else(p):
    dish = factories.create_dish(p.school, "红烧肉")
    refused(lambda: factories.create_sample(dish, p.cook, grams=124.9), "125")
    refused(lambda: factories.create_sample(dish, p.cook, grams=125.5, reviewed_by=p.cook), "以外")
    db.session.rollback()
    sample = factories.create_sample(dish, p.cook, grams=125.5)
    assert db.session.get(type(sample), sample.id).grams == 125.5
    with pytest.raises(sa.exc.IntegrityError):  # the database holds the same line
        db.session.execute(
            sa.update(type(sample))
            .where(type(sample).id == sample.id)
            .values(reviewed_by_id=p.cook.id, reviewed_at=school_moment(LEDGER_DAY, 13))
        )
    db.session.rollback()


def test_a_sample_not_reviewed_by_the_end_of_its_day_is_a_gap(client, p):
    day = factories.open_day(p.school)
    dish = factories.create_dish(p.school, "清蒸鱼", day=day)
    sample = factories.create_sample(dish, p.cook)
    during = canteen_board.board(p.school, day, now=school_moment(day, 23, 59))
    assert "review" not in during.meals[0].gaps and during.meals[0].unreviewed_samples == [sample]
    after = canteen_board.board(p.school, day, now=school_moment(day + timedelta(days=1), 0))
    assert "review" in after.meals[0].gaps

    login(client, p.cook)
    own = client.get(f"/canteen/{day}/lunch").get_data(as_text=True)
    assert "须由留样人以外的人员当天审核" in own and f"/canteen/samples/{sample.id}/review" not in own
    assert client.post(f"/canteen/samples/{sample.id}/review").status_code == 422  # not their own
    login(client, p.helper)
    assert f"/canteen/samples/{sample.id}/review" in client.get(f"/canteen/{day}/lunch").get_data(as_text=True)
    assert client.post(f"/canteen/samples/{sample.id}/review").status_code == 302
    db.session.expire_all()
    sample = db.session.get(type(sample), sample.id)
    assert sample.reviewed_by_id == p.helper.id and sample.reviewed_at is not None
    assert (
        "review" not in canteen_board.board(p.school, day, now=school_moment(day + timedelta(days=1), 0)).meals[0].gaps
    )


# --- morning checks -----------------------------------------------------------------------


def _check(p, worker, by, day=LEDGER_DAY, fit=True, on_duty=False, action=""):
    check = MorningCheck(
        school_id=p.school.id,
        day=day,
        worker=worker,
        checked_by=by,
        temperature_c=36.5,
        fit=fit,
        on_duty=on_duty,
        action_taken=action,
        symptoms="" if fit else "diarrhoea",
    )
    morning_checks.save_morning_check(by, check, None, now=school_moment(day, 7))
    db.session.commit()
    return check


def test_a_worker_does_not_check_themselves_unless_the_kitchen_has_one_person(p):
    refused(lambda: _check(p, p.cook, p.cook), "不能给自己晨检")
    db.session.rollback()
    settings = db.session.get(SchoolSettings, p.school.id)
    settings.allow_self_morning_check = True
    db.session.commit()
    assert _check(p, p.cook, p.cook).checked_by == p.cook


def test_an_unfit_worker_stays_off_duty_on_later_days_until_a_check_finds_them_fit(p):
    _check(p, p.cook, p.director, fit=False, action="回家休息")
    next_day = LEDGER_DAY + timedelta(days=1)
    [row] = [row for row in canteen_board.board(p.school, next_day).workers if row.worker == p.cook]
    assert row.unchecked and row.unfit_since == LEDGER_DAY
    _check(p, p.cook, p.director, day=next_day + timedelta(days=1))  # found fit
    monday = LEDGER_DAY + timedelta(days=5)
    [row] = [row for row in canteen_board.board(p.school, monday).workers if row.worker == p.cook]
    assert row.unfit_since is None


# --- school leaders ------------------------------------------------------------------------


def test_a_school_leader_is_named_by_the_school_admin_and_only_eats_with_the_students(p):
    vice = p.keeper
    users.update_user(p.clerk, vice, display_name=vice.display_name, roles=vice.roles, school_leader=True)
    db.session.commit()
    assert vice.can(Permission.MEAL_ACCOMPANY)
    assert not vice.can(Permission.INSPECTION_READ) and not vice.can(Permission.LEDGER_MANAGE)
    assert not vice.can(Permission.TASK_VERIFY)
    assert factories.accompany(p.school, vice).leader == vice
    assert not p.director.can(Permission.MEAL_ACCOMPANY)
    refused(lambda: users.update_user(p.clerk, p.clerk, display_name="李干事", roles=p.clerk.roles, school_leader=True))


# --- weekly meetings -----------------------------------------------------------------------


def test_a_school_week_without_a_weekly_meeting_is_flagged(client, p):
    monday = date(2026, 9, 14)
    factories.create_training(
        p.school, attendees=[p.cook], kind=TrainingKind.WEEKLY_MEETING, starts_at=school_moment(monday, 16, 30)
    )
    cadence = food_safety.cadence(p.school, monday, monday + timedelta(days=13), today=monday + timedelta(days=14))
    assert cadence.weeks == [monday, monday + timedelta(days=7)]
    assert cadence.meetings_missing == [monday + timedelta(days=7)]
    login(client, p.principal)
    page = client.get("/compliance?first=2026-09-14&last=2026-09-27").get_data(as_text=True)
    assert "每周例会" in page


# --- settings with national floors ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "looser", "floor", "rule"),
    [
        ("sample_min_grams", 124, 125, "学校食品安全与营养健康管理规定"),
        ("sample_keep_hours", 47, 48, "餐饮服务食品安全操作规范"),
        ("steam_min_celsius", 99, 100, "餐饮服务食品安全操作规范"),
        ("chlorine_min_mg_l", 249, 250, "餐饮服务食品安全操作规范"),
        ("bulk_acceptors", 1, 2, "学校食品安全与营养健康管理规定"),
        ("fever_from_celsius", Decimal("37.4"), Decimal("37.3"), "学校食品安全与营养健康管理规定"),
    ],
)
def test_a_setting_refuses_anything_looser_than_the_national_figure_and_names_the_rule(p, name, looser, floor, rule):
    from portal.services import audit

    settings = db.session.get(SchoolSettings, p.school.id)
    before = audit.snapshot(settings)
    setattr(settings, name, looser)
    refusal = refused(lambda: schools.save_settings(p.clerk, settings, before), str(floor), rule)
    assert refusal.field == name
    db.session.rollback()
    settings = db.session.get(SchoolSettings, p.school.id)
    setattr(settings, name, floor)
    schools.save_settings(p.clerk, settings, audit.snapshot(settings))
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):  # and the database, whatever writes it
        db.session.execute(
            sa.update(SchoolSettings).where(SchoolSettings.school_id == p.school.id).values({name: looser})
        )
    db.session.rollback()


# --- rectification: extended tasks ---------------------------------------------------------


def test_an_extended_task_never_counts_as_rectified_the_same_day(p):
    from portal.services import compliance, rectification

    factories.accompany(p.school, p.principal, problems="汤是凉的", responsible=p.cook)
    factories.accompany(
        p.school, p.principal, day=LEDGER_DAY + timedelta(days=1), problems="菜量不足", responsible=p.cook
    )
    first, second = sorted(db.session.scalars(sa.select(rectification.RectificationTask)), key=lambda t: t.id)
    rectification.extend(p.director, first, school_moment(LEDGER_DAY + timedelta(days=1), 12), "需要买配件")
    for task in (first, second):
        rectification.rectify(p.cook, task, "已整改", now=task.found_at + timedelta(hours=2))
    db.session.commit()
    stats = compliance.compute(p.school, LEDGER_DAY, LEDGER_DAY + timedelta(days=1)).tasks
    assert (stats.found, stats.rectified, stats.same_day, stats.extended) == (2, 2, 1, 1)
