"""The nutrition subsidy: the standard changing on 2021-09-01, the daily report (diners
bounded, a late one flagged, a missing one counted), the month's reconciliation at the
tolerance and one yuan beyond it, the principal's signature and the freeze on every path, a
change dated into a signed month taken in the next one, the school year's balance and the
county's view."""

import base64
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    ChangeKind,
    DailyReport,
    FrozenRecordError,
    Reconciliation,
    Role,
    SpendingCategory,
    Student,
    SubsidyCharge,
    SubsidyRate,
)
from portal.services import daily_reports, enrolment, subsidy, subsidy_county
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login, refused
from tests.factories import PASSWORD, school_moment
from tests.tamper import refused_by_the_database
from tests.test_nutrition import imported, students

D = Decimal
SEPTEMBER = date(2026, 9, 1)
OCTOBER_2 = school_moment(date(2026, 10, 2), 10)  # the principal signs September


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def test_the_standard_changes_on_the_first_of_september_2021(people, tmp_path):
    factories.add_term(people.school, date(2021, 3, 1), date(2021, 12, 31), name="2021年")
    imported(people, tmp_path, students(1), effective_on=date(2021, 8, 30))
    # Monday 30 and Tuesday 31 August at ¥4, Wednesday to Friday 1–3 September at ¥5.
    assert subsidy.entitlement(people.school.id, date(2021, 8, 30), date(2021, 9, 3)) == (5, D("23.00"))


def _september(people, tmp_path, spent_yuan):
    """Ten students all September (22 school days: ¥1,100), their import checked by the
    principal, and rice issued for ``spent_yuan``."""
    imported(people, tmp_path, students(10))
    enrolment.check_changes(people.principal, enrolment.changes_of(people.school.id), now=OCTOBER_2)
    if spent_yuan:
        batch = factories.stock(people.school, people.keeper, quantity=spent_yuan, price="1.00")
        factories.issue(people.keeper, batch.item, spent_yuan)
    assert subsidy.entitlement(people.school.id, SEPTEMBER, date(2026, 9, 30)) == (220, D("1100.00"))


def test_a_month_at_the_tolerance_signs_and_one_yuan_beyond_needs_an_explanation(people, tmp_path):
    _september(people, tmp_path, spent_yuan=1000)  # ¥100 under: the tolerance exactly
    september = subsidy.figures(people.school, SEPTEMBER)
    assert september.difference == 100 and not september.beyond_tolerance
    _county_rate().tolerance_yuan = 99  # the county's: now ¥1 beyond
    db.session.commit()
    assert subsidy.figures(people.school, SEPTEMBER).verdict == "少支"
    refused(lambda: subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2), "说明")
    db.session.rollback()
    subsidy.explain(people.clerk, SEPTEMBER, "国庆前集中采购的大米在十月使用")
    db.session.commit()
    signed = subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2)
    db.session.commit()
    assert signed.signed_by == people.principal and signed.spending == 1000


def test_a_month_is_not_signed_while_one_of_its_changes_is_unchecked(client, people, tmp_path):
    _september(people, tmp_path, spent_yuan=1100)
    leaver = db.session.scalar(sa.select(Student).order_by(Student.id))
    enrolment.record_change(
        people.clerk, leaver, ChangeKind.TRANSFER_OUT, date(2026, 9, 30), "转学联系函", now=OCTOBER_2
    )
    db.session.commit()
    refused(lambda: subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2), "1 条异动", leaver.name)
    login(client, people.principal)
    page = client.get("/nutrition/reconciliation/2026-09").get_data(as_text=True)
    assert "unchecked-changes" in page and leaver.name in page and "签字确认本月核算" not in page
    [change] = enrolment.unchecked_in(people.school.id, SEPTEMBER, date(2026, 9, 30))
    enrolment.check_change(people.principal, change)
    db.session.commit()
    assert subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2).is_signed


