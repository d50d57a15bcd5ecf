"""The storekeeper's day on a phone, in Chinese, with every tap counted: today's accepted
delivery put away, rice issued for lunch (more than is there refused, the typed value kept),
the fridge read twice (the afternoon's too warm: an action and who fixes it); then the
director signs the month's stocktake after the keeper."""

import re

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Role
from portal.services import storeroom
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


class Taps:
    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, text):
        self.count += 1  # the tap into the field; typing is not a tap
        locator.fill(text)


def test_the_keepers_day_on_a_phone(open_page, live_server, school, open_today, create_user):
    keeper = create_user(Role.STAFF, school, username="keeper", display_name="郑国平")
    cook = create_user(Role.STAFF, school, username="cook", display_name="赵桂兰", canteen_worker=True)
    create_user(Role.DIRECTOR, school, username="director", display_name="陈志强")
    supplier = factories.create_supplier(school, "县粮油购销公司")
    factories.accept_delivery(supplier, [keeper, cook], day=open_today, now=factories.school_moment(open_today, 0))
    factories.create_cold_unit(school, "冷藏冰箱")
    db.session.commit()

    page = open_page(phone=True)
    log_in(page, live_server, "keeper", factories.PASSWORD)
    taps = Taps(page)
    taps.click(page.locator("main").get_by_role("link", name="库房"))
    taps.click(page.locator("main").get_by_role("link", name=re.compile(r"^入库 1$")))
    assert "县粮油购销公司" in page.inner_text("main")
    taps.click(page.get_by_role("button", name="全部入库"))
    expect(page.get_by_text("1 种货品已入库。")).to_be_visible()
    put_away = taps.count

    taps.click(page.get_by_role("link", name="返回库房"))
    taps.click(page.locator("main").get_by_role("link", name="出库", exact=True))
    page.get_by_label("物品").select_option(label="大米（20kg）")
    taps.count += 1
    taps.fill(page.get_by_label("数量"), "25")
    taps.click(page.get_by_role("button", name="出库", exact=True))
    expect(page.get_by_text("大米：库存只有 20kg。")).to_be_visible()
    assert page.get_by_label("数量").input_value() == "25"
    taps.fill(page.get_by_label("数量"), "8")
    taps.click(page.get_by_role("button", name="出库", exact=True))
    expect(page.get_by_text("大米 8kg 已出库。")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    issued = taps.count - put_away

    before = taps.count
    taps.click(page.get_by_role("link", name="返回库房"))
    taps.click(page.locator("main").get_by_role("link", name="温度", exact=True))
    taps.fill(page.get_by_label("温度（℃）"), "4.5")
    taps.click(page.get_by_role("button", name="保存温度"))
    expect(page.get_by_text("冷藏冰箱：已记录 4.5 ℃。")).to_be_visible()
    taps.fill(page.get_by_label("温度（℃）"), "9.1")
    taps.click(page.get_by_role("button", name="保存温度"))
    expect(page.get_by_text("应保持在 0.0–8.0 ℃")).to_be_visible()
    taps.fill(page.get_by_label("处理措施"), "门未关严，已关好，1小时后复测")
    page.get_by_label("整改责任人").select_option(label="赵桂兰")
    taps.count += 1
    taps.click(page.get_by_role("button", name="保存温度"))
    expect(page.get_by_text("冷藏冰箱：已记录 9.1 ℃。")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    readings = taps.count - before
    # What the closing note reports: taps from home for each job, a refusal included.
    print(f"taps: put away {put_away}, issue {issued}, two readings {readings}")
    assert (put_away, issued, readings) == (3, 7, 9)

    month = open_today.strftime("%Y-%m")
    page.goto(f"{live_server}/storeroom/stocktake/{month}")
    page.get_by_role("button", name="开始盘点").click()
    page.get_by_placeholder("差异原因").fill("称重损耗")
    page.locator("input[name^=counted-]").fill("11.5")
    page.get_by_role("button", name="保存盘点").click()
    expect(page.get_by_text("盘点数量已保存。")).to_be_visible()
    page.locator("#keeper-password").fill(factories.PASSWORD)
    page.get_by_role("button", name="保管员签字").click()

    director = open_page(phone=True)
    log_in(director, live_server, "director", factories.PASSWORD)
    director.goto(f"{live_server}/storeroom/stocktake/{month}")
    assert "差异 -0.5kg" in director.inner_text("main")
    director.locator("#director-password").fill(factories.PASSWORD)
    director.get_by_role("button", name="总务主任签字：按差异调整账面").click()
    expect(director.get_by_text("盘点已签字：账面已按实盘调整。")).to_be_visible()
    assert director.evaluate("document.documentElement.scrollWidth") <= 360
    db.session.expire_all()
    assert storeroom.on_hand(school.id)[0].on_hand == 11.5
