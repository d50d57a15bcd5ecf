"""The workflow pages: what each role sees and can do, and what bad input gets."""

import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from PIL import Image

from portal.extensions import db
from portal.models import (
    Inspection,
    InspectionItem,
    InspectionPhoto,
    InspectionStatus,
    Notification,
    RectificationTask,
    Role,
    TaskStatus,
)
from portal.services import inspections, rectification, signing
from portal.timeutil import school_today, start_of_day_utc
from tests import factories
from tests.conftest import login


@pytest.fixture
def live(school, create_user):
    """A school in term today, with its people."""
    today = school_today(school)
    factories.add_term(school, today - timedelta(days=60), today + timedelta(days=60))
    return SimpleNamespace(
        school=school,
        today=today,
        principal=create_user(Role.PRINCIPAL, school, display_name="刘校长"),
        director=create_user(Role.DIRECTOR, school, display_name="陈主任"),
        cook=create_user(Role.STAFF, school, display_name="赵工友"),
        clerk=create_user(Role.SCHOOL_ADMIN, school),
    )


def start_today(client, live):
    """The director opens 'my inspections' (which plans the week) and starts an ad hoc
    inspection: today may be a weekend, when nothing is assigned."""
    login(client, live.director)
    assert client.get("/inspections").status_code == 200
    response = client.post("/inspections/start", data={"area": "厨房"})
    assert response.status_code == 302
    return db.session.scalar(sa.select(Inspection).order_by(Inspection.id.desc()))


def task_found_today(client, live, responsible):
    """The director's inspection today finds one problem, given to ``responsible``."""
    inspection = start_today(client, live)
    factories.answer_all(inspection, fail=(0,))
    client.post(
        f"/inspections/{inspection.id}/submit", data={f"responsible-item-{inspection.items[0].id}": responsible.id}
    )
    return db.session.scalar(sa.select(RectificationTask))


def jpeg_with_gps():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 0.0, 0.0)}  # a GPS position
    Image.new("RGB", (3000, 2000), "gray").save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_my_inspections_plans_the_week_and_lists_today(client, live):
    login(client, live.director)
    page = client.get("/inspections").get_data(as_text=True)
    assert "总务主任每日检查" in page or "没有为您安排" in page
    login(client, live.principal)
    assert client.get("/inspections").status_code == 200


def test_the_section_page_is_the_checklist_with_one_section_current_and_big_answers(client, live):
    inspection = start_today(client, live)
    page = client.get(f"/inspections/{inspection.id}/sections/2").get_data(as_text=True)
    assert page.count('class="inspection-item') == len(inspection.items)  # moving on loads nothing
    current = page.split('class="checklist-section current"')[1].split("</section>")[0]
    assert current.count('class="inspection-item') == len(inspection.sections[1][1])
    assert 'data-number="2"' in current and page.count('class="checklist-section') == len(inspection.sections)
    assert 'capture="environment"' in page and 'name="version-' in page
    assert client.get(f"/inspections/{inspection.id}/sections/99").status_code == 404


def test_autosave_saves_refuses_and_detects_conflicts(client, live):
    inspection = start_today(client, live)
    item = inspection.items[0]
    url, first_version = f"/inspections/{inspection.id}/items/{item.id}", item.version
    ok = client.post(url, json={"result": "pass", "note": "", "version": first_version})
    assert ok.status_code == 200 and ok.json["version"] == first_version + 1
    refused = client.post(url, json={"result": "fail", "note": "", "version": ok.json["version"]})
    assert refused.status_code == 422 and refused.json["field"] == "note"
    stale = client.post(url, json={"result": "fail", "note": "旧窗口", "version": first_version})
    assert stale.status_code == 409 and stale.json["current"]["result"] == "pass"
    assert db.session.get(InspectionItem, item.id).result.value == "pass"