def test_only_the_principal_signs_a_month_that_is_over(people, tmp_path):
    _september(people, tmp_path, spent_yuan=1100)
    refused(
        lambda: subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=school_moment(date(2026, 9, 30), 18)), "结束"
    )
    refused(lambda: subsidy.sign(people.clerk, SEPTEMBER, PASSWORD, now=OCTOBER_2), "校长")
    refused(lambda: subsidy.sign(people.principal, SEPTEMBER, "wrong", now=OCTOBER_2), "密码")
    refused(lambda: subsidy.explain(people.principal, SEPTEMBER, "说明"), "后勤管理员")


def test_a_signed_month_is_frozen_on_every_path(people, tmp_path):
    _september(people, tmp_path, spent_yuan=1100)
    signed = subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2)
    db.session.commit()
    refused(lambda: subsidy.explain(people.clerk, SEPTEMBER, "补充"), "已签")
    refused(lambda: subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2), "已签")
    db.session.rollback()
    record = db.session.get(Reconciliation, signed.id)
    record.explanation = "改一改"
    with pytest.raises(FrozenRecordError):
        db.session.flush()
    db.session.rollback()
    for statement in (
        f"UPDATE reconciliation SET spending = 0 WHERE id = {signed.id}",
        f"DELETE FROM reconciliation WHERE id = {signed.id}",
    ):
        refused_by_the_database(statement)
    assert db.session.get(Reconciliation, signed.id).spending == 1100


def test_a_change_dated_into_a_signed_month_is_taken_in_the_next(people, tmp_path):
    _september(people, tmp_path, spent_yuan=1100)
    subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2)
    db.session.commit()
    leaver = db.session.scalar(sa.select(Student).order_by(Student.id))
    # Recorded in October: gone since Wednesday 16 September (11 of 22 school days): ¥55 less.
    enrolment.record_change(people.clerk, leaver, ChangeKind.TRANSFER_OUT, date(2026, 9, 16), now=OCTOBER_2)
    db.session.commit()
    assert subsidy.figures(people.school, SEPTEMBER).entitlement == 1100  # the signed month stays
    october = subsidy.figures(people.school, date(2026, 10, 1))
    assert october.earlier_months_change == D("-55.00")


def test_the_daily_report_counts_the_roster_and_bounds_the_diners(people, tmp_path):
    imported(people, tmp_path, students(10))
    day = date(2026, 9, 16)

    def report(lunch, staff=0, others=0, at=13):
        record = DailyReport(
            school_id=people.school.id,
            day=day,
            lunch_diners=lunch,
            staff_diners=staff,
            other_student_diners=others,
            platform_ref="YY-0916",
        )
        daily_reports.save_report(people.clerk, record, now=school_moment(day, at))
        return record

    staff = 5  # the school's five members
    for lunch, staff_diners, others, words in (
        (10 + staff, staff + 1, 0, "5 名教职工"),  # more staff than the school has
        (10 + staff + 1, staff, 0, "11 名享受补助学生"),  # one eligible diner too many
        (3, 2, 2, "3 人中"),  # "of them" beyond the diners
        (3, None, 0, "没有请填 0"),
    ):
        refused(lambda a=(lunch, staff_diners, others): report(*a), words)
        db.session.rollback()
    saved = report(10 + staff + 2, staff, 2)
    db.session.commit()
    assert saved.eligible == 10 and saved.eligible_diners == 10 and not saved.late
    assert "享受营养改善计划学生10人" in daily_reports.platform_text(saved, people.school)
    refused(lambda: report(9), "已保存")
    db.session.rollback()
    late_day = date(2026, 9, 17)
    late = DailyReport(school_id=people.school.id, day=late_day, lunch_diners=9, staff_diners=0, other_student_diners=0)
    daily_reports.save_report(people.clerk, late, now=school_moment(late_day, 17))
    db.session.commit()
    assert late.late
    missing = daily_reports.unreported_days([people.school], date(2026, 9, 14), date(2026, 9, 18), now=OCTOBER_2)
    assert missing[people.school.id] == [date(2026, 9, 14), date(2026, 9, 15), date(2026, 9, 18)]


