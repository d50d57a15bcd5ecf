"""The director's daily inspection on a phone, counted in taps from the home page: an
all-pass day and a day with one failure. The README quotes these numbers; a change that
adds a tap to the daily job fails here.

A tap is a click on the screen; typing a note is not counted, focusing its box is."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import DayKind, Inspection, InspectionStatus, ItemResult, Role
from portal.timeutil import school_today
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

# What the README says the daily job costs.
ALL_PASS_TAPS = 15
ONE_FAILURE_TAPS = 19


class Phone:
    def __init__(self, page):
        self.page, self.taps = page, 0

    def tap(self, locator):
        locator.click()
        self.taps += 1


@pytest.fixture
def director(school, create_user, open_page, live_server):
    today = school_today(school)
    factories.add_term(school, today - timedelta(days=30), today + timedelta(days=30))
    if today.weekday() >= 5:
        factories.add_day(school, today, DayKind.MAKEUP_DAY, "调休")
    create_user(Role.DIRECTOR, school, username="director", display_name="陈主任")
    create_user(Role.STAFF, school, username="cook", display_name="赵桂兰")
    db.session.commit()
    page = open_page(phone=True)
    log_in(page, live_server, "director", factories.PASSWORD)
    page.goto(live_server + "/inspections")  # plans the week, as the periodic task does every night
    page.goto(live_server + "/")
    return Phone(page)


def _pass_every_section(phone):
    """One tap per section; the last one leads to the review page."""
    page = phone.page
    sections = page.locator(".checklist-section").count()
    for number in range(1, sections + 1):
        assert page.locator(".checklist-section.current").get_attribute("data-number") == str(number)
        phone.tap(page.locator(".checklist-section.current .all-pass"))
        if number < sections:
            expect(page.locator("#section-form")).to_have_attribute("data-current", str(number + 1))
    page.wait_for_url("**/submit")


def _submitted():
    db.session.expire_all()
    inspection = db.session.scalar(sa.select(Inspection))
    assert inspection.status is not InspectionStatus.DRAFT
    return inspection


def test_an_all_pass_day_takes_fifteen_taps(director):
    page = director.page
    director.tap(page.locator(".today-inspection"))
    page.wait_for_url("**/sections/1")
    _pass_every_section(director)
    director.tap(page.get_by_role("button", name="提交检查"))
    expect(page.get_by_text("检查已提交")).to_be_visible()
    inspection = _submitted()
    assert [item.result for item in inspection.items] == [ItemResult.PASS] * len(inspection.items)
    assert director.taps == ALL_PASS_TAPS


def test_a_day_with_one_failure_takes_nineteen_taps(director):
    page = director.page
    director.tap(page.locator(".today-inspection"))
    page.wait_for_url("**/sections/1")
    first = page.locator(".checklist-section.current fieldset.inspection-item").first
    director.tap(first.locator(".result-fail"))
    director.tap(first.locator("textarea"))
    page.keyboard.type("供货商许可证已过期")
    expect(page.locator("#save-status")).to_have_text(re.compile("^已保存"))
    _pass_every_section(director)
    select = page.locator("select[name^=responsible-]")
    director.tap(select)  # opening the list of people
    select.select_option(label="赵桂兰")
    director.taps += 1  # choosing one
    director.tap(page.get_by_role("button", name="提交检查"))
    expect(page.get_by_text("检查已提交")).to_be_visible()
    inspection = _submitted()
    assert [item.result for item in inspection.items].count(ItemResult.FAIL) == 1
    [task] = inspection.tasks
    assert task.description.endswith("供货商许可证已过期")
    assert director.taps == ONE_FAILURE_TAPS