def test_the_form_without_javascript_saves_a_whole_section(client, live):
    inspection = start_today(client, live)
    title, items = inspection.sections[0]
    data = {f"result-{item.id}": "pass" for item in items} | {f"version-{item.id}": item.version for item in items}
    data[f"result-{items[0].id}"] = "fail"
    data[f"note-{items[0].id}"] = "证照过期"
    response = client.post(f"/inspections/{inspection.id}/sections/1", data=data)
    assert response.headers["Location"].endswith("/sections/2#section-2")
    db.session.expire_all()
    assert db.session.get(InspectionItem, items[0].id).note == "证照过期"


def test_a_failed_item_without_a_note_is_reported_and_nothing_else_lost(client, live):
    inspection = start_today(client, live)
    _title, items = inspection.sections[0]
    data = {f"result-{item.id}": "pass" for item in items} | {f"version-{item.id}": item.version for item in items}
    data[f"result-{items[0].id}"] = "fail"
    response = client.post(f"/inspections/{inspection.id}/sections/1", data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "不合格项须填写说明" in page or "须填写说明" in page
    db.session.expire_all()
    assert db.session.get(InspectionItem, items[1].id).result.value == "pass"


def test_photos_are_resized_and_their_location_stripped(client, live, app):
    inspection = start_today(client, live)
    item = inspection.items[0]
    response = client.post(
        f"/inspections/{inspection.id}/photos",
        data={"item_id": item.id, "photo": (io.BytesIO(jpeg_with_gps()), "IMG_0001.JPG")},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    photo = db.session.scalar(sa.select(InspectionPhoto))
    stored = client.get(f"/files/{photo.stored_file_id}").data
    image = Image.open(io.BytesIO(stored))
    assert max(image.size) <= 2400 and not image.getexif().get(0x8825)


def test_a_photo_that_is_not_a_picture_is_refused(client, live):
    inspection = start_today(client, live)
    response = client.post(
        f"/inspections/{inspection.id}/photos",
        data={"item_id": inspection.items[0].id, "photo": (io.BytesIO(b"%PDF-1.4 not a photo"), "x.jpg")},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422 and "不接受" in response.json["error"]


def test_submitting_someone_elses_draft_is_refused(client, live):
    inspection = start_today(client, live)
    factories.answer_all(inspection)
    login(client, live.principal)
    response = client.post(f"/inspections/{inspection.id}/submit", follow_redirects=True)
    assert "只有检查人" in response.get_data(as_text=True)
    assert db.session.get(Inspection, inspection.id).status is InspectionStatus.DRAFT
    assert client.get(f"/inspections/{inspection.id}/sections/1", follow_redirects=True).status_code == 200


def test_submit_page_asks_who_fixes_each_problem(client, live):
    inspection = start_today(client, live)
    factories.answer_all(inspection, fail=(0,))
    page = client.get(f"/inspections/{inspection.id}/submit").get_data(as_text=True)
    key = f"item-{inspection.items[0].id}"
    assert f'name="responsible-{key}"' in page
    missing = client.post(f"/inspections/{inspection.id}/submit", data={})
    assert missing.status_code == 422
    done = client.post(f"/inspections/{inspection.id}/submit", data={f"responsible-{key}": live.cook.id})
    assert done.status_code == 302
    assert db.session.scalar(sa.select(RectificationTask.responsible_id)) == live.cook.id


def test_the_whole_cycle_through_the_pages(client, live):
    task = task_found_today(client, live, live.cook)
    inspection = task.inspection

    login(client, live.cook)
    assert "冰箱" in client.get("/").get_data(as_text=True) or task.description in client.get("/").get_data(
        as_text=True
    )
    assert client.post(f"/tasks/{task.id}/rectify", data={"note": ""}).status_code == 422
    assert client.post(f"/tasks/{task.id}/rectify", data={"note": "已维修"}).status_code == 302
    assert client.post(f"/tasks/{task.id}/verify").status_code == 403  # staff do not verify

    login(client, live.director)
    assert client.post(f"/tasks/{task.id}/verify").status_code == 302
    assert db.session.get(RectificationTask, task.id).status is TaskStatus.VERIFIED

    login(client, live.principal)
    queue = client.get("/sign-off").get_data(as_text=True)
    assert f'value="{inspection.id}"' in queue
    confirm = client.post("/sign-off/confirm", data={"inspection_id": inspection.id})
    assert "检查签字后不可更改" in confirm.get_data(as_text=True) or confirm.status_code == 200
    wrong = client.post("/sign-off", data={"inspection_id": inspection.id, "password": "nope"})
    assert wrong.status_code == 409 and "密码不正确" in wrong.get_data(as_text=True)
    signed = client.post("/sign-off", data={"inspection_id": inspection.id, "password": factories.PASSWORD})
    assert signed.status_code == 302
    assert db.session.get(Inspection, inspection.id).status is InspectionStatus.SIGNED_OFF

    login(client, live.director)
    again = client.post(f"/inspections/{inspection.id}/sections/1", data={}, follow_redirects=True)
    assert "不能再修改" in again.get_data(as_text=True)


def test_the_director_cannot_sign_off(client, live):
    login(client, live.director)
    assert client.get("/sign-off").status_code == 403
    assert client.post("/sign-off", data={"inspection_id": 1, "password": factories.PASSWORD}).status_code == 403


def test_verifying_your_own_fix_is_refused_on_the_page(client, live):
    task = task_found_today(client, live, live.director)
    client.post(f"/tasks/{task.id}/rectify", data={"note": "我修好了"})
    response = client.post(f"/tasks/{task.id}/verify")
    assert response.status_code == 422
    assert "必须由整改人以外的人" in response.get_data(as_text=True)


def test_an_extension_before_the_finding_is_refused_on_the_page(client, live):
    task = task_found_today(client, live, live.cook)
    earlier = (live.today - timedelta(days=2)).isoformat() + "T08:00"
    response = client.post(f"/tasks/{task.id}/extend", data={"deadline": earlier, "reason": "写错"})
    assert response.status_code == 422 and "须晚于发现问题的时间" in response.get_data(as_text=True)
    no_reason = client.post(
        f"/tasks/{task.id}/extend", data={"deadline": (live.today + timedelta(days=2)).isoformat() + "T08:00"}
    )
    assert no_reason.status_code == 422


def test_staff_see_only_their_own_tasks(client, live, create_user):
    task = task_found_today(client, live, live.cook)
    login(client, create_user(Role.STAFF, live.school))
    assert client.get(f"/tasks/{task.id}").status_code == 404


def test_a_deadline_at_midnight_reads_as_24_00_of_the_day_before(client, live):
    """As notices write it: the end of the 10th is 10日 24:00, not 11日 00:00."""
    task = task_found_today(client, live, live.cook)
    task.deadline = start_of_day_utc(live.today + timedelta(days=1), live.school)
    db.session.commit()
    login(client, live.cook)
    end_of_today = f"{live.today.month}月{live.today.day}日 24:00"
    for url in (f"/tasks/{task.id}", "/tasks", "/"):
        page = client.get(url).get_data(as_text=True)
        assert end_of_today in page and " 00:00" not in page, url


def test_compliance_pages_and_their_bad_input(client, live, create_user):
    login(client, live.principal)
    assert client.get("/compliance").status_code == 200
    assert client.get("/compliance?range=term").status_code == 200
    backwards = client.get("/compliance?range=custom&from=2026-10-10&to=2026-10-01").get_data(as_text=True)
    assert "结束日期早于开始日期" in backwards
    too_long = client.get("/compliance?range=custom&from=2020-01-01&to=2026-01-01").get_data(as_text=True)
    assert "一年" in too_long
    garbage = client.get("/compliance?range=custom&from=yesterday&to=1").get_data(as_text=True)
    assert "YYYY-MM-DD" in garbage
    login(client, create_user(Role.COUNTY_AUDITOR))
    county = client.get("/compliance").get_data(as_text=True)
    assert live.school.name in county
    assert client.get(f"/compliance?school={live.school.id}").status_code == 200
    assert client.get("/compliance?school=99999").status_code == 404


def test_excusing_a_missed_assignment_needs_the_clerk_and_a_reason(client, live):
    from portal.services import planning

    first = live.today - timedelta(days=14)
    planning.plan(None, live.school, first, first + timedelta(days=6), first)
    db.session.commit()
    missed = next(a for a in planning.assignments_between(live.school.id, first, first + timedelta(days=6)))
    login(client, live.director)
    assert client.post(f"/assignments/{missed.id}/excuse", data={"reason": "开会"}).status_code == 403
    login(client, live.clerk)
    assert client.post(f"/assignments/{missed.id}/excuse", data={"reason": ""}).status_code == 200
    assert client.post(f"/assignments/{missed.id}/excuse", data={"reason": "县里开会"}).status_code == 302
    db.session.expire_all()
    assert missed.excused_reason == "县里开会"


def test_notifications_show_in_the_navigation_and_can_be_read(client, live):
    task_found_today(client, live, live.cook)
    login(client, live.cook)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'通知 <span class="badge badge-danger"[^>]*>1</span>', home)
    listing = client.get("/notifications").get_data(as_text=True)
    assert "分配给您的整改" in listing
    client.post("/notifications/read")
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(Notification.read_at.is_(None)))
        == 0
    )


