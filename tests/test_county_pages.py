"""The county's pages in a fixed number of queries: the compliance table and the home page
compute every school at once in grouped queries, agree with each school's own page, and ask
the database as often for six schools as for two."""

import base64
import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import DayKind, Role
from portal.models.cadence import AssignmentStatus
from portal.models.inspection import InspectionStatus
from portal.models.rectification import RectificationTask, TaskStatus
from portal.services import certificates, compliance, compliance_county, dashboard, planning
from portal.timeutil import UTC, school_today
from tests import factories
from tests.conftest import login

FIRST, LAST, TODAY = date(2026, 9, 1), date(2026, 11, 27), date(2026, 11, 28)


def varied_school(number):
    """A school whose records differ from the others' by ``number``: planned windows done,
    excused and missed; tasks open, overdue, fixed the same day, late and extended; a
    backlog; certificates expired, expiring and missing."""
    school = factories.create_school(f"第{number}中学")
    factories.add_term(school)
    factories.add_day(school, date(2026, 10, 1), DayKind.HOLIDAY, "国庆节")
    director = factories.create_user(Role.DIRECTOR, school)
    cook = factories.create_user(Role.STAFF, school, canteen_worker=True)
    planning.plan(None, school, FIRST, LAST, FIRST)
    for index, assignment in enumerate(planning.assignments_between(school.id, FIRST, LAST)):
        if index % (number + 2) == 0:
            inspection = factories.create_inspection(director, items=1, finding=False)
            assignment.inspection, assignment.status = inspection, AssignmentStatus.DONE
        elif index % (number + 5) == 1:
            planning.excuse(director, assignment, "停电")
    for index in range(number + 3):
        found = datetime(2026, 9, 7, 2, tzinfo=UTC) + timedelta(days=3 * index)
        deadline = found + timedelta(hours=14)  # midnight in Beijing
        source = factories.create_inspection(director, items=1)
        task = RectificationTask(
            inspection_id=source.id,
            finding_id=source.findings[0].id,
            school_id=school.id,
            description=f"问题{index}",
            responsible=cook,
            found_at=found,
            deadline=deadline,
            original_deadline=deadline,
        )
        if index % 3:
            task.status, task.rectified_by = TaskStatus.RECTIFIED, cook
            task.rectified_at = found + (timedelta(hours=3) if index % 3 == 1 else timedelta(days=1))
        if index % 3 == 2 and index % 2:
            task.extension_count, task.deadline = 1, deadline + timedelta(days=2)
        db.session.add(task)
        db.session.flush()
    for _ in range(number % 3):
        waiting = factories.create_inspection(director, finding=False)
        waiting.status, waiting.submitted_at = InspectionStatus.READY_FOR_SIGN_OFF, datetime(2026, 11, 23, tzinfo=UTC)
    factories.create_certificate(cook, expires_in_days=-number)
    factories.create_certificate(director, kind_name="食品安全管理员证", expires_in_days=number * 5)
    factories.create_certificate(director, kind_name="健康证", expires_in_days=number * 20)
    db.session.commit()
    return school


@pytest.fixture
def county_admin(create_user):
    return create_user(Role.COUNTY_ADMIN)


def test_the_county_table_agrees_with_each_schools_own_page():
    schools = [varied_school(number) for number in (1, 2, 3)]
    rows = compliance_county.county([(school, FIRST, LAST) for school in schools])
    for school, row in zip(schools, rows, strict=True):
        own = compliance.compute(school, FIRST, LAST, school_today(school))
        assert [(s.rule.id, s.total) for s in row.rules] == [(s.rule.id, s.total) for s in own.rules]
        assert sum(s.total.missed for s in row.rules) > 0 and sum(s.total.excused for s in row.rules) > 0
        without_median = dict(vars(own.tasks), median_hours=None)
        assert vars(row.tasks) == without_median and row.tasks.found and row.tasks.same_day
        assert row.backlog == own.backlog
        assert row.food_safety == own.food_safety and row.food_safety.weeks_missing


def test_the_county_home_agrees_with_each_schools_own_counts():
    schools = [varied_school(number) for number in (1, 2)]
    together = dashboard.summaries(schools)
    for school, summary in zip(schools, together, strict=True):
        alone = dashboard.school_summary(school)
        assert vars(summary) == vars(alone) | {"attention": []}  # the county's counts, in SQL, agree
        assert summary.not_valid == 1 and summary.expiring  # the cook's expired certificate, the director's
        assert alone.attention == certificates.needing_attention(school)


def _queries(client, url):
    counter = []
    listener = lambda *args: counter.append(1)  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200, url
    return len(counter)


