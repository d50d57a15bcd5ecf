"""The foundation in a real browser: Chinese pages, a phone-sized screen, CSRF on."""

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Certificate, Role
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_canteen_worker_reads_and_acknowledges_a_rule_on_a_phone(open_page, live_server, school, create_user):
    factories.create_rule(school, title="食品留样制度", body="每餐次的每种菜品均须留样，不少于125克。")
    create_user(Role.STAFF, school, username="cook", display_name="赵桂兰")
    db.session.commit()
    page = open_page(phone=True)

    log_in(page, live_server, "cook", factories.PASSWORD)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    expect(page.get_by_text("您尚未学习的制度")).to_be_visible()

    page.get_by_role("link", name="食品留样制度").click()
    expect(page.get_by_text("不少于125克")).to_be_visible()
    button = page.get_by_role("button", name="我已阅读并理解本制度")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] <= 360  # a thumb-sized target that fits the screen
    button.click()
    expect(page.get_by_text("您已确认学习《食品留样制度》")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing spills sideways

    page.goto(live_server + "/")
    assert page.get_by_text("您尚未学习的制度").count() == 0


def test_a_clerk_fixes_a_certificate_the_form_refused(open_page, live_server, school, create_user):
    create_user(Role.STAFF, school, display_name="孙秀英")
    create_user(Role.SCHOOL_ADMIN, school, username="clerk")
    db.session.commit()
    page = open_page()

    log_in(page, live_server, "clerk", factories.PASSWORD)
    page.goto(live_server + "/admin/certificates/new/")
    page.select_option("#holder", label="孙秀英", force=True)  # select2 hides the native select
    page.select_option("#kind", label="健康证", force=True)
    page.fill("#number", "JK-0001")
    page.fill("#issued_on", "2026-03-01")
    page.fill("#expires_on", "2026-02-01")
    page.click("input[type=submit][value='保存']")
    expect(page.get_by_text("有效期截止日期必须晚于发证日期").first).to_be_visible()
    assert page.input_value("#number") == "JK-0001"  # nothing typed was lost

    page.fill("#expires_on", "2027-02-28")
    page.click("input[type=submit][value='保存']")
    expect(page.get_by_text("创建记录成功")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(db.select(Certificate.number)) == "JK-0001"


def test_logout_ends_the_session_in_the_browser(open_page, live_server, school, create_user):
    create_user(Role.PRINCIPAL, school, username="principal")
    db.session.commit()
    page = open_page(phone=True)
    log_in(page, live_server, "principal", factories.PASSWORD)
    page.get_by_role("button", name="菜单").click()
    # A tap lands only once the menu has finished opening (Bootstrap's collapse animates).
    page.locator("#portal-nav.show").wait_for()
    page.locator("#nav-account").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_text("您已退出登录")).to_be_visible()
    page.goto(live_server + "/")
    assert "/login" in page.url