def test_the_balance_and_the_county_view(client, people, tmp_path, create_user):
    _september(people, tmp_path, spent_yuan=1300)  # ¥200 over: beyond the tolerance
    subsidy.explain(people.clerk, SEPTEMBER, "开学初补充调料与食用油")
    subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2)
    db.session.commit()
    year = subsidy_county.balance(people.school.id, SEPTEMBER, date(2026, 10, 5))
    assert [month for month, _rec in year.months] == [SEPTEMBER, date(2026, 10, 1)]
    assert year.carry_over == -200
    [row] = subsidy_county.county([people.school], SEPTEMBER, date(2026, 10, 5))
    assert row.reconciliation.verdict == "超支" and row.eligible == 10 and len(row.unreported) == 22
    login(client, create_user(Role.COUNTY_AUDITOR))
    page = client.get("/nutrition/county?month=2026-09").get_data(as_text=True)
    assert "超支" in page and "-200.00" in page
    login(client, people.principal)
    page = client.get("/nutrition/balance?year=2026").get_data(as_text=True)
    assert "-200.00" in page
    chart = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)).decode()
    assert "2026-09" in chart and "-200" in chart and "结转" in chart  # the month, its balance, named


def test_the_board_shows_the_days_report_and_red_when_it_is_missing(client, people, tmp_path):
    from portal.services import canteen_board

    imported(people, tmp_path, students(3))
    day = date(2026, 9, 16)
    board = canteen_board.board(people.school, day, now=school_moment(date(2026, 9, 17), 9))
    assert board.nutrition_report_due and board.nutrition_report_overdue
    factories.report_day(people.school, people.clerk, day=day, lunch=3)
    board = canteen_board.board(people.school, day, now=school_moment(date(2026, 9, 17), 9))
    assert board.nutrition_report.lunch_diners == 3 and not board.nutrition_report_overdue
    login(client, people.director)
    assert "享受补助 3 人" in client.get(f"/canteen?day={day.isoformat()}").get_data(as_text=True)


def test_the_daily_food_cost_per_diner_uses_the_days_report(client, people, tmp_path):
    imported(people, tmp_path, students(10))
    batch = factories.stock(people.school, people.keeper, quantity=50, price="4.00")
    factories.issue(people.keeper, batch.item, 20)  # ¥80 at lunch on 16 September
    factories.report_day(people.school, people.clerk, day=date(2026, 9, 16), lunch=8)
    login(client, people.clerk)
    page = client.get("/storeroom/food-cost?month=2026-09").get_data(as_text=True)
    assert "80.00" in page and "10.00" in page  # ¥80 for 8 diners


def test_the_county_view_asks_as_often_for_three_schools_as_for_one(people, tmp_path, create_user):
    from sqlalchemy.orm import selectinload

    from portal.models import School

    imported(people, tmp_path, students(3))
    for n in range(2):
        other = factories.create_school(f"第{n + 2}中学")
        factories.add_term(other)
        factories.enrol(other, create_user(Role.SCHOOL_ADMIN, other), register_number=f"G42{n}")
    db.session.commit()
    schools = db.session.scalars(sa.select(School).options(selectinload(School.settings)).order_by(School.id)).all()

    def queries(chosen):
        count = [0]

        def counted(*_args):
            count[0] += 1

        sa.event.listen(db.engine, "before_cursor_execute", counted)
        try:
            rows = subsidy_county.county(chosen, SEPTEMBER, date(2026, 10, 5))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counted)
        return count[0], rows

    one, _rows = queries(schools[:1])
    three, rows = queries(schools)
    assert one == three and len(rows) == 3
    assert {row.school.id: row.reconciliation.student_days for row in rows}[people.school.id] == 3 * 22


