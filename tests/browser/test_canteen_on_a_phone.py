"""A canteen worker fills today's lunch ledger on a phone, in Chinese: a dish, a refused
light sample (the minimum shown, the typed value kept), the right sample, a disinfection;
the director reads the board and sees only the unchecked worker left in red; the principal
records the accompanied meal with a problem for the cook to fix, and the keeper a delivery
that one person may not accept alone."""

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Role
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_todays_lunch_ledger_on_a_phone(open_page, live_server, school, open_today, create_user):
    create_user(Role.STAFF, school, username="cook", display_name="赵桂兰", canteen_worker=True)
    create_user(Role.STAFF, school, username="helper", display_name="孙秀英", canteen_worker=True)
    create_user(Role.DIRECTOR, school, username="director", display_name="陈志强")
    create_user(Role.PRINCIPAL, school, username="principal", display_name="刘德明")
    factories.create_supplier(school, "县粮油购销公司")
    db.session.commit()

    cook = open_page(phone=True)
    log_in(cook, live_server, "cook", factories.PASSWORD)
    cook.goto(f"{live_server}/canteen/{open_today.isoformat()}/lunch")
    cook.get_by_label("菜品", exact=True).fill("番茄炒蛋")
    cook.get_by_role("button", name="加入菜单").click()
    expect(cook.get_by_text("菜品已加入菜单。")).to_be_visible()

    cook.get_by_label("重量（克）").fill("124")
    cook.get_by_role("button", name="已留样").click()
    expect(cook.get_by_text("留样每个菜品不少于 125 克。").first).to_be_visible()
    assert cook.get_by_label("重量（克）").input_value() == "124"
    cook.get_by_label("重量（克）").fill("125.5")
    cook.get_by_role("button", name="已留样").click()
    expect(cook.get_by_text("留样已记录。")).to_be_visible()
    expect(cook.get_by_text("须由留样人以外的人员当天审核。")).to_be_visible()  # not by the cook who kept it

    cook.get_by_label("温度（℃）或浓度（mg/L）").fill("100")
    cook.get_by_label("时长（分钟）").fill("10")
    cook.get_by_role("button", name="记录消毒").click()
    expect(cook.get_by_text("消毒已记录。")).to_be_visible()
    # Nothing on the page is wider than the phone.
    assert cook.evaluate("document.documentElement.scrollWidth") <= 360

    helper = open_page(phone=True)
    log_in(helper, live_server, "helper", factories.PASSWORD)
    helper.goto(f"{live_server}/canteen/{open_today.isoformat()}/lunch")
    expect(helper.get_by_text("125.5 g")).to_be_visible()
    helper.get_by_role("button", name="我已审核此留样：重量、密封和标签").click()
    expect(helper.get_by_text("留样已审核。")).to_be_visible()
    expect(helper.get_by_text("审核人：孙秀英")).to_be_visible()

    director = open_page(phone=True)
    log_in(director, live_server, "director", factories.PASSWORD)
    director.goto(f"{live_server}/canteen")
    board = director.inner_text("body")
    assert "番茄炒蛋" in board and "留样: 1 / 1" in board and "晨检: 0 / 2" in board
    unchecked = director.locator(".text-danger", has_text="未晨检")
    assert unchecked.count() == 2

    principal = open_page(phone=True)
    log_in(principal, live_server, "principal", factories.PASSWORD)
    principal.goto(f"{live_server}/canteen/{open_today.isoformat()}/lunch")
    principal.get_by_label("温度", exact=True).select_option(label="差")
    principal.get_by_role("button", name="我已陪学生用餐").click()
    expect(principal.get_by_text("请说明以下方面的问题：温度。")).to_be_visible()
    principal.get_by_label("发现问题", exact=True).fill("汤是凉的")
    principal.get_by_label("整改责任人").select_option(label="赵桂兰")
    principal.get_by_role("button", name="我已陪学生用餐").click()
    expect(principal.get_by_text("陪餐已记录。")).to_be_visible()
    assert principal.evaluate("document.documentElement.scrollWidth") <= 360

    cook.goto(f"{live_server}/canteen/{open_today.isoformat()}/deliveries")
    cook.get_by_label("供应商").select_option(label="县粮油购销公司")
    cook.locator("[name='items-0-name']").fill("大米")
    cook.locator("[name='items-0-quantity']").fill("8")
    cook.locator("[name='items-0-unit']").fill("袋")
    cook.get_by_role("button", name="记录进货查验").click()
    expect(cook.get_by_text("大宗食材须至少由2人共同验收。")).to_be_visible()
    assert cook.locator("[name='items-0-name']").input_value() == "大米"
    cook.get_by_label("陈志强").check()
    cook.get_by_role("button", name="记录进货查验").click()
    expect(cook.get_by_text("进货查验已记录。")).to_be_visible()
    assert cook.locator(".badge-danger", has_text="未索取票据").is_visible()  # no ticket was attached
    expect(cook.get_by_text("大宗", exact=False).first).to_be_visible()  # rice by the bag: bulk by the list
    assert cook.evaluate("document.documentElement.scrollWidth") <= 360
