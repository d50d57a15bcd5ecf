"""农药残留快检 (GB/T 5009.199—2003): an inhibition rate of 50 % is positive and 49.9 % is not;
a positive batch needs what was done with it, is never put away, and is never issued when it
was put away before its test; the database refuses a rate and a verdict that disagree. On the
deliveries page, as the keeper does it on a phone, with nothing typed lost."""

import itertools
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import PesticideTest, Role, ScreeningMethod
from portal.services import pesticide, storeroom
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login, refused
from tests.factories import at_most_now
from tests.tamper import refused_by_the_database

SHOPS = itertools.count(1)


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def _greens(people, day=factories.LEDGER_DAY):
    from portal.models import DeliveryItem

    greens = DeliveryItem(name="小白菜", quantity=Decimal(30), unit="kg", shelf_life_days=3, price=Decimal("4.00"))
    supplier = factories.create_supplier(people.school, name=f"城关蔬菜店{next(SHOPS)}")
    return factories.accept_delivery(supplier, [people.keeper, people.director], day=day, items=[greens])


def _test(people, delivery, rate, action=""):
    test = PesticideTest(method=ScreeningMethod.ENZYME_INHIBITION, inhibition_percent=Decimal(rate), action=action)
    return pesticide.record_test(people.keeper, delivery.items[0], test, now=at_most_now(delivery.day, 9, 30))


def test_fifty_percent_is_positive_and_forty_nine_point_nine_is_not(people):
    below = _test(people, _greens(people), "49.9")
    db.session.commit()
    assert below.positive is False and below.result_text == "49.9% 阴性"
    refused(lambda: _test(people, _greens(people), "50.0"), "GB/T 5009.199", "退回供应商")
    at_the_line = _test(people, _greens(people), "50.0", action="退回供应商，当场拒收")
    db.session.commit()
    assert at_the_line.positive is True
    refused(lambda: _test(people, _greens(people), "100.1"), "0 到 100")


def test_an_item_is_tested_once_and_a_card_is_read(people):
    delivery = _greens(people)
    _test(people, delivery, "20.0")
    db.session.commit()
    refused(lambda: _test(people, delivery, "30.0"), "已经检测")
    card = PesticideTest(method=ScreeningMethod.TEST_CARD)
    refused(lambda: pesticide.record_test(people.keeper, _greens(people).items[0], card), "阳性还是阴性")


def test_a_positive_batch_is_never_put_away_nor_issued(people):
    refused_batch = _greens(people)
    factories.test_pesticide(refused_batch, people.keeper, rate="62.0", action="退回供应商")
    assert storeroom.awaiting_put_away(people.school.id, factories.LEDGER_DAY) == []
    refused(lambda: storeroom.put_away(people.keeper, refused_batch.items[0]), "农药残留", "不入库")
    # Put away before its test: the test turns it unusable in the storeroom.
    late = _greens(people)
    [batch] = factories.put_away(late, people.keeper)
    factories.test_pesticide(late, people.keeper, rate="55.5", action="当场销毁，李主任见证")
    refused(lambda: factories.issue(people.keeper, batch.item, 1), "农药残留", "不出库")
    refused(lambda: factories.issue(people.keeper, batch.item, 1, batch=batch, reason="就剩这批"), "农药残留")


def test_the_database_refuses_a_verdict_that_disagrees_with_the_rate(people):
    test = factories.test_pesticide(_greens(people), people.keeper, rate="12.5")
    refused_by_the_database(f"UPDATE pesticide_test SET positive = true WHERE id = {test.id}")
    problem = refused_by_the_database(
        f"UPDATE pesticide_test SET inhibition_percent = 70, positive = true, action = '' WHERE id = {test.id}"
    )
    assert "positive_has_action" in problem or "locked" in problem


def test_the_keeper_tests_on_the_deliveries_page_and_nothing_typed_is_lost(client, people):
    today = school_today(people.school)
    factories.make_canteen_day(people.school, today)
    delivery = _greens(people, day=today)
    item = delivery.items[0]
    login(client, people.keeper)
    page = client.get(f"/canteen/{today.isoformat()}/deliveries").get_data(as_text=True)
    assert "农药残留快检" in page and f"pesticide{item.id}-inhibition_percent" in page
    url = f"/canteen/delivery-items/{item.id}/pesticide-test"
    form = {f"pesticide{item.id}-method": "enzyme_inhibition", f"pesticide{item.id}-inhibition_percent": "58.0"}
    answer = client.post(url, data=form)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "说明如何处理" in text and 'value="58.0"' in text
    done = client.post(url, data=form | {f"pesticide{item.id}-action": "退回供应商"})
    assert done.status_code == 302
    page = client.get(f"/canteen/{today.isoformat()}/deliveries").get_data(as_text=True)
    assert "58.0% 阳性" in page and "退回供应商" in page
    assert db.session.scalar(sa.select(PesticideTest.positive)) is True


def test_another_schools_item_is_not_found(client, people, create_user):
    other = factories.create_school(name="外校")
    outsider = create_user(Role.DIRECTOR, other)
    item = _greens(people).items[0]
    login(client, outsider)
    url = f"/canteen/delivery-items/{item.id}/pesticide-test"
    assert client.post(url, data={f"pesticide{item.id}-inhibition_percent": "10"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PesticideTest)) == 0


def test_the_compliance_page_and_the_countys_table_count_tests_and_positives(client, people, create_user):
    factories.test_pesticide(_greens(people), people.keeper, rate="10.0")
    factories.test_pesticide(_greens(people), people.keeper, rate="75.0", action="退回供应商")
    login(client, people.principal)
    page = client.get("/compliance?range=term").get_data(as_text=True)
    assert "其中阳性 1 次" in page
    login(client, create_user(Role.COUNTY_AUDITOR))
    county = client.get("/compliance?range=term").get_data(as_text=True)
    assert "农残快检（阳性）" in county and "2 (1)" in county
