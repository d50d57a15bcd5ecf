"""A locked day's page links each record to its amendment form for those who may amend (the
clerk, the director), and tells everyone else who corrects it; no one is sent "to the admin"
to find the record by themselves."""

import re

import pytest

from portal.models import Role
from tests import factories
from tests.conftest import login


@pytest.fixture
def locked_day(school):
    """Lunch of a past, locked day with a food sample and a delivery."""
    people = factories.school_staff(school)
    dish = factories.create_dish(school)
    people.sample = factories.create_sample(dish, people.keeper)
    supplier = factories.create_supplier(school)
    people.delivery = factories.accept_delivery(supplier, [people.keeper, people.director])
    return people


def _amend_links(page):
    return re.findall(r'<a class="amend-link" href="([^"]+)"', page)


@pytest.mark.parametrize("who", ["clerk", "director"])
def test_a_ledger_manager_follows_a_link_from_the_record_to_its_amendment_form(locked_day, client, who):
    login(client, getattr(locked_day, who))
    day = factories.LEDGER_DAY.isoformat()
    meal_page = client.get(f"/canteen/{day}/lunch").get_data(as_text=True)
    assert "请在后台" not in meal_page and "点击记录旁的“更正”" in meal_page
    [sample_link] = _amend_links(meal_page)
    assert sample_link.startswith(f"/admin/food_samples/edit/?id={locked_day.sample.id}&amp;url=")
    form = client.get(sample_link.replace("&amp;", "&"))
    assert form.status_code == 200 and "更正原因" in form.get_data(as_text=True)
    [delivery_link] = _amend_links(client.get(f"/canteen/{day}/deliveries").get_data(as_text=True))
    assert delivery_link.startswith(f"/admin/deliveries/edit/?id={locked_day.delivery.id}")


@pytest.mark.parametrize("role", [Role.STAFF, Role.PRINCIPAL])
def test_who_may_not_amend_sees_no_link_and_is_told_who_corrects(locked_day, client, create_user, role):
    login(client, create_user(role, locked_day.school))
    page = client.get(f"/canteen/{factories.LEDGER_DAY.isoformat()}/lunch").get_data(as_text=True)
    assert "锁定" in page and "由总务处更正" in page
    assert _amend_links(page) == []


def test_an_open_day_has_no_amendment_links(school, client):
    people = factories.school_staff(school)
    day = factories.open_day(school)
    factories.create_sample(factories.create_dish(school, day=day), people.keeper)
    login(client, people.clerk)
    assert _amend_links(client.get(f"/canteen/{day.isoformat()}/lunch").get_data(as_text=True)) == []