def school_hours(live):
    """10:00 on the school's next school day: school hours, when email goes out (escalations
    go at any time)."""
    return factories.school_moment(factories.next_school_day(live.school), 10)


def test_email_goes_out_only_when_smtp_is_configured(app, live, monkeypatch):
    from portal.services import notifications

    live.cook.email = "cook@example.cn"
    inspection = inspections.start_ad_hoc(live.director, "厨房")
    factories.answer_all(inspection, fail=(0,))
    inspections.submit(live.director, inspection, {f"item-{inspection.items[0].id}": live.cook})
    db.session.commit()
    assert notifications.send_pending_email() == 0  # no SMTP: nothing sent, nothing breaks
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append(message)

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.cn")
    assert notifications.send_pending_email(now=school_hours(live) + timedelta(hours=12)) == 0  # not at night
    assert notifications.send_pending_email(now=school_hours(live)) == 1
    message = sent[-1]
    assert message["To"] == "cook@example.cn" and "整改" in message["Subject"]
    assert notifications.send_pending_email(now=school_hours(live)) == 0  # once


def test_an_unreachable_smtp_server_breaks_nothing(app, live, monkeypatch):
    from portal.services import notifications

    live.cook.email = "cook@example.cn"
    inspection = inspections.start_ad_hoc(live.director, "厨房")
    factories.answer_all(inspection, fail=(0,))
    inspections.submit(live.director, inspection, {f"item-{inspection.items[0].id}": live.cook})
    db.session.commit()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # nothing listens there
    assert notifications.send_pending_email(now=school_hours(live)) == 0


