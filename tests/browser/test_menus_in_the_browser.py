"""Every menu opens with one tap: the navigation, and on Flask-Admin pages 导出 (export),
添加筛选器 (add filter) and 选中的 (with selected), on a desktop and on a phone."""

import pytest

from portal.extensions import db
from portal.models import Role
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def _open_once(page, toggle):
    """One click on a dropdown toggle; its menu must be showing afterwards."""
    toggle.click()
    menu = toggle.locator("xpath=following-sibling::*[contains(@class, 'dropdown-menu')][1]")
    menu.wait_for(state="visible", timeout=2000)
    assert "show" in (menu.get_attribute("class") or "")
    page.keyboard.press("Escape")
    menu.wait_for(state="hidden", timeout=2000)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_every_menu_of_an_admin_list_opens_with_one_tap(open_page, live_server, school, create_user, phone):
    factories.create_rule(school, title="食品留样制度", posted=False)
    create_user(Role.SCHOOL_ADMIN, school, username="clerk")
    db.session.commit()
    page = open_page(phone=phone)
    log_in(page, live_server, "clerk", factories.PASSWORD)
    page.goto(live_server + "/admin/rules/")

    if phone:
        page.get_by_role("button", name="菜单").click()
        page.locator("#portal-nav.show").wait_for()
    toggles = page.locator("#portal-nav .dropdown-toggle")
    assert toggles.count() >= 5
    for index in range(toggles.count()):
        _open_once(page, toggles.nth(index))

    page.get_by_role("checkbox").nth(1).check()  # a row, so that 选中的 has something to act on
    for name in ("导出", "添加筛选器", "选中的"):
        _open_once(page, page.locator("main .dropdown-toggle", has_text=name).first)
