"""Reminders on a phone, in Chinese: twenty minutes before lunch ends the cook sees the prompt
on the home page, taps it, lands on the meal that lacks a sample and keeps one (3 taps); the
school admin sets up the DingTalk group robot (a wrong address refused with the reason and
kept as typed) and sends a test message, which a fake robot receives signed."""

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Role
from portal.services import reminders
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_storeroom_on_a_phone import Taps
from tests.test_reminders import DINGTALK_SECRET, DINGTALK_URL, FakeRobot

pytestmark = pytest.mark.browser


def test_the_cook_hears_of_a_missing_sample_and_keeps_one(open_page, live_server, school, create_user):
    day = factories.open_day(school)
    create_user(Role.STAFF, school, username="cook", display_name="赵桂兰", canteen_worker=True)
    dish = factories.create_dish(school, "番茄炒蛋", day=day)
    reminders.run(school, now=factories.school_moment(day, 12, 40))  # lunch ends at 13:00
    db.session.commit()
    meal_page = f"{live_server}/canteen/{day.isoformat()}/{dish.meal.value}"
    db.session.rollback()  # the test holds no lock while the server writes

    page = open_page(phone=True)
    log_in(page, live_server, "cook", factories.PASSWORD)
    taps = Taps(page)
    taps.click(page.get_by_role("link", name=f"{day.isoformat()} 午餐：还没有留样：番茄炒蛋"))  # on the home page
    expect(page).to_have_url(meal_page)
    taps.fill(page.get_by_label("重量（克）"), "150")
    taps.click(page.get_by_role("button", name="已留样"))
    expect(page.get_by_text("留样已记录。")).to_be_visible()
    assert taps.count == 3, taps.count
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    db.session.rollback()


def test_the_school_admin_sets_up_the_dingtalk_robot(open_page, live_server, app, monkeypatch, school, create_user):
    robot = FakeRobot()
    monkeypatch.setitem(app.config, "GROUP_CHAT_ORIGINS", {"dingtalk": robot.origin})
    create_user(Role.SCHOOL_ADMIN, school, username="clerk", display_name="李干事")
    db.session.commit()
    page = open_page(phone=True)
    log_in(page, live_server, "clerk", factories.PASSWORD)
    page.goto(f"{live_server}/reminders/settings")
    page.get_by_label("工作群").select_option(label="钉钉群机器人")
    wrong = DINGTALK_URL.replace("oapi.dingtalk.com", "oapi.dingtalk.com.example.cn")
    page.get_by_label("群机器人 Webhook 地址").fill(wrong)
    page.get_by_label("钉钉加签密钥").fill(DINGTALK_SECRET)
    page.get_by_role("button", name="保存工作群和在校时间").click()
    expect(
        page.get_by_text("这不是钉钉群机器人的地址：应以 https://oapi.dingtalk.com/robot/send 开头。")
    ).to_be_visible()
    assert page.get_by_label("群机器人 Webhook 地址").input_value() == wrong
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("群机器人 Webhook 地址").fill(DINGTALK_URL)
    page.get_by_label("钉钉加签密钥").fill(DINGTALK_SECRET)
    page.get_by_role("button", name="保存工作群和在校时间").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    expect(page.get_by_text("已保存密钥。")).to_be_visible()
    page.get_by_role("button", name="向工作群发送测试消息").click()
    expect(page.get_by_text("测试消息正在发送，结果显示在下方。")).to_be_visible()
    expect(page.get_by_text("来自后勤管理平台的测试消息")).to_be_visible()
    [(path, query, body)] = robot.requests
    assert path == "/robot/send" and {"timestamp", "sign", "access_token"} <= set(query)
    assert body["markdown"]["title"] == "来自后勤管理平台的测试消息"
    robot.server.shutdown()
    db.session.rollback()
