"""The dormitory manager's evening on a phone, in Chinese, with every tap counted: from the
home page to the first room, a room with a problem (a deduction over the item's points
refused, the typed value kept), straight on to the next room; then the class teacher reads
the day's notice on the home page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import DormCheck, Role
from portal.timeutil import school_today
from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, log_in
from tests.browser.test_storeroom_on_a_phone import Taps

pytestmark = pytest.mark.browser


def test_the_dormitory_managers_evening_on_a_phone(open_page, live_server, school, create_user):
    today = school_today(school)
    factories.add_term(school, today - timedelta(days=30), today + timedelta(days=30))
    create_user(Role.STAFF, school, username="dorm", display_name="林淑芬", dormitory_manager=True)
    teacher = create_user(Role.STAFF, school, username="teacher", display_name="许静")
    seven_1 = factories.add_class(school, "七(1)班", class_teacher=teacher)
    first, second = factories.dorm_room(school, "301"), factories.dorm_room(school, "302")
    factories.dorm_bed(first, seven_1, "李明")
    factories.dorm_bed(second, seven_1, "王强")
    db.session.commit()

    page = open_page(phone=True)
    log_in(page, live_server, "dorm", factories.PASSWORD)
    taps = Taps(page)
    taps.click(page.locator("main").get_by_role("link", name="宿舍内务检查"))
    taps.click(page.get_by_role("link", name="检查 男生1号楼301"))
    taps.fill(page.get_by_label("被子叠放成方块，床铺平整"), "25")
    taps.click(page.get_by_role("button", name="保存并检查下一间"))
    expect(page.get_by_text("扣分不能超过 20 分")).to_be_visible()
    assert page.get_by_label("被子叠放成方块，床铺平整").input_value() == "25"
    taps.fill(page.get_by_label("被子叠放成方块，床铺平整"), "5")
    taps.fill(page.get_by_label("问题说明"), "被子没叠")
    taps.click(page.get_by_role("button", name="保存并检查下一间"))
    expect(page.get_by_text("男生1号楼301已检查。")).to_be_visible()
    expect(page.get_by_role("heading", name="检查 男生1号楼302")).to_be_visible()
    assert_no_sideways_scroll(page)
    taps.click(page.get_by_role("button", name="保存并检查下一间"))  # a room with nothing wrong: one tap
    expect(page.get_by_text("所有宿舍已检查。")).to_be_visible()
    assert taps.count == 8, taps.count
    db.session.expire_all()
    assert sorted(check.score for check in db.session.query(DormCheck)) == [95, 100]
    db.session.rollback()  # the test holds no lock while the server writes

    class_teacher = open_page(phone=True)
    log_in(class_teacher, live_server, "teacher", factories.PASSWORD)
    expect(class_teacher.get_by_text("七(1)班今日宿舍通报 · 平均 97.5 分")).to_be_visible()
    expect(class_teacher.get_by_text("被子叠放成方块，床铺平整 −5")).to_be_visible()
    assert_no_sideways_scroll(class_teacher)