# --- the rate with its history ----------------------------------------------------------------


def test_the_rate_is_the_countys_setting_with_its_history(client, people, tmp_path, create_user):
    """A rate the county changes for a month already signed reopens nothing: the difference
    is taken in the next month signed."""
    _september(people, tmp_path, spent_yuan=1100)
    subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2)
    db.session.commit()
    county = create_user(Role.COUNTY_ADMIN)
    # A provincial top-up to ¥6 from 16 September (11 of its 22 school days, ten students).
    subsidy.save_rate(county, SubsidyRate(starts_on=date(2026, 9, 16), yuan=D("6.00"), document_ref="省补助"), None)
    db.session.commit()
    assert subsidy.figures(people.school, SEPTEMBER).entitlement == 1100  # signed: unchanged
    assert subsidy.figures(people.school, date(2026, 10, 1)).earlier_months_change == D("110.00")
    assert subsidy.entitlement(people.school.id, SEPTEMBER, date(2026, 9, 30)) == (220, D("1210.00"))

    refused(lambda: subsidy.save_rate(county, SubsidyRate(starts_on=date(2026, 9, 16), yuan=D("7")), None), "这一天")
    refused(lambda: subsidy.save_rate(county, SubsidyRate(starts_on=date(2027, 1, 1), yuan=D("0")), None), "50")
    refused(lambda: subsidy.save_rate(county, SubsidyRate(starts_on=date(2027, 1, 1), yuan=D("51")), None), "50")
    for rate in db.session.scalars(sa.select(SubsidyRate).order_by(SubsidyRate.starts_on)).all()[:-1]:
        subsidy.delete_rate(county, rate)
    last = db.session.scalar(sa.select(SubsidyRate))
    refused(lambda: subsidy.delete_rate(county, last), "最后")

    # Only the county keeps it; the school reads it.
    login(client, people.clerk)
    assert client.get("/admin/subsidy_rates/").status_code == 200
    assert client.get("/admin/subsidy_rates/new/").status_code == 403
    assert client.post(f"/admin/subsidy_rates/edit/?id={last.id}", data={"yuan": "9"}).status_code == 403
    assert db.session.get(SubsidyRate, last.id).yuan == D("6.00")


def _county_rate():
    return db.session.scalar(sa.select(SubsidyRate).order_by(SubsidyRate.starts_on.desc()).limit(1))


def test_the_tolerance_is_the_countys_with_its_history_and_no_school_sets_it(client, people, tmp_path, create_user):
    _september(people, tmp_path, spent_yuan=1050)  # ¥50 under
    county = create_user(Role.COUNTY_ADMIN)
    rate = SubsidyRate(starts_on=date(2026, 9, 1), yuan=D("5.00"), tolerance_yuan=40, document_ref="县核算办法")
    subsidy.save_rate(county, rate, None)
    db.session.commit()
    assert subsidy.figures(people.school, SEPTEMBER).beyond_tolerance  # ¥50 beyond ¥40
    assert subsidy.tolerance_on(date(2026, 8, 31)) == 100  # August keeps the earlier figure
    refused(
        lambda: subsidy.save_rate(
            county, SubsidyRate(starts_on=date(2027, 1, 1), yuan=D("5"), tolerance_yuan=-1), None
        ),
        "允许差额",
    )
    login(client, people.clerk)
    settings_form = client.get(f"/admin/school_settings/edit/?id={people.school.id}").get_data(as_text=True)
    assert "tolerance" not in settings_form and "允许差额" not in settings_form
    assert client.post(f"/admin/subsidy_rates/edit/?id={rate.id}", data={"tolerance_yuan": "100000"}).status_code == 403
    assert db.session.get(SubsidyRate, rate.id).tolerance_yuan == 40


# --- other spending charged to the subsidy ------------------------------------------------------


