"""Scanning a station's poster on a 360 px phone, taps counted against the way through the
menus: a fridge's reading (the scan, the temperature, save: 3 taps, 4 from the home page), a
dormitory room's check (the scan and save: 2 taps, 3 from the home page), a canteen room's
disinfection and a food sample (3 taps each, 4 from the home page) and an additive use (4, 5); a
scan before logging in goes through the login to the same form."""

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import CabinetPurpose, Role
from portal.timeutil import school_now
from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, log_in
from tests.browser.test_storeroom_on_a_phone import Taps

pytestmark = pytest.mark.browser


@pytest.fixture
def stations(school, open_today, create_user):
    create_user(Role.STAFF, school, username="keeper", display_name="郑国平", canteen_worker=True)
    create_user(Role.STAFF, school, username="dorm", display_name="林淑芬", dormitory_manager=True)
    fridge = factories.create_cold_unit(school, "冷藏冰箱")
    factories.create_cold_unit(school, "冷冻冰柜")
    room = factories.dorm_room(school, "301")
    factories.dorm_room(school, "302")
    db.session.commit()
    codes = {"fridge": (fridge.id, fridge.station_code), "room": (room.id, room.station_code)}
    db.session.rollback()  # the test holds no lock while the server writes
    return codes


def _scan(taps, page, live_server, code):
    taps.count += 1  # the phone's camera opens the poster's link
    page.goto(f"{live_server}/at/{code}")


def test_a_fridge_and_a_room_scanned_take_a_tap_fewer(open_page, live_server, stations):
    (_fridge_id, fridge), (_room_id, room) = stations["fridge"], stations["room"]
    page = open_page(phone=True)
    log_in(page, live_server, "keeper", factories.PASSWORD)
    taps = Taps(page)
    _scan(taps, page, live_server, fridge)
    expect(page.get_by_role("heading", name="冷藏冰箱")).to_be_visible()
    assert "冷冻冰柜" not in page.inner_text("main")  # the fridge is chosen: no wrong one
    taps.fill(page.get_by_label("温度（℃）"), "4.5")
    taps.click(page.get_by_role("button", name="保存温度"))
    expect(page.get_by_text("冷藏冰箱：已记录 4.5 ℃。")).to_be_visible()
    assert_no_sideways_scroll(page)
    scanned_reading = taps.count

    taps = Taps(page)
    page.goto(live_server + "/")
    taps.click(page.locator("main").get_by_role("link", name="库房"))
    taps.click(page.locator("main").get_by_role("link", name="温度", exact=True))
    taps.fill(page.locator(".card", has_text="冷冻冰柜").get_by_label("温度（℃）"), "3.5")
    taps.click(page.locator(".card", has_text="冷冻冰柜").get_by_role("button", name="保存温度"))
    expect(page.get_by_text("冷冻冰柜：已记录 3.5 ℃。")).to_be_visible()
    menus_reading = taps.count

    dorm = open_page(phone=True)
    log_in(dorm, live_server, "dorm", factories.PASSWORD)
    taps = Taps(dorm)
    _scan(taps, dorm, live_server, room)
    expect(dorm.get_by_role("heading", name="检查 男生1号楼301")).to_be_visible()
    assert_no_sideways_scroll(dorm)
    taps.click(dorm.get_by_role("button", name="保存并检查下一间"))
    expect(dorm.get_by_text("男生1号楼301已检查。")).to_be_visible()
    scanned_room = taps.count

    taps = Taps(dorm)
    dorm.goto(live_server + "/")
    taps.click(dorm.locator("main").get_by_role("link", name="宿舍内务检查"))
    taps.click(dorm.get_by_role("link", name="检查 男生1号楼302"))
    taps.click(dorm.get_by_role("button", name="保存并检查下一间"))
    expect(dorm.get_by_text("男生1号楼302已检查。")).to_be_visible()
    menus_room = taps.count
    print(
        f"taps: reading scanned {scanned_reading}, by the menus {menus_reading}; "
        f"room scanned {scanned_room}, by the menus {menus_room}"
    )
    assert (scanned_reading, menus_reading, scanned_room, menus_room) == (3, 4, 2, 3)