def test_the_principal_home_shows_overdue_work_and_the_chain_head(client, live):
    inspection = inspections.start_ad_hoc(live.director, "厨房")
    factories.answer_all(inspection, fail=(0,))
    inspections.submit(live.director, inspection, {f"item-{inspection.items[0].id}": live.cook})
    task = inspection.tasks[0]
    task.deadline = task.found_at + timedelta(minutes=1)
    task.found_at = task.found_at - timedelta(hours=2)
    task.deadline = task.found_at + timedelta(hours=1)
    db.session.commit()
    login(client, live.principal)
    home = client.get("/").get_data(as_text=True)
    assert "逾期未整改" in home and task.description in home
    assert "审计记录" in home
    assert rectification.overdue(live.school.id)


@pytest.mark.parametrize(
    "body",
    [{"version": "abc", "result": "pass"}, {"result": "maybe"}, [1, 2], {"note": 5, "result": "fail"}, "text", 7],
    ids=["version-text", "result-unknown", "a-list", "note-number", "a-string", "a-number"],
)
def test_autosave_refuses_what_it_cannot_read_with_a_message(client, live, body):
    inspection = start_today(client, live)
    item = inspection.items[0]
    response = client.post(f"/inspections/{inspection.id}/items/{item.id}", json=body)
    assert response.status_code in (400, 422)
    assert re.search(r"[\u4e00-\u9fff]", response.json["error"])  # a message in Chinese
    db.session.expire_all()
    assert db.session.get(InspectionItem, item.id).result is None