def _charge(people, category, amount="200.00", day=date(2026, 9, 16)):
    charge = SubsidyCharge(day=day, category=category, amount=D(amount), description="牛奶", voucher="P-0916")
    return subsidy.save_charge(people.clerk, charge, now=school_moment(day, 15))


def test_spending_in_a_forbidden_category_is_refused_with_the_rule(people, tmp_path):
    _september(people, tmp_path, spent_yuan=900)
    for category in SpendingCategory:
        if category.allowed:
            continue
        refused(lambda category=category: _charge(people, category), str(category.label), "其他经费")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SubsidyCharge)) == 0
    refused(lambda: _charge(people, SpendingCategory.FOOD_BOUGHT_DIRECTLY, amount="0"), "大于 0")
    _charge(people, SpendingCategory.FOOD_BOUGHT_DIRECTLY)
    db.session.commit()
    september = subsidy.figures(people.school, SEPTEMBER)
    assert (september.spending, september.other_spending, september.difference) == (900, 200, 0)
    # The database keeps to the rule whatever path writes the row.
    refused_by_the_database("UPDATE subsidy_charge SET category = 'staff_meals'")


def test_spending_is_not_charged_to_a_signed_month(people, tmp_path):
    _september(people, tmp_path, spent_yuan=1100)
    subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2)
    db.session.commit()
    # 30 September is still open as a ledger day on 1 October before the cut-off, but signed.
    charge = SubsidyCharge(
        day=date(2026, 9, 30), category=SpendingCategory.CATERED_MEALS, amount=D("50"), description="配餐"
    )
    refused(lambda: subsidy.save_charge(people.clerk, charge, now=OCTOBER_2), "已签字")


def test_the_clerk_charges_on_the_reconciliation_page_and_others_may_not(client, people, tmp_path):
    imported(people, tmp_path, students(3))
    today = school_today(people.school)
    month = today.strftime("%Y-%m")
    form = {"day": today.isoformat(), "amount": "36.50", "description": "鸡蛋", "voucher": "P-1"}
    login(client, people.director)
    assert (
        client.post(
            f"/nutrition/reconciliation/{month}/charges", data=form | {"category": "food_bought_directly"}
        ).status_code
        == 403
    )
    login(client, people.clerk)
    staff_meals = client.post(f"/nutrition/reconciliation/{month}/charges", data=form | {"category": "staff_meals"})
    assert staff_meals.status_code == 422 and "教职工伙食" in staff_meals.get_data(as_text=True)
    assert "鸡蛋" in staff_meals.get_data(as_text=True)  # what was typed is kept
    done = client.post(f"/nutrition/reconciliation/{month}/charges", data=form | {"category": "food_bought_directly"})
    assert done.status_code == 302
    page = client.get(f"/nutrition/reconciliation/{month}").get_data(as_text=True)
    assert "鸡蛋" in page and "36.50" in page and 'id="charge-elsewhere"' not in page


def test_a_locked_month_offers_no_charge_form_and_says_where_to_charge(client, people):
    """Every day of a month two months back is locked: a form there could only refuse."""
    today = school_today(people.school)
    earlier = (today.replace(day=1) - timedelta(days=40)).strftime("%Y-%m")
    login(client, people.clerk)
    page = client.get(f"/nutrition/reconciliation/{earlier}").get_data(as_text=True)
    assert 'id="charge-elsewhere"' in page and "发票" in page
    assert f"/nutrition/reconciliation/{earlier}/charges" not in page
    assert f'href="/nutrition/reconciliation/{today.strftime("%Y-%m")}"' in page


# --- a report missed, entered while its day is open ----------------------------------------------