def test_a_scan_before_logging_in_goes_through_the_login(open_page, live_server, stations):
    fridge_id, code = stations["fridge"]
    page = open_page(phone=True)
    page.goto(f"{live_server}/at/{code}")
    page.fill("#username", "keeper")
    page.fill("#password", factories.PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", name="冷藏冰箱")).to_be_visible()
    assert f"unit={fridge_id}" in page.url
    assert_no_sideways_scroll(page)


@pytest.fixture
def canteen_stations(school, open_today, create_user):
    today = open_today
    cook = create_user(Role.STAFF, school, username="cook", display_name="赵桂兰", canteen_worker=True)
    meal = school.settings.meal_at(school_now(school).time())
    factories.create_dish(school, "红烧肉", day=today, meal=meal)
    factories.create_dish(school, "清炒白菜", day=today, meal=meal)
    factories.create_additive(school, cook, name="泡打粉")
    washing, serving = factories.create_room(school, "洗消间"), factories.create_room(school, "备餐间")
    samples = factories.create_cabinet(school, "留样柜")
    additives = factories.create_cabinet(school, "添加剂专柜", CabinetPurpose.ADDITIVES)
    codes = {
        "room": washing.station_code,
        "samples": samples.station_code,
        "additives": additives.station_code,
        "meal": str(meal.label),
    }
    del serving
    db.session.rollback()
    return codes


def _choose(taps, select, option):
    taps.count += 1  # the phone's own list of choices: a tap to open it, the choice closes it
    select.select_option(index=option) if isinstance(option, int) else select.select_option(label=option)


def test_a_canteen_room_and_the_cabinets_scanned_take_a_tap_fewer(open_page, live_server, canteen_stations):
    page = open_page(phone=True)
    log_in(page, live_server, "cook", factories.PASSWORD)
    counts = {}

    def by_scan(code):
        taps = Taps(page)
        _scan(taps, page, live_server, code)
        assert_no_sideways_scroll(page)
        return taps

    def by_menus(*links):
        taps = Taps(page)
        page.goto(live_server + "/")
        taps.click(page.locator("main").get_by_role("link", name="食堂今日"))
        for link in links:
            taps.click(link)
        return taps

    taps = by_scan(canteen_stations["room"])
    assert "备餐间" not in page.inner_text("main")  # the room is chosen
    taps.fill(page.get_by_label("消毒方式"), "紫外线灯照射30分钟")
    taps.click(page.get_by_role("button", name="今日已消毒"))
    expect(page.get_by_text("洗消间：消毒已记录。")).to_be_visible()
    counts["room scanned"] = taps.count
    taps = by_menus(page.locator(".card", has_text="场所消毒与四防").get_by_role("link", name="填写"))
    taps.fill(page.locator(".card", has_text="备餐间").get_by_label("消毒方式"), "84消毒液擦拭")
    taps.click(page.locator(".card", has_text="备餐间").get_by_role("button", name="今日已消毒"))
    expect(page.get_by_text("备餐间：消毒已记录。")).to_be_visible()
    counts["room by the menus"] = taps.count

    taps = by_scan(canteen_stations["samples"])  # the meal being served, its dishes
    taps.fill(page.locator(".card", has_text="红烧肉").get_by_label("重量（克）"), "150")
    taps.click(page.locator(".card", has_text="红烧肉").get_by_role("button", name="已留样"))
    expect(page.locator(".card", has_text="红烧肉")).to_contain_text("已留样: 150")
    counts["sample scanned"] = taps.count
    meal_card = page.locator(".card", has=page.get_by_role("heading", name=canteen_stations["meal"]))
    taps = by_menus(meal_card.get_by_role("link", name="填写"))
    taps.fill(page.locator(".card", has_text="清炒白菜").get_by_label("重量（克）"), "130")
    taps.click(page.locator(".card", has_text="清炒白菜").get_by_role("button", name="已留样"))
    expect(page.locator(".card", has_text="清炒白菜")).to_contain_text("已留样: 130")
    counts["sample by the menus"] = taps.count

    taps = by_scan(canteen_stations["additives"])
    _choose(taps, page.get_by_label("菜品"), 1)
    taps.fill(page.get_by_label("用量（克）"), "5")
    taps.click(page.get_by_role("button", name="登记使用"))
    expect(page.get_by_text("泡打粉 5 g").first).to_be_visible()
    counts["additive scanned"] = taps.count
    taps = by_menus(page.get_by_role("link", name="食品添加剂使用记录"))
    _choose(taps, page.get_by_label("菜品"), 1)
    taps.fill(page.get_by_label("用量（克）"), "3")
    taps.click(page.get_by_role("button", name="登记使用"))
    expect(page.get_by_text("泡打粉 3 g").first).to_be_visible()
    counts["additive by the menus"] = taps.count
    print("taps:", counts)
    assert counts == {
        "room scanned": 3,
        "room by the menus": 4,
        "sample scanned": 3,
        "sample by the menus": 4,
        "additive scanned": 4,
        "additive by the menus": 5,
    }


def test_the_public_posters_links_open_on_a_phone_without_a_login(open_page, live_server, school, create_user):
    create_user(Role.SCHOOL_ADMIN, school, username="clerk")
    admin = open_page()
    log_in(admin, live_server, "clerk", factories.PASSWORD)
    admin.goto(f"{live_server}/stations")
    links = admin.locator(".station-cards .card p.small").all_inner_texts()
    public = [link for link in links if "/p/" in link]
    assert len(public) == 2
    phone = open_page(phone=True)  # nobody logged in: a parent's phone
    for link, heading in zip(sorted(public), ("食堂公示", "校园食安码：向学校反映食堂问题"), strict=True):
        phone.goto(live_server + link[link.index("/p/") :])
        expect(phone.get_by_role("heading", name=heading)).to_be_visible()
        assert "/login" not in phone.url
        assert_no_sideways_scroll(phone)
