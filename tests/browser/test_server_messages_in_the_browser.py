"""What a browser would refuse with its own bubble (in its own language) reaches the server,
which answers in Chinese beside the field and keeps what was typed: 0 diners on the
clean-plate form of a phone."""

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Role
from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.clock]


def test_zero_diners_gets_the_servers_chinese_message(open_page, live_server, school, create_user):
    today = factories.open_day(school)
    create_user(Role.STAFF, school, username="cook", display_name="赵桂兰", canteen_worker=True)
    db.session.commit()
    page = open_page(phone=True)
    log_in(page, live_server, "cook", factories.PASSWORD)
    page.goto(f"{live_server}/canteen/{today.isoformat()}/clean-plate")
    page.fill("#kg", "3.5")
    page.fill("#diners", "0")
    page.locator("#diners").press("Enter")
    expect(page.get_by_text("请填写该餐就餐人数：剩餐按就餐人数计算。")).to_be_visible()
    assert page.input_value("#kg") == "3.5" and page.input_value("#diners") == "0"
