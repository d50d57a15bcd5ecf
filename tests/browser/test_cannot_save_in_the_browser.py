"""The server cannot save (its disk is read-only): the cook sees a page in Chinese that says
so, goes back, and the dish she typed is still in the form; once the disk is writable again
the same form is sent and saved."""

import pytest
from playwright.sync_api import expect

from portal.models import Role
from tests import factories
from tests.browser.conftest import log_in
from tests.test_disk_full import read_only_database

pytestmark = pytest.mark.browser


def test_going_back_from_the_cannot_save_page_keeps_what_was_typed(open_page, live_server, school, create_user):
    create_user(Role.STAFF, school, username="cook", display_name="赵桂兰", canteen_worker=True)
    day = factories.open_day(school)
    page = open_page(phone=True)
    log_in(page, live_server, "cook", factories.PASSWORD)
    page.goto(f"{live_server}/canteen/{day.isoformat()}/lunch")
    page.get_by_label("菜品", exact=True).fill("番茄炒蛋")
    with read_only_database():
        page.get_by_role("button", name="加入菜单").click()
        expect(page.get_by_text("服务器暂时无法保存")).to_be_visible()
        expect(page.get_by_text("请告知系统管理员")).to_be_visible()
        page.get_by_role("link", name="返回").click()
        page.wait_for_url(f"{live_server}/canteen/{day.isoformat()}/lunch")
    assert page.get_by_label("菜品", exact=True).input_value() == "番茄炒蛋"
    page.get_by_role("button", name="加入菜单").click()
    expect(page.get_by_text("菜品已加入菜单。")).to_be_visible()
