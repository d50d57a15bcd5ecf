"""A survey answered on a phone with no login: the clerk writes a menu survey and opens it,
a student opens the link on a phone (nothing personal asked), rates the dishes and sends;
the same phone cannot answer twice; the clerk sees the dish least liked and its QR code."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Role, SurveyResponse
from portal.timeutil import school_today
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_student_answers_on_a_phone_without_logging_in(open_page, live_server, school, create_user):
    today = school_today(school)
    factories.add_term(school, today - timedelta(days=30), today + timedelta(days=30))
    create_user(Role.SCHOOL_ADMIN, school, username="clerk", display_name="王晓燕")
    served = today - timedelta(days=2)
    while served.weekday() >= 5:  # a weekday: the canteen is closed at weekends
        served -= timedelta(days=1)
    factories.create_dish(school, "凉拌黄瓜", day=served)
    factories.create_dish(school, "红烧肉", day=served)
    db.session.commit()

    clerk = open_page()
    log_in(clerk, live_server, "clerk", factories.PASSWORD)
    clerk.goto(f"{live_server}/surveys")
    clerk.get_by_role("link", name="新建菜品调查").click()
    expect(clerk.get_by_label("题目（每行一题）")).to_have_value(
        "菜品：凉拌黄瓜\n菜品：红烧肉\n文字：你最不爱吃哪道菜？为什么？"
    )
    clerk.get_by_label("调查人数").fill("40")
    clerk.get_by_label("截止日期").fill((today + timedelta(days=7)).isoformat())
    clerk.get_by_role("button", name="保存问卷").click()
    expect(clerk.get_by_text("问卷已保存")).to_be_visible()
    clerk.get_by_role("button", name="开放问卷").click()
    expect(clerk.get_by_text("问卷已开放。")).to_be_visible()
    expect(clerk.get_by_alt_text("问卷二维码")).to_be_visible()
    link = clerk.get_by_label("发放用的链接：").input_value()

    phone = open_page(phone=True)
    phone.goto(link)
    expect(phone.get_by_text("匿名填写")).to_be_visible()
    assert phone.get_by_role("textbox").count() == 1  # the one question in words; no name, class or phone
    phone.get_by_role("group", name="你喜欢“凉拌黄瓜”吗？").get_by_text("1", exact=True).click()
    phone.get_by_role("group", name="你喜欢“红烧肉”吗？").get_by_text("5", exact=True).click()
    phone.get_by_role("textbox").fill("黄瓜太生")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("谢谢：你的回答已提交。")).to_be_visible()
    phone.goto(link)  # the same phone again: told at once, no form to fill in for nothing
    expect(phone.get_by_text("这部手机已经答过本问卷，谢谢。")).to_be_visible()
    assert phone.get_by_role("button", name="提交").count() == 0
    assert db.session.query(SurveyResponse).count() == 1
    db.session.rollback()

    clerk.reload()
    expect(clerk.get_by_text("调查 40 人，收回 1 份（2%）。")).to_be_visible()
    expect(clerk.get_by_text("凉拌黄瓜（1.0）")).to_be_visible()
