"""Cooking core temperatures (烹饪中心温度): 70 ℃ at a dish's centre, or cooked again and measured
again, both readings kept; on the meal page with nothing typed lost; refused by the database
below the line."""

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import CoreTemperature, Role
from portal.services import cooking
from portal.services.cooking import BelowTheLine
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY, at_most_now
from tests.tamper import refused_by_the_database


@pytest.fixture
def kitchen(school):
    people = factories.school_staff(school)
    people.dish = factories.create_dish(school, "红烧肉")
    return people


def measure(kitchen, celsius, first=None, dish=None):
    return cooking.record_core_temperature(
        kitchen.cook,
        dish or kitchen.dish,
        Decimal(celsius),
        first and Decimal(first),
        now=at_most_now(LEDGER_DAY, 12),
    )


def test_70_is_cooked_through_and_69_9_goes_back_on_the_heat(kitchen):
    refusal = refused(lambda: measure(kitchen, "69.9"), "69.9", "70", "再")
    assert isinstance(refusal, BelowTheLine) and refusal.field == "celsius"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CoreTemperature)) == 0
    record = measure(kitchen, "70.0")
    assert record.celsius == Decimal("70.0") and not record.cooked_again and record.measured_by == kitchen.cook


def test_cooked_again_the_record_keeps_both_readings(kitchen):
    record = measure(kitchen, "78.5", first="62.0")
    assert record.cooked_again and record.first_celsius == Decimal("62.0")
    refused(lambda: measure(kitchen, "78.5", first="70.0"), "70")  # the first was already hot enough
    refused(lambda: measure(kitchen, "250"), "150")  # a typing error, not a dish


def test_only_a_served_dish_of_the_day_and_a_member_of_the_school(kitchen, other_school, create_user):
    outsider = create_user(Role.STAFF, other_school)
    refused(
        lambda: cooking.record_core_temperature(outsider, kitchen.dish, Decimal(75), now=at_most_now(LEDGER_DAY, 12))
    )
    refused(
        lambda: cooking.record_core_temperature(
            kitchen.cook, kitchen.dish, Decimal(75), now=factories.school_moment(LEDGER_DAY.replace(day=17), 12)
        ),
        "当天",
    )


def test_the_database_refuses_a_reading_below_the_line(kitchen):
    record = measure(kitchen, "75.0")
    db.session.commit()
    assert "cooked_through" in refused_by_the_database(
        "INSERT INTO core_temperature (school_id, dish_id, celsius, measured_at, measured_by_id, locks_at, "
        f"keep_until, withdrawal_reason) SELECT school_id, dish_id, 65.0, measured_at, measured_by_id, locks_at, "
        f"keep_until, '' FROM core_temperature WHERE id = {record.id}"
    )


def test_the_meal_page_keeps_a_low_reading_as_the_first_and_records_the_second(client, kitchen):
    day = factories.open_day(kitchen.school)
    dish = factories.create_dish(kitchen.school, "红烧鸡块", day=day)
    login(client, kitchen.cook)
    url = f"/canteen/dishes/{dish.id}/core-temperature"
    low = client.post(url, data={f"core{dish.id}-celsius": "65.5"})
    page = low.get_data(as_text=True)
    assert low.status_code == 422 and "回锅" in page
    first = re.search(rf'<input[^>]*id="core{dish.id}-first_celsius"[^>]*>', page).group(0)
    again = re.search(rf'<input[^>]*id="core{dish.id}-celsius"[^>]*>', page).group(0)
    assert 'value="65.5"' in first and 'value=""' in again  # the reading moved, ready for the next one
    done = client.post(url, data={f"core{dish.id}-celsius": "82", f"core{dish.id}-first_celsius": "65.5"})
    assert done.status_code == 302
    meal = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "82.0 ℃" in meal or "82 ℃" in meal
    [record] = db.session.scalars(sa.select(CoreTemperature)).all()
    assert (record.celsius, record.first_celsius) == (Decimal("82.0"), Decimal("65.5"))


def test_another_schools_dish_is_404(client, kitchen, other_school):
    factories.add_term(other_school)
    theirs = factories.create_dish(other_school, "外校的菜")
    login(client, kitchen.cook)
    assert (
        client.post(
            f"/canteen/dishes/{theirs.id}/core-temperature", data={f"core{theirs.id}-celsius": "80"}
        ).status_code
        == 404
    )
