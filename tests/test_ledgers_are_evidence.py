"""Ledgers are evidence: every ledger declared once (portal/ledgers.py) is covered by a
tenancy probe, a lock guard in the database and an evidence table; a record locks when its
day is over and is then corrected only by amendment, on every path (admin, page, service,
ORM, raw SQL); a record is never deleted within its retention period; a record entered by
mistake is withdrawn, not deleted. The tests are generated from the registry: a new ledger
without a probe, a lock guard, an evidence table or a locked-record maker here fails them."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import sqlalchemy as sa

from portal.admin import all_views
from portal.errors import DomainError
from portal.evidence.sections import BY_KEY as EVIDENCE_SECTIONS
from portal.evidence.tables import TABLES
from portal.extensions import db
from portal.models import LedgerAmendment, LedgerRecord, LockedRecordError, Meal, Role
from portal.models.registry import DAY, SIGNATURE, kinds
from portal.models.registry import KINDS as BY_KEY
from portal.navigation import NAVIGATION
from portal.services import canteen_board, ledgers, records
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY, school_moment
from tests.tamper import refused_by_the_database
from tests.test_admin_tenancy import PROBES
from tests.test_evidence import make_export, pdf_text


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def _dish(p, day=LEDGER_DAY, name="红烧肉"):
    return factories.create_dish(p.school, name, day=day)


def _tableware(p, day=LEDGER_DAY):
    from portal.models import DisinfectionMethod, TablewareDisinfection
    from portal.services import canteen

    record = TablewareDisinfection(
        school_id=p.school.id,
        day=day,
        meal=Meal.LUNCH,
        method=DisinfectionMethod.STEAM,
        temperature_c=100,
        duration_seconds=600,
    )
    canteen.save_disinfection(p.cook, record, None, now=factories.at_most_now(day, 13))
    db.session.commit()
    return record


def _morning(p, day=LEDGER_DAY):
    from portal.models import MorningCheck
    from portal.services import morning_checks

    check = MorningCheck(
        school_id=p.school.id, day=day, worker=p.cook, temperature_c=36.5, fit=True, on_duty=False, symptoms=""
    )
    morning_checks.save_morning_check(p.director, check, None, now=factories.at_most_now(day, 7))
    db.session.commit()
    return check


def _parent(p, day=LEDGER_DAY):
    from portal.models import ParentMeal
    from portal.services import accompanied_meals

    record = ParentMeal(school_id=p.school.id, day=day, meal=Meal.LUNCH, parent_name="张家长", class_name="一(1)班")
    accompanied_meals.save_parent_meal(p.clerk, record, None, now=factories.at_most_now(day, 13))
    db.session.commit()
    return record


def _room(p, name="主食库"):
    return factories.create_room(p.school, name, created_on=LEDGER_DAY - timedelta(days=30))


def _disposal(p):
    from decimal import Decimal

    from portal.services import storeroom

    batch = factories.stock(p.school, p.keeper, shelf_life_days=1)
    record = storeroom.dispose(p.keeper, batch, Decimal(20), "销毁", p.director, now=school_moment(LEDGER_DAY, 18))
    db.session.commit()
    return record


# One locked record of every ledger that locks when its day is over: a ledger without a maker
# here fails test_every_ledger_is_covered.
def _committee_activity(p):
    return factories.committee_activity(p.school, p.director, [factories.committee_member(p.school)])


def _evaluation(p):
    from portal.services import supplier_review

    scores = {"licences": 18, "quality": 25, "tickets": 18, "punctuality": 12, "service": 12}
    shop = factories.create_supplier(p.school)
    evaluation = supplier_review.evaluate(p.director, shop, scores, now=factories.school_moment(LEDGER_DAY, 15))
    db.session.commit()
    return evaluation


def _coaching(p):
    from portal.services import dormitory

    day = factories.LEDGER_DAY
    coaching = dormitory.record_coaching(
        p.director, factories.dorm_room(p.school), day, "示范叠被子", now=factories.school_moment(day, 21)
    )
    db.session.commit()
    return coaching


LOCKED = {
    "menu_dishes": lambda p: _dish(p),
    "food_samples": lambda p: factories.create_sample(_dish(p), p.cook, grams=130, reviewed_by=p.director),
    "core_temperatures": lambda p: factories.measure_core(_dish(p), p.cook),
    "additive_uses": lambda p: factories.use_additive(factories.create_additive(p.school, p.cook), _dish(p)),
    "tableware_disinfections": _tableware,
    "morning_checks": _morning,
    "accompanied_meals": lambda p: factories.accompany(p.school, p.principal),
    "parent_meals": _parent,
    "room_disinfections": lambda p: factories.disinfect_room(_room(p), p.keeper),
    "prevention_checks": lambda p: factories.check_room(_room(p), p.keeper),
    "deliveries": lambda p: factories.accept_delivery(factories.create_supplier(p.school), [p.keeper]),
    "pesticide_tests": lambda p: factories.test_pesticide(
        factories.accept_delivery(factories.create_supplier(p.school), [p.keeper]), p.keeper
    ),
    "stock_batches": lambda p: factories.stock(p.school, p.keeper),
    "stock_issues": lambda p: factories.issue(p.keeper, factories.stock(p.school, p.keeper).item, 5)[0],
    "stock_disposals": _disposal,
    "enrolment_changes": lambda p: _suspension(p),
    "daily_reports": lambda p: factories.report_day(p.school, p.clerk),
    "subsidy_charges": lambda p: factories.charge_subsidy(p.school, p.clerk),
    "leftover_weighings": lambda p: factories.weigh_leftovers(p.school, p.cook),
    "committee_activities": lambda p: factories.committee_activity(
        p.school, p.director, [factories.committee_member(p.school)]
    ),
    "survey_actions": lambda p: factories.survey_action(p.school, p.clerk),
    "emergency_drills": lambda p: factories.drill(p.school, p.principal),
    "supplier_evaluations": lambda p: _evaluation(p),
    "dorm_checks": lambda p: factories.check_dorm(p.director, factories.dorm_room(p.school)),
    "dorm_coachings": lambda p: _coaching(p),
    "temperature_readings": lambda p: factories.read_temperature(factories.create_cold_unit(p.school), p.keeper, "4.0"),
}
LEDGERS = kinds()
DAY_LEDGERS = [ledger for ledger in LEDGERS if ledger.locks == DAY]
ADMIN_VIEWS = {endpoint: view for view, _model, endpoint, _name in all_views()}


def test_every_ledger_is_covered(app):
    """One registration per concern: each kind of record has its admin view and evidence
    table registered under its key, a navigation item from the registry, a tenancy probe, a
    maker of a locked record here and database triggers (the next tests)."""
    endpoints = {item.endpoint for group in NAVIGATION for item in group.items}
    for ledger in LEDGERS:
        assert ledger.key in PROBES, f"{ledger.key}: no tenancy probe in tests/test_admin_tenancy.py"
        assert f"{ledger.key}.index_view" in app.view_functions, f"{ledger.key}: no admin view"
        assert f"{ledger.key}.index_view" in endpoints, f"{ledger.key}: not in the navigation"
        assert ledger.key in TABLES, f"{ledger.key}: no evidence table"
        assert TABLES[ledger.key].section in EVIDENCE_SECTIONS, f"{ledger.key}: no evidence section"
        if ledger.locks == DAY:
            assert issubclass(ledger.model, LedgerRecord), f"{ledger.key}: locks by day but is no LedgerRecord"
            assert ledger.key in LOCKED, f"{ledger.key}: no locked-record maker in this file"
        else:
            assert ledger.locks == SIGNATURE and hasattr(ledger.model, "signed_at")


def _suspension(p):
    """A change after the first roster (the first roster's entries are the roster, not changes)."""
    from portal.models import ChangeKind
    from portal.services import enrolment

    student = factories.enrol(p.school, p.clerk).student
    change = enrolment.record_change(
        p.clerk, student, ChangeKind.SUSPENDED, LEDGER_DAY, "休学申请表", now=factories.school_moment(LEDGER_DAY, 10)
    )
    db.session.commit()
    return change


def _triggers(table):
    if db.engine.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:t AS regclass) AND NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"
    return set(db.session.scalars(sa.text(query), {"t": table}))


