"""The whole inspection cycle in headless Chromium, on a phone-sized screen, in Chinese:
the director inspects (losing the connection for a moment) and submits; the canteen
worker rectifies; the director verifies; the principal signs; the signed inspection
cannot be edited."""

import re
import time
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import DayKind, Inspection, InspectionStatus, Role
from portal.timeutil import school_today
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def wait_until(condition, seconds=10):
    """Polls from the test: the page's Content-Security-Policy allows no eval, which
    Playwright's wait_for_function needs."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def jpeg(path):
    Image.new("RGB", (1600, 1200), (200, 30, 30)).save(path, "JPEG")
    return str(path)


@pytest.fixture
def term_today(school):
    today = school_today(school)
    factories.add_term(school, today - timedelta(days=30), today + timedelta(days=30))
    if today.weekday() >= 5:  # the test may run on a weekend: make today a make-up school day
        factories.add_day(school, today, DayKind.MAKEUP_DAY, "调休")
    return school


def test_the_inspection_cycle_on_a_phone(open_page, live_server, term_today, create_user, tmp_path):
    school = term_today
    create_user(Role.DIRECTOR, school, username="director", display_name="陈主任")
    create_user(Role.STAFF, school, username="cook", display_name="赵桂兰")
    create_user(Role.PRINCIPAL, school, username="principal", display_name="刘德明")
    db.session.commit()

    # The director starts today's inspection from "my inspections".
    director = open_page(phone=True)
    log_in(director, live_server, "director", factories.PASSWORD)
    director.goto(live_server + "/inspections")
    director.get_by_role("button", name="开始检查").first.click()
    director.wait_for_url("**/sections/1")
    expect(director.get_by_text("第 1 / 13 节")).to_be_visible()

    # First item fails, with a note and a photo; autosave confirms.
    first = director.locator("fieldset.inspection-item").first
    first.locator(".result-fail").click()
    first.locator("textarea").fill("供货商许可证已过期")
    expect(director.locator("#save-status")).to_have_text(re.compile("^已保存"))
    first.locator("input[type=file]").set_input_files(jpeg(tmp_path / "fail.jpg"))
    first.locator(".item-photos img").first.wait_for()

    # The connection drops: the answer is kept on the phone and sent when it is back.
    second = director.locator("fieldset.inspection-item").nth(1)
    director.context.set_offline(True)
    second.locator(".result-pass").click()
    expect(director.locator("#save-status")).to_have_text(re.compile("^未保存"))
    assert director.evaluate("Object.keys(localStorage).some(k => k.startsWith('portal:inspection:'))")
    director.context.set_offline(False)
    director.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(lambda: not director.evaluate("Object.keys(localStorage).some(k => k.startsWith('portal:inspection:'))"))

    # Everything else passes, one section at a time, with the buttons.
    while True:
        for choice in director.locator(".checklist-section.current fieldset.inspection-item").all():
            if not choice.locator("input[type=radio]:checked").count():
                choice.locator(".result-pass").click()
        button = director.get_by_role("button", name="保存并进入下一节")
        if button.count():
            button.click()
            director.wait_for_load_state()
            continue
        director.get_by_role("button", name="保存并检查提交").click()
        break
    director.wait_for_url("**/submit")
    director.select_option("select[name^=responsible-]", label="赵桂兰")
    director.get_by_role("button", name="提交检查").click()
    expect(director.get_by_text("检查已提交")).to_be_visible()

    # The canteen worker rectifies, with a photo.
    cook = open_page(phone=True)
    log_in(cook, live_server, "cook", factories.PASSWORD)
    cook.get_by_role("link", name="供货商许可证已过期", exact=False).first.click()
    cook.fill("#note", "已更换供货商并取得新的许可证复印件")
    cook.locator("input[name=photos]").set_input_files(jpeg(tmp_path / "fixed.jpg"))
    cook.get_by_role("button", name="已整改完成").click()
    expect(cook.get_by_text("整改情况已记录")).to_be_visible()

    # The director verifies.
    director.goto(live_server + "/tasks")
    director.locator("a", has_text="供货商许可证已过期").first.click()
    director.get_by_role("button", name="验证通过").click()
    expect(director.get_by_text("整改已验证")).to_be_visible()

    # The principal signs off, after entering the password again.
    principal = open_page(phone=True)
    log_in(principal, live_server, "principal", factories.PASSWORD)
    principal.goto(live_server + "/sign-off")
    principal.locator("input[name=inspection_id]").first.check()
    principal.get_by_role("button", name="为所选检查签字").click()
    principal.fill("#password", factories.PASSWORD)
    principal.get_by_role("button", name="为 1 份检查签字").click()
    expect(principal.get_by_text("已签字 1 份检查")).to_be_visible()
    db.session.expire_all()
    inspection = db.session.scalar(db.select(Inspection))
    assert inspection.status is InspectionStatus.SIGNED_OFF

    # An edit of the signed inspection is refused.
    director.goto(f"{live_server}/inspections/{inspection.id}/sections/1")
    expect(director.get_by_text("该检查已提交，不能再修改")).to_be_visible()
    assert director.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_conflicting_answer_is_told_in_words(open_page, live_server, term_today, create_user):
    """Two windows answer the same item: the second is told what it had typed, as 不合格,
    never as the stored code."""
    from portal.services import inspections

    school = term_today
    director = create_user(Role.DIRECTOR, school, username="director")
    inspection = inspections.start_ad_hoc(director, "厨房")
    db.session.commit()
    page = open_page(phone=True)
    log_in(page, live_server, "director", factories.PASSWORD)
    page.goto(f"{live_server}/inspections/{inspection.id}/sections/1")
    item = inspection.items[0]
    inspections.answer_item(director, item, "pass", "", item.version)  # the other window saves first
    db.session.commit()
    first = page.locator(".checklist-section.current fieldset.inspection-item").first
    first.locator("textarea").fill("地面湿滑")
    first.locator(".result-fail").click()
    message = first.locator(".item-message")
    message.wait_for()
    expect(message).not_to_have_text("")
    text = message.text_content()
    assert "不合格" in text and "fail" not in text
