"""The school calendar starts filled: the school admin sees the year's national holidays and
make-up days from the chinesecalendar package, unticks what does not apply and saves; the days
the school lists already are kept as they are, and a year the package does not know says so."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import DayKind, Role
from portal.models.audit import AuditEvent
from portal.models.calendar import CalendarDay
from portal.services import national_holidays
from tests.conftest import login

URL = "/calendar/national-holidays"


@pytest.fixture
def clerk(school, create_user):
    return create_user(Role.SCHOOL_ADMIN, school)


def _days(school):
    return {
        (entry.day, entry.kind, entry.note)
        for entry in db.session.scalars(sa.select(CalendarDay).where(CalendarDay.school_id == school.id))
    }


def test_the_proposal_is_the_holidays_on_weekdays_and_the_make_up_days(school):
    proposed = {entry.day: entry for entry in national_holidays.proposal(school.id, 2026)}
    assert (proposed[date(2026, 10, 1)].kind, proposed[date(2026, 10, 1)].note) == (DayKind.HOLIDAY, "国庆节")
    assert (proposed[date(2026, 9, 20)].kind, proposed[date(2026, 9, 20)].note) == (DayKind.MAKEUP_DAY, "国庆节调休")
    assert proposed[date(2026, 2, 16)].note == "春节" and proposed[date(2026, 6, 19)].note == "端午"
    assert date(2026, 10, 3) not in proposed  # a Saturday off is no exception to list
    assert date(2026, 10, 8) not in proposed  # an ordinary Thursday
    assert len(proposed) == 25


def test_the_school_admin_saves_the_ticked_days(client, school, clerk):
    login(client, clerk)
    page = client.get(f"{URL}?year=2026").get_data(as_text=True)
    assert "2026-10-01 周四 放假（不上课） 国庆节" in page
    assert re.search(r'<input checked [^>]*value="2026-10-01"', page)  # ticked unless unticked
    before = _days(school)
    response = client.post(f"{URL}?year=2026", data={"days": ["2026-10-01", "2026-09-20"]})
    assert response.status_code == 302 and response.location.endswith("/admin/calendar_days/")
    assert _days(school) - before == {
        (date(2026, 10, 1), DayKind.HOLIDAY, "国庆节"),
        (date(2026, 9, 20), DayKind.MAKEUP_DAY, "国庆节调休"),
    }
    created = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "calendar_day.created"))
    assert created == 2  # each day audited, as if entered by hand
    page = client.get(f"{URL}?year=2026").get_data(as_text=True)
    assert 'value="2026-10-01"' not in page and "国庆节调休" in page  # listed now, not proposed again


def test_a_day_the_school_lists_is_kept_as_it_is(client, school, clerk):
    db.session.add(CalendarDay(school_id=school.id, day=date(2026, 10, 1), kind=DayKind.CANTEEN_OPEN, note="留校生"))
    db.session.commit()
    login(client, clerk)
    assert "留校生" in client.get(f"{URL}?year=2026").get_data(as_text=True)
    response = client.post(f"{URL}?year=2026", data={"days": ["2026-10-01"]})  # not offered: refused
    assert response.status_code == 200
    assert (date(2026, 10, 1), DayKind.CANTEEN_OPEN, "留校生") in _days(school)
    assert not any(day == date(2026, 10, 1) and kind is DayKind.HOLIDAY for day, kind, _note in _days(school))


@pytest.mark.parametrize("year", ["2027", "1990", "99999"])
def test_a_year_the_package_does_not_know_says_so(client, school, clerk, year):
    login(client, clerk)
    before = _days(school)
    page = client.get(f"{URL}?year={year}")
    assert page.status_code == 200 and "尚未收录" in page.get_data(as_text=True)
    assert 'type="checkbox"' not in page.get_data(as_text=True)
    assert client.post(f"{URL}?year={year}", data={"days": [f"{year}-01-01"]}).status_code == 200
    assert _days(school) == before


def test_a_made_up_day_is_refused_and_nothing_is_saved(client, school, clerk):
    login(client, clerk)
    before = _days(school)
    for forged in ("2026-10-08", "not-a-day"):
        response = client.post(f"{URL}?year=2026", data={"days": [forged]})
        assert response.status_code == 200 and "invalid-feedback" in response.get_data(as_text=True)
    assert _days(school) == before


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.STAFF, Role.COUNTY_ADMIN, Role.COUNTY_AUDITOR])
def test_only_who_keeps_the_calendar_may_fill_it(client, school, create_user, role):
    user = create_user(role, None if role in (Role.COUNTY_ADMIN, Role.COUNTY_AUDITOR) else school)
    login(client, user)
    before = _days(school)
    assert client.get(f"{URL}?year=2026").status_code == 403
    assert client.post(f"{URL}?year=2026", data={"days": ["2026-10-01"]}).status_code == 403
    assert _days(school) == before