@pytest.mark.parametrize("key", sorted(BY_KEY))
def test_every_ledger_has_its_lock_guard_in_the_database(key):
    table = BY_KEY[key].model.__tablename__
    found = _triggers(table)
    if db.engine.dialect.name == "postgresql":
        expected = {f"{table}_locked" if BY_KEY[key].locks == DAY else f"{table}_signed", f"{table}_no_truncate"}
    elif BY_KEY[key].locks == DAY:
        expected = {f"{table}_locked_update", f"{table}_kept_delete", f"{table}_locked_replace"}
    else:
        expected = {f"{table}_signed_update", f"{table}_signed_delete", f"{table}_signed_replace"}
    assert expected <= found, f"{table}: missing {expected - found}"


@pytest.mark.parametrize("key", sorted(LOCKED))
def test_every_ledger_has_an_evidence_table_with_its_records(people, key):
    record = LOCKED[key](people)
    ledger = BY_KEY[key]
    export = make_export(people, sections=[TABLES[key].section], export_format="xlsx")
    from portal.evidence import storage

    workbook = openpyxl.load_workbook(storage.path_of(export.storage_key))
    assert str(ledger.name) in workbook.sheetnames
    assert workbook[str(ledger.name)].max_row >= 2
    pdf = make_export(people, sections=[TABLES[key].section])
    from portal.evidence import bundle

    manifest = bundle.read_manifest(storage.path_of(pdf.storage_key))
    assert record.id in manifest["records"][key]


