"""The clean-plate campaign: leftovers never without diners, once a meal for the school and
once per class, the dish left most from that meal's menu; kilograms per 100 diners against
the target at its boundary; the week's class ranking, the dishes left most, the board and
the page."""

import base64
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import LeftoverWeighing, Meal, Role
from portal.services import canteen_board, clean_plate
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY, school_moment

D = Decimal


@pytest.fixture
def canteen(school):
    people = factories.school_staff(school)
    people.seven_1 = factories.add_class(school, "七(1)班")
    people.seven_2 = factories.add_class(school, "七(2)班")
    people.cucumber = factories.create_dish(school, "凉拌黄瓜")
    people.pork = factories.create_dish(school, "红烧肉")
    return people


def _weigh(canteen, **options):
    return factories.weigh_leftovers(canteen.school, canteen.cook, **options)


def test_leftovers_without_diners_or_below_zero_are_refused(canteen):
    for diners in (None, 0):
        weighing = LeftoverWeighing(day=LEDGER_DAY, meal=Meal.LUNCH, kg=D("2.5"), diners=diners)
        refused(lambda weighing=weighing: clean_plate.record_weighing(canteen.cook, weighing), "就餐人数")
    weighing = LeftoverWeighing(day=LEDGER_DAY, meal=Meal.LUNCH, kg=D("-0.01"), diners=100)
    refused(lambda: clean_plate.record_weighing(canteen.cook, weighing), "公斤")
    weighing = LeftoverWeighing(day=LEDGER_DAY, meal=Meal.DINNER, kg=D("1"), diners=100)
    refused(lambda: clean_plate.record_weighing(canteen.cook, weighing), "不供应")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LeftoverWeighing)) == 0


def test_a_meal_is_weighed_once_for_the_school_and_once_per_class(canteen):
    _weigh(canteen)
    refused(lambda: _weigh(canteen), "称过重")
    _weigh(canteen, school_class=canteen.seven_1, kg="0.40", diners=45)
    refused(lambda: _weigh(canteen, school_class=canteen.seven_1), "称过重")
    _weigh(canteen, school_class=canteen.seven_2, kg="0.50", diners=50)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LeftoverWeighing)) == 3


def test_the_dish_left_most_comes_from_that_meals_menu(canteen, other_school):
    canteen.school.settings.serves_breakfast = True
    db.session.commit()
    breakfast = factories.create_dish(canteen.school, "馒头", meal=Meal.BREAKFAST)
    refused(lambda: _weigh(canteen, dish=breakfast), "菜单")
    yesterday = factories.create_dish(canteen.school, "炒青菜", day=LEDGER_DAY - timedelta(days=1))
    refused(lambda: _weigh(canteen, dish=yesterday), "菜单")
    _weigh(canteen, dish=canteen.cucumber)


def test_the_target_at_its_boundary(canteen):
    target = canteen.school.settings.leftover_target_kg_per_100
    assert target == D("3.00")
    _weigh(canteen, kg="6.00", diners=200)  # 3.00 per 100: at the target
    figure = clean_plate.day_figure(canteen.school, LEDGER_DAY)
    assert (figure.per_100, figure.over_target) == (D("3.00"), False)
    _weigh(canteen, kg="3.01", diners=100, day=LEDGER_DAY + timedelta(days=1))  # one hundredth over
    assert clean_plate.day_figure(canteen.school, LEDGER_DAY + timedelta(days=1)).over_target


def test_the_school_figure_adds_up_the_classes_when_only_they_are_weighed(canteen):
    _weigh(canteen, school_class=canteen.seven_1, kg="0.90", diners=45)
    _weigh(canteen, school_class=canteen.seven_2, kg="2.10", diners=55)
    figure = clean_plate.day_figure(canteen.school, LEDGER_DAY)
    assert (figure.kg, figure.diners, figure.per_100) == (D("3.00"), 100, D("3.00"))


def test_the_weeks_class_ranking_and_the_dishes_left_most(canteen):
    monday = date(2026, 9, 14)
    for offset in range(3):
        day = monday + timedelta(days=offset)
        zucchini = factories.create_dish(canteen.school, "清炒西葫芦", day=day) if offset else None
        _weigh(canteen, day=day, school_class=canteen.seven_1, kg="1.00", diners=50)
        _weigh(canteen, day=day, school_class=canteen.seven_2, kg="0.50", diners=50, dish=zucchini)
    ranking = clean_plate.class_ranking(canteen.school.id, monday)
    assert [(c.name, value) for c, value, _n in ranking] == [("七(2)班", D("1.00")), ("七(1)班", D("2.00"))]
    assert clean_plate.dishes_left_most(canteen.school.id, monday, monday + timedelta(days=6)) == [("清炒西葫芦", 2)]


def test_the_board_shows_the_days_figure(canteen):
    _weigh(canteen, kg="4.00", diners=100)
    board = canteen_board.board(canteen.school, LEDGER_DAY, now=school_moment(LEDGER_DAY, 15))
    assert board.leftovers.per_100 == D("4.00") and board.leftovers.over_target


def test_the_page_records_a_weighing_and_keeps_what_was_typed(client, canteen):
    today = school_today(canteen.school)
    factories.make_school_day(canteen.school, today)
    login(client, canteen.cook)
    url = f"/canteen/{today.isoformat()}/clean-plate"
    no_diners = client.post(url, data={"meal": "lunch", "kg": "2.5", "diners": ""})
    assert no_diners.status_code == 422 and "按就餐人数计算" in no_diners.get_data(as_text=True)
    assert 'value="2.5"' in no_diners.get_data(as_text=True)
    done = client.post(
        url, data={"meal": "lunch", "kg": "2.5", "diners": "125", "school_class": str(canteen.seven_1.id)}
    )
    assert done.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "七(1)班" in page and "2.00" in page  # 2.5 kg for 125 diners
    encoded = re.search(r'class="chart" src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)
    chart = base64.b64decode(encoded).decode()  # the semester's curve, drawn with pygal
    assert "每百人剩餐（公斤）" in chart and "目标" in chart and '<desc class="value">2</desc>' in chart


def test_a_class_of_another_school_is_not_found_and_the_auditor_only_reads(client, canteen, other_school, create_user):
    foreign = factories.add_class(other_school, "外校班")
    login(client, canteen.cook)
    url = f"/canteen/{LEDGER_DAY.isoformat()}/clean-plate"
    assert (
        client.post(url, data={"meal": "lunch", "kg": "1", "diners": "10", "school_class": str(foreign.id)}).status_code
        == 404
    )
    login(client, create_user(Role.COUNTY_AUDITOR))
    assert client.post(url, data={"meal": "lunch", "kg": "1", "diners": "10"}).status_code == 403
    assert client.get(url + f"?school={canteen.school.id}").status_code == 200
