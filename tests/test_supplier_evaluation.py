"""Suppliers' evaluation and exit (the 指引's 考核评价和退出机制): a semester's score out of 100 with
each criterion within its points (60 passes, 59 fails), the deliveries' own record beside it,
and an exited supplier's delivery refused from its exit day (the day before still accepted)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from portal.extensions import db
from portal.models import DeliveryItem, Role
from portal.services import supplier_review
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def test_sixty_passes_fifty_nine_fails_and_a_score_stays_within_its_points(people):
    shop = factories.create_supplier(people.school)
    assert factories.evaluate_supplier(shop, people.director, (12, 18, 12, 9, 9)).passed  # 60
    assert not factories.evaluate_supplier(shop, people.director, (12, 18, 12, 9, 8)).passed  # 59
    refused(lambda: factories.evaluate_supplier(shop, people.director, (21, 18, 12, 9, 9)), "20")


def test_the_deliveries_record_stands_beside_the_score(people):
    shop = factories.create_supplier(people.school, name="城关蔬菜店")
    greens = [DeliveryItem(name="小白菜", quantity=Decimal(10), unit="kg", shelf_life_days=2)]
    delivery = factories.accept_delivery(shop, [people.keeper], items=greens)  # no ticket attached
    factories.test_pesticide(delivery, people.keeper, rate="70.0", action="退回")
    record = supplier_review.delivery_record(shop, LEDGER_DAY, LEDGER_DAY)
    assert (record.deliveries, record.missing_ticket, record.pesticide_positive) == (1, 1, 1)
    assert "农残快检阳性 1 次" in record.text()


def test_an_exited_supplier_delivers_no_more(people):
    shop = factories.create_supplier(people.school, name="城关粮油店")
    supplier_review.exit_supplier(people.director, shop, LEDGER_DAY, "本学期评价 52 分，不合格")
    db.session.commit()
    before = LEDGER_DAY - timedelta(days=1)
    assert factories.accept_delivery(shop, [people.keeper], day=before).id
    refused(lambda: factories.accept_delivery(shop, [people.keeper]), "不再供货", "52 分")
    refused(lambda: supplier_review.exit_supplier(people.director, shop, LEDGER_DAY, " "), "原因")


def test_the_director_evaluates_on_the_suppliers_page(client, people, create_user):
    shop = factories.create_supplier(people.school, name="城关肉联厂")
    login(client, people.director)
    page = client.get(f"/canteen/suppliers/{shop.id}").get_data(as_text=True)
    assert "0 次送货" in page
    form = {"licences": "20", "quality": "31", "tickets": "20", "punctuality": "15", "service": "15"}
    refused_page = client.post(f"/canteen/suppliers/{shop.id}/evaluations", data=form)
    assert refused_page.status_code == 422 and 'value="31"' in refused_page.get_data(as_text=True)
    assert client.post(f"/canteen/suppliers/{shop.id}/evaluations", data=form | {"quality": "28"}).status_code == 302
    assert "98 分" in client.get("/canteen/suppliers").get_data(as_text=True)
    failing = factories.create_supplier(people.school, name="城关蔬菜店")
    factories.evaluate_supplier(failing, people.director, (12, 18, 12, 9, 8))
    assert "59 分" in client.get("/canteen/suppliers").get_data(as_text=True).split("城关蔬菜店")[1][:200]
    assert "不合格" in client.get("/canteen/suppliers").get_data(as_text=True)
    login(client, people.cook)
    assert client.post(f"/canteen/suppliers/{shop.id}/evaluations", data=form).status_code == 403
    login(client, create_user(Role.COUNTY_AUDITOR))
    assert "98 分" in client.get(f"/canteen/suppliers/{shop.id}?school={people.school.id}").get_data(as_text=True)