# --- locked on every path -------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(LOCKED))
def test_a_locked_record_refuses_the_service_and_the_orm(people, key):
    record = LOCKED[key](people)
    record_id, model = record.id, type(record)
    assert record.is_locked()
    refused(lambda: records.save_record(people.clerk, record, {}), "锁定")
    db.session.rollback()
    record = db.session.get(model, record_id)
    record.withdrawal_reason = "改一改"
    with pytest.raises(LockedRecordError):
        db.session.flush()
    db.session.rollback()
    record = db.session.get(model, record_id)
    refused(lambda: records.delete_record(people.clerk, record), "保存至")
    db.session.rollback()
    db.session.delete(db.session.get(model, record_id))
    with pytest.raises(LockedRecordError):
        db.session.flush()
    db.session.rollback()
    refused(lambda: ledgers.withdraw(people.clerk, db.session.get(model, record_id), "录错了"), "锁定")


@pytest.mark.parametrize("key", sorted(LOCKED))
def test_raw_sql_cannot_change_or_delete_a_locked_record(people, key):
    record = LOCKED[key](people)
    table, record_id = type(record).__tablename__, record.id
    db.session.commit()
    statements = [
        f"UPDATE {table} SET withdrawal_reason = 'x' WHERE id = {record_id}",
        f"UPDATE {table} SET locks_at = locks_at WHERE id = {record_id}"
        if db.engine.dialect.name == "sqlite"
        else None,
        f"DELETE FROM {table} WHERE id = {record_id}",
    ]
    if db.engine.dialect.name == "sqlite":
        columns = ", ".join(c.name for c in type(record).__table__.columns)
        statements.append(
            f"INSERT OR REPLACE INTO {table} ({columns}) SELECT {columns} FROM {table} WHERE id = {record_id}"
        )
    else:
        statements.append(f"TRUNCATE {table} CASCADE")
    db.session.rollback()
    for statement in filter(None, statements):
        refused_by_the_database(statement)
    assert db.session.get(type(record), record_id).withdrawal_reason == ""


def test_a_locked_deliverys_items_cannot_change_in_the_database(people):
    delivery = LOCKED["deliveries"](people)
    item_id, delivery_id = delivery.items[0].id, delivery.id
    db.session.rollback()
    for statement in (
        f"UPDATE delivery_item SET quantity = 999 WHERE id = {item_id}",
        f"DELETE FROM delivery_item WHERE id = {item_id}",
        f"DELETE FROM delivery_acceptor WHERE delivery_id = {delivery_id}",
    ):
        refused_by_the_database(statement)
    delivery = db.session.get(type(delivery), delivery_id)
    delivery.items[0].quantity = 999
    with pytest.raises(LockedRecordError):
        db.session.flush()
    db.session.rollback()


