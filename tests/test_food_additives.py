"""食品添加剂 "五专": an additive is bought from its fixed shop only, used and recorded only by its
responsible person, for a dish of the menu, within GB 2760's limit where it has one (at the
limit yes, 0.1 g over no); the day's page as the cook uses it on a phone, nothing typed lost."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import AdditiveUse, DeliveryItem
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login, refused


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def test_only_the_responsible_person_uses_it(people):
    additive = factories.create_additive(people.school, people.cook)
    dish = factories.create_dish(people.school, "馒头")
    refused(lambda: factories.use_additive(additive, dish, by=people.keeper), "赵工友", "五专")
    use = factories.use_additive(additive, dish, grams="12.5")
    assert use.used_by == people.cook and use.grams == 12.5


def test_the_limit_of_gb_2760_at_the_line_and_a_tenth_of_a_gram_over(people):
    # 0.5 g per kg, 10 kg of dough: 5.0 g is the most.
    additive = factories.create_additive(people.school, people.cook, name="栀子黄", limit="0.5")
    dish = factories.create_dish(people.school, "玉米发糕")
    refused(lambda: factories.use_additive(additive, dish, grams="3.0"), "多少千克")
    refused(lambda: factories.use_additive(additive, dish, grams="5.1", food_kg="10"), "GB 2760", "最多 5.0 克")
    assert factories.use_additive(additive, dish, grams="5.0", food_kg="10").grams == 5


def test_an_additive_comes_from_its_fixed_shop_only(people):
    shop = factories.create_supplier(people.school, name="城关调料店")
    factories.create_additive(people.school, people.cook, name="泡打粉", shop=shop)
    other = factories.create_supplier(people.school, name="城关粮油店")
    baking = [DeliveryItem(name="泡打粉", quantity=1, unit="袋")]
    refused(lambda: factories.accept_delivery(other, [people.keeper], items=baking), "城关调料店", "五专")
    baking = [DeliveryItem(name="泡打粉", quantity=1, unit="袋")]
    assert factories.accept_delivery(shop, [people.keeper], items=baking).id


def test_the_list_needs_every_one_of_the_five(people):
    from portal.models import Additive
    from portal.services import additives

    shop = factories.create_supplier(people.school, name="城关调料店")
    for missing, words in (("cabinet", "专柜"), ("tools", "工具"), ("keeper", "在职")):
        fields = dict(name="食用碱", supplier=shop, cabinet="专柜", tools="量勺", keeper=people.cook)
        fields[missing] = None if missing == "keeper" else ""
        additive = Additive(school_id=people.school.id, **fields)
        refused(lambda a=additive: additives.save_additive(people.clerk, a, None), words)


def test_the_cook_records_a_use_on_the_days_page(client, people):
    today = school_today(people.school)
    factories.make_canteen_day(people.school, today)
    additive = factories.create_additive(people.school, people.cook)
    dish = factories.create_dish(people.school, "馒头", day=today)
    login(client, people.keeper)  # not responsible: no form, told why
    page = client.get(f"/canteen/{today.isoformat()}/additives").get_data(as_text=True)
    assert "只能由负责人使用和登记" in page and 'name="grams"' not in page
    login(client, people.cook)
    page = client.get(f"/canteen/{today.isoformat()}/additives").get_data(as_text=True)
    assert f'<option selected value="{additive.id}">' in page  # the one in the cook's care
    form = {"additive": additive.id, "dish": dish.id, "grams": "20000"}
    refused_page = client.post(f"/canteen/{today.isoformat()}/additives", data=form)
    assert refused_page.status_code == 422 and 'value="20000' in refused_page.get_data(as_text=True)
    done = client.post(f"/canteen/{today.isoformat()}/additives", data=form | {"grams": "15"})
    assert done.status_code == 302
    assert db.session.scalar(sa.select(AdditiveUse.grams)) == 15
    assert "泡打粉 15 g" in client.get(done.headers["Location"]).get_data(as_text=True)
