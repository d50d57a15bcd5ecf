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


def test_admin_actions_work_under_the_content_security_policy(open_page, live_server, school, create_user):
    """The policy allows no inline script: 选中的 actions, the delete confirmation and the
    inline rows still work (static/js/portal-admin.js), and the browser reports no violation."""
    from portal.models import Rule, RuleStatus, TrainingSession

    factories.create_rule(school, title="食品留样制度", posted=False)
    factories.create_rule(school, title="晨检制度", posted=False)
    create_user(Role.SCHOOL_ADMIN, school, username="clerk")
    create_user(Role.STAFF, school, display_name="赵桂兰")
    db.session.commit()
    page = open_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{message.location} {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    log_in(page, live_server, "clerk", factories.PASSWORD)

    def read(query):
        """Read, and end the test's transaction: the server must be able to write next."""
        db.session.expire_all()
        value = db.session.scalar(query)
        db.session.commit()
        return value

    page.goto(live_server + "/admin/rules/")
    page.locator("tr", has_text="食品留样制度").locator("input.action-checkbox").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("main .dropdown-toggle", has_text="选中的").click()
    page.get_by_text("张贴上墙").click()
    page.wait_for_load_state()
    assert read(db.select(Rule.status).where(Rule.title == "食品留样制度")) is RuleStatus.POSTED

    delete = page.locator("tr", has_text="晨检制度").locator("form.icon button")
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    page.wait_for_timeout(300)
    assert read(db.select(db.func.count()).select_from(Rule)) == 2  # cancelled: still there
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    page.wait_for_load_state()
    assert read(db.select(db.func.count()).select_from(Rule)) == 1

    page.goto(live_server + "/admin/training_sessions/new/")
    page.locator("#attendances-button").click()
    assert page.locator("select[name='attendances-0-user']").count() == 1
    page.fill("#title", "食品安全培训")
    page.fill("#starts_at", "2026-10-10T14:30")
    page.fill("#hours", "2")
    page.get_by_label("赵桂兰").first.check()
    page.select_option("select[name='attendances-0-user']", label="赵桂兰", force=True)
    page.select_option("select[name='attendances-0-status']", value="present", force=True)
    page.click("input[type=submit][value='保存']")
    page.wait_for_load_state()
    assert read(db.select(TrainingSession.title)) == "食品安全培训"
    assert violations == [], "\n".join(sorted(set(violations)))