def test_an_open_record_changes_and_a_sample_is_discarded_after_its_day(people):
    """Before the lock a record is an ordinary record; after it, a food sample can still be
    discarded once (its 48 hours end after its day), and nothing else."""
    from portal.services import canteen

    day = factories.open_day(people.school)
    dish = _dish(people, day=day, name="清蒸鱼")
    dish.name = "红烧鱼"
    db.session.commit()
    assert not dish.is_locked() and dish.locks_at == school_moment(day + timedelta(days=1), 22)
    sample = LOCKED["food_samples"](people)
    canteen.discard_sample(people.cook, sample, sample.retained_at + timedelta(hours=48))
    db.session.commit()
    sample.discarded_at = sample.discarded_at + timedelta(hours=1)
    with pytest.raises(LockedRecordError):
        db.session.flush()
    db.session.rollback()


def test_a_new_record_for_a_locked_day_is_refused_on_the_page_and_by_the_service(client, people):
    with pytest.raises(DomainError) as refusal:
        from portal.models import MenuDish
        from portal.services import canteen

        canteen.save_dish(
            people.director, MenuDish(school_id=people.school.id, day=LEDGER_DAY, meal=Meal.LUNCH, name="补录"), None
        )
    assert "锁定" in refusal.value.message
    db.session.rollback()
    login(client, people.director)
    page = client.get(f"/canteen/{LEDGER_DAY.isoformat()}/lunch").get_data(as_text=True)
    assert "已于" in page and "锁定" in page and 'name="name"' not in page  # no form on a locked day
    response = client.post(f"/canteen/{LEDGER_DAY.isoformat()}/lunch/dishes", data={"name": "补录的菜"})
    assert response.status_code == 422 and "锁定" in response.get_data(as_text=True)


# --- the admin: locked means an amendment, retention means no delete ------------------------


@pytest.mark.parametrize("key", sorted(LOCKED))
def test_the_admin_does_not_delete_a_kept_record_and_says_until_when(client, people, key):
    record = LOCKED[key](people)
    record_id, model = record.id, type(record)
    login(client, people.clerk)
    page = client.post(f"/admin/{key}/delete/", data={"id": record_id}, follow_redirects=True)
    if ADMIN_VIEWS[key].write_permission is None:  # a read-only list (the roster's changes)
        assert page.status_code == 403
    else:
        assert "保存至" in page.get_data(as_text=True)
    client.post(f"/admin/{key}/action/", data={"action": "delete", "rowid": [record_id]})
    db.session.expire_all()
    assert db.session.get(model, record_id) is not None


def test_editing_a_locked_record_in_the_admin_is_an_amendment_beside_the_original(client, people):
    sample = LOCKED["food_samples"](people)
    login(client, people.clerk)
    url = f"/admin/food_samples/edit/?id={sample.id}"
    form = client.get(url).get_data(as_text=True)
    assert "更正" in form and "amendment_reason" in form
    data = {
        "dish": sample.dish_id,
        "grams": "135.5",
        "container_label": sample.container_label,
        "retained_at": sample.retained_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M"),
        "retained_by": sample.retained_by_id,
        "reviewed_by": sample.reviewed_by_id,
    }
    no_reason = client.post(url, data=data)
    text = no_reason.get_data(as_text=True)
    assert "更正须写明原因" in text and 'value="135.5"' in text  # what was typed is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerAmendment)) == 0
    done = client.post(url, data=data | {"amendment_reason": "称重时未去皮，复称为135.5克"})
    assert done.status_code == 302
    db.session.expire_all()
    [amendment] = db.session.scalars(sa.select(LedgerAmendment)).all()
    [(before, after)] = [amendment.changes.pop("grams")]
    assert float(before) == 130 and after == "135.5" and amendment.changes == {}
    assert amendment.author_id == people.clerk.id
    assert db.session.get(type(sample), sample.id).grams == 130  # the original stays
    listing = client.get("/admin/food_samples/").get_data(as_text=True)
    assert "135.5" in listing and "原为：130" in listing
    with pytest.raises(LockedRecordError):  # an amendment is part of the record
        amendment.reason = "改理由"
        db.session.flush()
    db.session.rollback()