def test_a_returned_inspection_waits_for_its_inspector_on_my_inspections(client, live):
    from portal.services import planning
    from portal.services.calendar import monday_of

    monday = monday_of(live.today)  # a school day of this week, whatever day today is
    factories.make_school_day(live.school, monday)  # the week of a holiday too
    planning.plan(None, live.school, monday, monday + timedelta(days=6), live.today)
    [assignment] = factories.assignments(live.school, Role.DIRECTOR, monday, monday)
    inspection = inspections.start_from_assignment(live.director, assignment, today=monday)
    factories.answer_all(inspection)
    inspections.submit(live.director, inspection, {})
    signing.return_to_inspector(live.principal, inspection, "第三项请补充说明")
    db.session.commit()
    login(client, live.director)
    page = client.get("/inspections").get_data(as_text=True)
    assert "已退回，待您修改" in page and f"/inspections/{inspection.id}/sections/1" in page


def test_all_other_items_of_a_section_pass_without_javascript(client, live):
    inspection = start_today(client, live)
    title, items = inspection.sections[0]
    data = {f"version-{item.id}": item.version for item in inspection.items}
    data |= {f"result-{items[0].id}": "fail", f"note-{items[0].id}": "证照过期", "all_pass": "1"}
    response = client.post(f"/inspections/{inspection.id}/sections/1", data=data)
    assert response.headers["Location"].endswith("/sections/2#section-2")
    db.session.expire_all()
    results = [db.session.get(InspectionItem, item.id).result.value for item in items]
    assert results == ["fail"] + ["pass"] * (len(items) - 1)  # the failure stays a failure
    others = [item for title, section in inspection.sections[1:] for item in section]
    assert all(db.session.get(InspectionItem, item.id).result is None for item in others)


def test_a_section_passes_in_one_request(client, live):
    inspection = start_today(client, live)
    _title, items = inspection.sections[2]
    first = client.post(f"/inspections/{inspection.id}/items/{items[0].id}", json={"result": "fail", "note": "脏"})
    assert first.status_code == 200
    response = client.post(f"/inspections/{inspection.id}/sections/3/all-pass", json={})
    assert response.status_code == 200
    assert [row["id"] for row in response.json["items"]] == [item.id for item in items[1:]]
    db.session.expire_all()
    assert db.session.get(InspectionItem, items[0].id).result.value == "fail"
    assert client.post(f"/inspections/{inspection.id}/sections/99/all-pass", json={}).status_code == 404
    login(client, live.principal)  # not the inspector
    assert client.post(f"/inspections/{inspection.id}/sections/3/all-pass", json={}).status_code == 422


def test_todays_inspection_is_one_tap_from_the_home_page(client, live):
    from portal.services import calendar, planning
    from portal.services.calendar import monday_of

    login(client, live.director)
    if not calendar.load(live.school.id, live.today, live.today).is_school_day(live.today):
        # a weekend or a holiday: nothing is due, nothing is offered; then a make-up day
        assert "今天的检查" not in client.get("/").get_data(as_text=True)
        factories.make_school_day(live.school, live.today)
    planning.plan(None, live.school, monday_of(live.today), monday_of(live.today) + timedelta(days=6), live.today)
    db.session.commit()
    [due] = planning.due_today_for(live.director, live.today)
    home = client.get("/").get_data(as_text=True)
    assert "开始今天的检查：总务主任每日检查" in home and f'value="{due.id}"' in home
    started = client.post("/inspections/start", data={"assignment_id": due.id})
    assert "/sections/1" in started.headers["Location"]
    assert "继续今天的检查" in client.get("/").get_data(as_text=True)
