"""The clerk's month in the browser, in Chinese: the register's export read and previewed
(nothing saved before the confirmation), imported (the principal checks the import in one
step), two enrolment changes (one checked by the principal), today's report with the figures
to copy, last month's difference explained; the principal signs the month on a phone."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import DayKind, Reconciliation, Role, Student
from portal.timeutil import school_today
from tests import factories
from tests.browser.conftest import log_in
from tests.test_nutrition import register_file, students

pytestmark = pytest.mark.browser


def test_the_clerks_month_and_the_principals_signature(open_page, live_server, school, create_user, tmp_path):
    today = school_today(school)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    factories.add_term(school, last_month - timedelta(days=20), today + timedelta(days=60))
    if today.weekday() >= 5:
        factories.add_day(school, today, DayKind.MAKEUP_DAY, "调休")
    create_user(Role.SCHOOL_ADMIN, school, username="clerk", display_name="王晓燕")
    create_user(Role.PRINCIPAL, school, username="principal", display_name="刘德明")
    db.session.commit()
    path = tmp_path / "名册.xlsx"
    path.write_bytes(register_file(students(40)).getvalue())

    clerk = open_page()
    log_in(clerk, live_server, "clerk", factories.PASSWORD)
    clerk.goto(f"{live_server}/nutrition/roster")
    clerk.set_input_files("input[type=file]", str(path))
    clerk.get_by_role("button", name="读取文件").click()
    expect(clerk.get_by_text("名册中新增：40")).to_be_visible()
    assert db.session.query(Student).count() == 0  # nothing saved before the confirmation
    db.session.rollback()  # the test holds no lock while the server writes
    # The school's first import: its classes go on the class list once the clerk has seen them.
    expect(clerk.get_by_text("不在本校班级列表中").first).to_be_visible()
    clerk.get_by_role("button", name="将这 12 个班级加入班级列表").click()
    expect(clerk.get_by_text("这些班级已加入班级列表。")).to_be_visible()
    clerk.get_by_label("计入名册日期").fill(last_month.isoformat())
    clerk.get_by_role("button", name="确认导入").click()
    expect(clerk.get_by_text("名册已导入。")).to_be_visible()
    expect(clerk.get_by_text("名册在籍 40 名学生，其中 40 名享受营养餐补助。")).to_be_visible()

    clerk.goto(f"{live_server}/nutrition/changes")
    for kind, document in (("转出", "转学联系函 2026-017"), ("不再享受补助", "家庭经济情况变化")):
        clerk.get_by_label("学生").select_option(index=1 if kind == "转出" else 2)
        clerk.get_by_label("异动类型").select_option(label=kind)
        clerk.get_by_label("生效日期").fill(today.isoformat())
        clerk.get_by_label("依据文件").fill(document)
        clerk.get_by_role("button", name="登记异动").click()
        expect(clerk.get_by_text("异动已登记，须由第二人核对。")).to_be_visible()

    clerk.goto(f"{live_server}/nutrition/reports")
    clerk.get_by_label("午餐就餐人数").fill("39")
    clerk.get_by_label("其中教职工人数").fill("2")  # the first report asks; the next starts from it
    clerk.get_by_label("其中未享受补助学生人数").fill("0")
    clerk.get_by_role("button", name="保存上报").click()
    expect(clerk.get_by_text("的上报已保存。")).to_be_visible()
    assert "享受营养改善计划学生38人" in clerk.locator("input[readonly]").first.input_value()

    month = last_month.strftime("%Y-%m")
    clerk.goto(f"{live_server}/nutrition/reconciliation/{month}")
    expect(clerk.get_by_text("少支").first).to_be_visible()  # no food issued from the storeroom yet
    clerk.get_by_label("差额说明").fill("学校食堂于本月起使用平台库房台账，此前支出另有纸质台账")
    clerk.get_by_role("button", name="保存说明").click()
    expect(clerk.get_by_text("说明已保存。")).to_be_visible()

    principal = open_page(phone=True)
    log_in(principal, live_server, "principal", factories.PASSWORD)
    principal.goto(f"{live_server}/nutrition/changes")
    principal.get_by_role("button", name="已对照原始文件，核对本次导入的全部 80 条异动").click()
    expect(principal.get_by_text("已核对 80 条异动。")).to_be_visible()
    principal.get_by_role("button", name="已与依据文件核对").first.click()
    expect(principal.get_by_text("异动已核对。")).to_be_visible()
    principal.goto(f"{live_server}/nutrition/reconciliation/{month}")
    principal.get_by_label("输入您的密码以签字").fill(factories.PASSWORD)
    principal.get_by_role("button", name="签字确认本月核算").click()
    expect(principal.get_by_text("签字完成：本月对账已锁定存档。")).to_be_visible()
    assert principal.evaluate("document.documentElement.scrollWidth") <= 360
    db.session.expire_all()
    signed = db.session.query(Reconciliation).one()
    assert signed.signed_at is not None and signed.explanation.startswith("学校食堂")