def test_amendments_and_withdrawals_are_in_the_evidence(client, people):
    from portal.evidence import storage

    sample = LOCKED["food_samples"](people)
    before = {"grams": "130.0"}
    ledgers.amend(people.clerk, sample, before, {"grams": "135.5"}, "称重时未去皮")
    day = factories.open_day(people.school)
    mistake = _dish(people, day=day, name="录错的菜")
    ledgers.withdraw(people.clerk, mistake, "菜名录错，应为青菜")
    db.session.commit()
    # Two exports: the days lie more than an export's 400 days apart once the suite runs late enough.
    amended = make_export(people, sections=["canteen"], first=LEDGER_DAY, last=LEDGER_DAY)
    text = pdf_text(storage.path_of(amended.storage_key)).replace("\n", "")
    assert "135.5（原" in text and "为：130）" in text  # the narrow cell wraps it
    assert "称重时未去皮" in text
    withdrawn = make_export(people, sections=["canteen"], first=day, last=day)
    text = pdf_text(storage.path_of(withdrawn.storage_key)).replace("\n", "")
    assert "已作废" in text and "菜名录错" in text
    workbook = openpyxl.load_workbook(
        storage.path_of(make_export(people, ["canteen"], "xlsx", first=LEDGER_DAY, last=LEDGER_DAY).storage_key)
    )
    amendments = workbook["更正附记"]
    assert amendments.max_row == 2 and "称重时未去皮" in [cell.value for cell in amendments[2]]


# --- withdrawing a record entered by mistake -------------------------------------------------


def test_a_record_entered_by_mistake_is_withdrawn_with_a_reason_and_leaves_its_place(client, people):
    day = factories.open_day(people.school)
    dish = _dish(people, day=day, name="录错的菜")
    login(client, people.clerk)
    url = f"/ledgers/menu_dishes/{dish.id}/withdraw"
    page = client.get(url).get_data(as_text=True)
    assert "录错的菜" in page and "作废" in page
    assert client.post(url, data={"reason": " "}).status_code == 422
    assert client.post(url, data={"reason": "菜名录错"}).status_code == 302
    db.session.expire_all()
    dish = db.session.get(type(dish), dish.id)
    assert dish.is_withdrawn and dish.withdrawal_reason == "菜名录错" and dish.withdrawn_by_id == people.clerk.id
    assert client.post(url, data={"reason": "再来一次"}).status_code == 422  # already withdrawn
    assert "菜名录错" in client.get("/admin/menu_dishes/").get_data(as_text=True)
    board = canteen_board.board(people.school, day)
    assert dish not in board.meals[0].dishes  # it counts for nothing
    assert _dish(people, day=day, name="录错的菜")  # and its place is free for the right one


def test_withdrawing_is_for_the_ledger_managers_of_the_school_and_not_for_a_locked_record(
    client, people, other_school, create_user
):
    locked = LOCKED["menu_dishes"](people)
    login(client, people.clerk)
    assert client.post(f"/ledgers/menu_dishes/{locked.id}/withdraw", data={"reason": "x"}).status_code == 422
    assert client.get("/ledgers/no_such_ledger/1/withdraw").status_code == 404
    assert client.get("/ledgers/risk_reports/1/withdraw").status_code == 404  # signed records are not withdrawn
    login(client, people.cook)
    assert client.get(f"/ledgers/menu_dishes/{locked.id}/withdraw").status_code == 403
    login(client, create_user(Role.SCHOOL_ADMIN, other_school))
    assert client.get(f"/ledgers/menu_dishes/{locked.id}/withdraw").status_code == 404


def test_lock_moment_follows_the_schools_cut_off_and_setting(people):
    settings = people.school.settings
    assert ledgers.lock_moment(people.school, LEDGER_DAY) == school_moment(LEDGER_DAY + timedelta(days=1), 22)
    settings.ledger_lock_days = 0
    assert ledgers.lock_moment(people.school, LEDGER_DAY) == school_moment(LEDGER_DAY, 22)
    settings.ledger_lock_days, settings.rectification_cutoff = 2, settings.rectification_cutoff.replace(hour=20)
    assert ledgers.lock_moment(people.school, LEDGER_DAY) == school_moment(LEDGER_DAY + timedelta(days=2), 20)
    db.session.rollback()


def test_an_old_record_past_its_retention_is_deleted(people):
    from portal.models import MenuDish

    factories.add_term(people.school, date(2023, 9, 1), date(2024, 1, 20), name="2023年秋季学期")
    old = factories.create_dish(people.school, "三年前的菜", day=date(2023, 9, 6))
    assert old.keep_until == date(2025, 9, 6)
    records.delete_record(people.clerk, old)
    db.session.commit()
    assert db.session.get(MenuDish, old.id) is None