def test_a_missed_report_is_entered_while_its_day_is_open(people, tmp_path):
    imported(people, tmp_path, students(4))
    wednesday, thursday = date(2026, 9, 16), date(2026, 9, 17)
    # Thursday morning: Wednesday's ledger is open until Thursday's cut-off.
    assert daily_reports.open_days(people.school, now=school_moment(thursday, 9)) == [thursday, wednesday]
    missed = DailyReport(
        school_id=people.school.id, day=wednesday, lunch_diners=4, staff_diners=0, other_student_diners=0
    )
    daily_reports.save_report(people.clerk, missed, now=school_moment(thursday, 9))
    db.session.commit()
    assert missed.late and daily_reports.open_days(people.school, now=school_moment(thursday, 9)) == [thursday]
    # Friday: Thursday's ledger locked without a report: a gap that stays.
    assert daily_reports.open_days(people.school, now=school_moment(date(2026, 9, 18), 22)) == [date(2026, 9, 18)]
    late = DailyReport(school_id=people.school.id, day=thursday, lunch_diners=4, staff_diners=0, other_student_diners=0)
    refused(lambda: daily_reports.save_report(people.clerk, late, now=school_moment(date(2026, 9, 18), 22)), "锁定")


def test_the_report_page_offers_the_open_days_only(client, people, tmp_path):
    today = school_today(people.school)
    factories.make_school_day(people.school, today)
    imported(people, tmp_path, students(2))
    login(client, people.clerk)
    page = client.get("/nutrition/reports").get_data(as_text=True)
    assert f'value="{today.isoformat()}"' in page
    long_ago = client.post("/nutrition/reports", data={"day": "2026-09-01", "lunch_diners": "2"})
    assert long_ago.status_code == 422 and db.session.scalar(sa.select(sa.func.count()).select_from(DailyReport)) == 0
    meals = {f"{meal.value}_diners": "2" for meal in people.school.settings.meals()}
    split = {"staff_diners": "0", "other_student_diners": "0"}
    done = client.post("/nutrition/reports", data={"day": today.isoformat(), **meals, **split})
    assert done.status_code == 302
    assert db.session.scalar(sa.select(DailyReport.day)) == today


# --- the annual balance in the evidence ---------------------------------------------------------


def test_the_evidence_carries_each_school_years_balance(people, tmp_path):
    from portal.evidence import storage
    from portal.evidence.nutrition import build_nutrition
    from portal.evidence.parts import Scope
    from portal.evidence.sections import BY_KEY
    from tests.test_evidence import make_export, pdf_text

    _september(people, tmp_path, spent_yuan=1300)
    subsidy.explain(people.clerk, SEPTEMBER, "开学初补充调料与食用油")
    subsidy.sign(people.principal, SEPTEMBER, PASSWORD, now=OCTOBER_2)
    db.session.commit()
    part = build_nutrition(BY_KEY["nutrition"], Scope(people.school, SEPTEMBER, date(2026, 10, 31)))
    [balance] = [sheet for sheet in part.sheets if "年度平衡" in sheet.name]
    assert "2026–2027" in balance.name
    assert balance.rows[0][:4] == ["2026-09", "1100.00", "1300.00", "-200.00"] and balance.rows[0][4] == "王校长"
    # October is not signed: its figures as they stand, marked so, 少支 with no food issued.
    assert balance.rows[1][0] == "2026-10" and balance.rows[1][4] == "少支；未签字"
    assert balance.rows[1][1] != "" and balance.rows[1][2] == "0.00"
    assert balance.rows[-1][1:4] == ["1100.00", "1300.00", "-200.00"]
    # The year as a chart, its figures in words beside it; in the PDF its title is text too.
    assert str(part.context["charts_heading"]) == "营养餐补助全年收支曲线"
    [(picture, words)] = part.context["charts"]
    assert picture.startswith("data:image/svg+xml") and str(words) == "2026–2027 学年：已签字 1 个月，结转 -200.00 元。"
    export = make_export(people, sections=["nutrition"], first=SEPTEMBER, last=date(2026, 10, 31))
    text = pdf_text(storage.path_of(export.storage_key))
    assert "结转（元）" in text and "结转 -200.00 元" in text  # the chart's legend (the sheet has none), its words