@pytest.mark.parametrize("url", ["/", "/compliance", "/compliance?range=term", "/compliance?range=year"])
def test_county_pages_ask_as_often_for_six_schools_as_for_two(client, county_admin, url):
    for number in (1, 2):
        varied_school(number)
    login(client, county_admin)
    client.get(url)  # warm up: the first request of a session loads what later ones reuse
    with_two = _queries(client, url)
    for number in (3, 4, 5, 6):
        varied_school(number)
    with_six = _queries(client, url)
    assert with_six == with_two, (url, with_two, with_six)
    page = client.get(url).get_data(as_text=True)
    assert all(f"第{number}中学" in page for number in range(1, 7))


@pytest.mark.parametrize("url", ["/", "/compliance?range=term", "/reminders/county?days=7", "/canteen", "/storeroom"])
def test_a_city_reads_its_schools_a_page_at_a_time(client, county_admin, monkeypatch, url):
    monkeypatch.setitem(client.application.config, "COUNTY_SCHOOLS_PER_PAGE", 2)
    names = [factories.create_school(name, county=county).name for name, county in _CITY]
    db.session.commit()
    login(client, county_admin)

    def shown(query=""):
        page = client.get(f"{url}{'&' if '?' in url else '?'}{query}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        return {name for name in names if name in text}, text

    first, text = shown()
    assert "共 5 所学校；第 1 页，共 3 页。" in text
    assert "page=2" in text
    assert all(argument in text for argument in url.partition("?")[2].split("&") if argument)  # kept by the pager
    pages = [first, shown("page=2")[0], shown("page=3")[0]]
    assert [len(page) for page in pages] == [2, 2, 1] and set().union(*pages) == set(names)  # by name, each once
    assert shown("page=99")[0] == shown(f"page={10**30}")[0] == pages[2]  # past the end: the last page
    assert shown("page=x")[0] == shown("page=-4")[0] == first
    assert shown("q=北城区")[0] == {"北城一小", "北城二小"}  # by county
    assert shown("q=东湖")[0] == {"东湖中学"}  # by name
    found, text = shown("q=%25")  # a LIKE wildcard is a character like any other
    assert found == set() and "没有找到相符的学校。" in text


_CITY = [
    ("东湖中学", "南城区"),
    ("北城一小", "北城区"),
    ("北城二小", "北城区"),
    ("西山中学", "南城区"),
    ("南湖小学", "南城区"),
]


def test_a_schools_weeks_of_gaps_as_a_chart_with_their_figures(client, create_user):
    school = varied_school(1)
    report = compliance.compute(school, FIRST, LAST, TODAY)
    missed = sum(summary.total.missed for summary in report.rules)
    assert sum(week[0] for week in report.weeks.values()) == missed > 0  # every miss in its week
    late = sum(week[1] for week in report.weeks.values())
    assert 0 < late <= report.tasks.found - report.tasks.same_day
    login(client, create_user(Role.PRINCIPAL, school))
    page = client.get(f"/compliance?range=custom&from={FIRST}&to={LAST}").get_data(as_text=True)
    chart = base64.b64decode(re.search(r'class="chart mb-2" src="data:image/svg\+xml;base64,([^"]+)"', page).group(1))
    assert "漏检" in chart.decode() and "未当日整改" in chart.decode()
    assert "2026-09-07 当周：漏检" in page  # the figures in words beside the chart
    week = client.get("/compliance").get_data(as_text=True)
    assert "每周缺漏" not in week  # one week needs no chart


def test_the_county_table_draws_each_schools_weeks_as_it_counts_them(client, create_user):
    schools = [varied_school(1), varied_school(2)]
    rows = compliance_county.county([(school, FIRST, LAST) for school in schools])
    for school, row in zip(schools, rows, strict=True):
        own = compliance.compute(school, FIRST, LAST, school_today(school))
        assert row.missed_by_week == [missed for _monday, (missed, _late) in sorted(own.weeks.items())]
        assert sum(row.missed_by_week) == sum(summary.total.missed for summary in row.rules) > 0
    login(client, create_user(Role.COUNTY_ADMIN))
    page = client.get(f"/compliance?range=custom&from={FIRST}&to={LAST}").get_data(as_text=True)
    sparklines = re.findall(r'<span class="sparkline" aria-hidden="true">([^<]+)</span>', page)
    assert [len(line) for line in sparklines] == [len(row.missed_by_week) for row in rows]
    for line, row in zip(sparklines, rows, strict=True):  # a week without a miss is the lowest bar
        assert [bar == "▁" for bar in line] == [missed == 0 for missed in row.missed_by_week]
    for row in rows:  # beside each picture its figures, for a screen reader
        assert f'<span class="sr-only">{"、".join(map(str, row.missed_by_week))}</span>' in page
    one_week = client.get("/compliance").get_data(as_text=True)
    assert 'class="sparkline"' not in one_week


def test_a_week_with_one_miss_never_looks_like_a_week_without():
    from portal.charts import sparkline

    assert sparkline([0, 1, 10, 0, 3]) == "▁▂█▁▃"
    assert sparkline([0, 0, 0]) == "▁▁▁" and sparkline([2, 2]) == "██"
