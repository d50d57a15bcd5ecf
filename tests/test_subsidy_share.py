"""The subsidy answers for the eligible students' share of the food issued: each day's food is
split by the diners its daily report counts (eligible students, students without the subsidy,
staff); food issued as staff meals is the staff's; a day without a split is counted whole and
the page says so. A canteen that also feeds its teachers is no longer 超支 by construction."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import StockIssue
from portal.services import food_share, subsidy
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login
from tests.factories import LEDGER_DAY
from tests.test_subsidy import SEPTEMBER, _september

D = Decimal


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def test_teachers_at_the_table_take_their_share_and_the_month_is_not_over_spent(client, people, tmp_path):
    # Ten eligible students all September: ¥1,100. ¥1,400 of rice issued on one day that
    # fourteen ate: the ten students and four teachers.
    _september(people, tmp_path, spent_yuan=1400)
    factories.report_day(people.school, people.clerk, day=LEDGER_DAY, lunch=14, staff=4)
    september = subsidy.figures(people.school, SEPTEMBER)
    assert (september.spending, september.others_share, september.students_share) == (D(1400), D(400), D(1000))
    assert september.difference == 100 and september.verdict is None  # counted whole: ¥300 超支
    login(client, people.principal)
    page = client.get("/nutrition/reconciliation/2026-09").get_data(as_text=True)
    assert "-400.00" in page and "1000.00" in page
    assert "享受补助学生 10 人次，未享受补助学生 0 人次，教职工 4 人次" in page
    assert "全部计入" not in page


def test_students_without_the_subsidy_share_by_head_and_a_day_without_a_split_counts_whole(client, people, tmp_path):
    _september(people, tmp_path, spent_yuan=0)
    batch = factories.stock(people.school, people.keeper, quantity=2000, price="1.00")
    factories.issue(people.keeper, batch.item, 700)  # 16 September: 7 eligible of 10 diners
    factories.report_day(people.school, people.clerk, day=LEDGER_DAY, lunch=10, staff=1, other_students=2)
    factories.issue(people.keeper, batch.item, 300, day=date(2026, 9, 17))  # no report that day
    share = food_share.share_of(people.school.id, SEPTEMBER, date(2026, 9, 30))
    assert (share.eligible_diners, share.other_student_diners, share.staff_diners) == (7, 2, 1)
    assert share.others == D(210) and share.students == D(790) and share.days_counted_whole == 1
    login(client, people.clerk)
    page = client.get("/nutrition/reconciliation/2026-09").get_data(as_text=True)
    assert "1 天的每日上报未填写就餐人员构成，当天食材全部计入学生补助" in page


def test_food_issued_as_staff_meals_is_theirs_and_they_take_no_share_of_the_rest(people, tmp_path):
    _september(people, tmp_path, spent_yuan=1000)  # the students' lunch
    staff_food = factories.stock(people.school, people.keeper, quantity=200, price="1.00", name="猪肉")
    factories.issue(people.keeper, staff_food.item, 200, for_staff=True)
    factories.report_day(people.school, people.clerk, day=LEDGER_DAY, lunch=14, staff=4)
    september = subsidy.figures(people.school, SEPTEMBER)
    assert (september.spending, september.others_share, september.students_share) == (D(1200), D(200), D(1000))


def test_the_keeper_issues_staff_meals_as_such(client, people):
    today = school_today(people.school)
    factories.make_school_day(people.school, today)
    staff_food = factories.stock(people.school, people.keeper, quantity=5, day=today, name="猪肉")
    login(client, people.keeper)
    form = {"meal": "lunch", "item": staff_food.item.id, "quantity": "2", "batch": ""}
    client.post(f"/storeroom/{today.isoformat()}/out", data=form)
    issued = client.post(f"/storeroom/{today.isoformat()}/out", data={**form, "for_staff": "y"})
    assert issued.status_code == 302, issued.get_data(as_text=True)
    flags = db.session.scalars(sa.select(StockIssue.for_staff).order_by(StockIssue.id)).all()
    assert flags == [False, True]
    assert client.get(issued.headers["Location"]).get_data(as_text=True).count("教职工用餐</span>") == 1


def test_the_split_is_kept_when_the_month_is_signed(people, tmp_path):
    _september(people, tmp_path, spent_yuan=1400)
    factories.report_day(people.school, people.clerk, day=LEDGER_DAY, lunch=14, staff=4)
    signed = subsidy.sign(
        people.principal, SEPTEMBER, factories.PASSWORD, now=factories.school_moment(date(2026, 10, 2), 10)
    )
    db.session.commit()
    db.session.expire_all()
    assert subsidy.reconciliation_of(people.school.id, SEPTEMBER).others_share == D(400)
    assert signed.difference == 100


def test_the_next_report_starts_from_the_last_split(client, people, tmp_path):
    today = school_today(people.school)
    factories.make_school_day(people.school, today)
    _september(people, tmp_path, spent_yuan=0)
    factories.report_day(people.school, people.clerk, day=LEDGER_DAY, lunch=14, staff=4)
    login(client, people.clerk)
    page = client.get("/nutrition/reports").get_data(as_text=True)
    assert 'name="staff_diners" type="number" value="4"' in page
    assert "其中教职工 4 人，未享受补助学生 0 人" in client.get("/nutrition/reports?month=2026-09").get_data(
        as_text=True
    )
