"""校园食安码: a complaint left with no login (the device cookie the server signed, a limit per
address, a bounded photo, nothing typed lost on a refusal), answered by the school's office within
3 days (3 days on time, a minute more late; the county sees open and late), frozen once answered
(by the service and the database), a confirmed problem a rectification task, and the answer shown
on the phone that sent it and on no other. The contact is read only by who answers."""

import io
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from portal.extensions import db, limiter
from portal.models import AuditEvent, Complaint, RectificationTask, Role
from portal.services import complaints, compliance
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY, school_moment
from tests.tamper import refused_by_the_database

RECEIVED = school_moment(LEDGER_DAY, 12, 40)
TEXT = "今天午餐的米饭夹生，青菜是凉的"


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def _form(school):
    return f"/p/{school.public_token}/complaint"


def _send(phone, school, text=TEXT, address="198.51.100.7", **fields):
    return phone.post(_form(school), data={"text": text, **fields}, environ_base={"REMOTE_ADDR": address})


def _phone(app, school):
    """A phone that opened the form from its code: it holds the server's device cookie."""
    phone = app.test_client()
    assert phone.get(_form(school)).status_code == 200
    return phone


def _jpeg(size=(80, 60)):
    picture = io.BytesIO()
    Image.new("RGB", size, "white").save(picture, "JPEG")
    picture.seek(0)
    return picture, "phone.jpg"


def _stored():
    return db.session.scalars(sa.select(Complaint).order_by(Complaint.id)).all()


def test_a_phone_sends_a_complaint_with_no_login_and_sees_it(app, school):
    assert app.test_client().get("/p/not-a-school/complaint").status_code == 404
    phone = _phone(app, school)
    page = _send(phone, school, contact="13800001111").get_data(as_text=True)
    assert "学校已收到" in page and TEXT in page and "3 天内" in page
    [complaint] = _stored()
    assert complaint.contact == "13800001111" and complaint.answer_due == complaint.received_at + timedelta(days=3)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "complaint.created"))
    assert event.actor_id is None and "13800001111" not in str(event.after) and TEXT in str(event.after)


def test_without_the_servers_cookie_or_words_nothing_is_stored_and_nothing_typed_lost(app, client, school):
    first = _send(client, school)  # no cookie: refused, and the page gives one
    assert first.status_code == 422 and "二维码" in first.get_data(as_text=True)
    assert TEXT in first.get_data(as_text=True) and _stored() == []
    client.set_cookie("survey_device", "made-up")
    assert _send(client, school).status_code == 422 and _stored() == []
    phone = _phone(app, school)
    empty = _send(phone, school, text="  ")
    assert empty.status_code == 422 and "说明" in empty.get_data(as_text=True)
    long = _send(phone, school, text="饭" * 501, contact="微信 abc")
    assert (
        long.status_code == 422 and "500" in long.get_data(as_text=True) and "微信 abc" in long.get_data(as_text=True)
    )
    assert _send(phone, school, text="饭" * 500).status_code == 200 and len(_stored()) == 1


def test_complaints_from_one_address_are_limited(app, school, monkeypatch):
    monkeypatch.setitem(app.config, "COMPLAINTS_PER_ADDRESS", "3 per hour")
    statuses = [_send(_phone(app, school), school, text=f"{TEXT}{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429] and len(_stored()) == 3
    flood = _send(_phone(app, school), school, text="第六条")
    assert "太多" in flood.get_data(as_text=True)
    assert _send(_phone(app, school), school, address="203.0.113.9").status_code == 200  # another network


def test_the_photo_is_bounded_and_read_only_by_who_answers(app, client, school, people, monkeypatch):
    phone = _phone(app, school)
    monkeypatch.setitem(app.config, "UPLOAD_LIMIT_PHOTO_MB", 1)
    too_large = io.BytesIO(b"\xff\xd8" + b"0" * (1024 * 1024 + 10))
    refusal = _send(phone, school, photo=(too_large, "big.jpg"))
    assert refusal.status_code == 422 and "1 MB" in refusal.get_data(as_text=True)
    assert TEXT in refusal.get_data(as_text=True) and _stored() == []
    assert _send(phone, school, photo=_jpeg()).status_code == 200
    [complaint] = _stored()
    assert complaint.photo.purpose == "complaint_photo" and complaint.photo.content_type == "image/jpeg"
    login(client, people.cook)
    assert client.get(f"/files/{complaint.photo_id}").status_code == 404
    login(client, people.principal)
    assert client.get(f"/files/{complaint.photo_id}").status_code == 200


def test_three_days_is_on_time_and_a_minute_more_is_late(school, people):
    on_time = factories.complain(school, received_at=RECEIVED)
    late = factories.complain(school, received_at=RECEIVED)
    still_open = factories.complain(school, received_at=RECEIVED)
    complaints.answer(people.director, on_time, "已查实，食堂已整改", now=RECEIVED + timedelta(days=3))
    complaints.answer(people.clerk, late, "已回复", now=RECEIVED + timedelta(days=3, minutes=1))
    db.session.commit()
    assert (on_time.late(), late.late()) == (False, True)
    assert not still_open.late(RECEIVED + timedelta(days=3) - timedelta(seconds=1))
    assert still_open.late(RECEIVED + timedelta(days=3))
    counts = complaints.counts_many([school.id], LEDGER_DAY, LEDGER_DAY)[school.id]
    assert counts == (3, 1, 2)
    report = compliance.compute(school, LEDGER_DAY, LEDGER_DAY)
    assert ("complaints", (3, 1, 2)) in [(figure.key, found) for figure, found in report.figures]
    [gap] = complaints.find_complaints(type("Context", (), {"school": school}), None)
    assert gap.due_at == RECEIVED + timedelta(days=3)


def test_answered_means_frozen_and_a_confirmed_problem_is_a_task(school, people):
    complaint = factories.complain(school, received_at=RECEIVED)
    refused(lambda: complaints.answer(people.cook, complaint, "好的"), "校长、总务主任")
    refused(lambda: complaints.answer(people.director, complaint, "  "), "答复")
    refused(lambda: complaints.answer(people.director, complaint, "已查实", problem="米饭夹生"), "整改")
    complaints.answer(
        people.director, complaint, "已查实：蒸饭时间不足，已调整", problem="米饭夹生", responsible=people.cook
    )
    db.session.commit()
    task = db.session.scalar(sa.select(RectificationTask).where(RectificationTask.ledger == "complaints"))
    assert task.responsible_id == people.cook.id and task.description == "米饭夹生"
    assert task.source == complaint and task.found_by_id == people.director.id  # who answered checks the fix
    refused(lambda: complaints.answer(people.principal, complaint, "改写答复"), "已答复")
    assert "cannot change" in refused_by_the_database(f"UPDATE complaint SET answer = 'x' WHERE id = {complaint.id}")
    assert "cannot change" in refused_by_the_database(f"DELETE FROM complaint WHERE id = {complaint.id}")


def test_the_answer_is_shown_on_the_phone_that_sent_it_and_no_other(app, client, school, people, other_school):
    phone, stranger = _phone(app, school), _phone(app, school)
    _send(phone, school, contact="13800001111")
    [complaint] = _stored()
    login(client, people.cook)
    assert client.get("/canteen/complaints").status_code == 403
    login(client, people.principal)
    page = client.get("/canteen/complaints").get_data(as_text=True)
    assert TEXT in page and "13800001111" in page
    answered = client.post(
        f"/canteen/complaints/{complaint.id}/answer", data={f"c{complaint.id}-answer": "已请食堂延长蒸饭时间"}
    )
    assert answered.status_code == 302
    assert "已请食堂延长蒸饭时间" in phone.get(_form(school)).get_data(as_text=True)
    assert "已请食堂延长蒸饭时间" not in stranger.get(_form(school)).get_data(as_text=True)
    outsider = factories.create_user(Role.PRINCIPAL, other_school)
    login(client, outsider)
    assert client.post(f"/canteen/complaints/{complaint.id}/answer", data={}).status_code == 404


def test_the_contact_is_never_in_the_admin_list_or_its_export(client, school, people):
    factories.complain(school, contact="13800001111")
    login(client, people.principal)
    for url in ("/admin/complaints/", "/admin/complaints/export/csv/"):
        response = client.get(url)
        assert response.status_code == 200 and "13800001111" not in response.get_data(as_text=True), url


def test_the_posters_link_is_built_on_portal_base_url(app, client, school, people, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://shitang.example.cn")
    login(client, people.principal)
    for page, path in (("complaint", "/complaint"), ("notice", "")):
        poster = client.get(f"/canteen/public/{page}/poster.pdf")
        assert poster.status_code == 200 and poster.mimetype == "application/pdf", poster.status_code
        text = subprocess.run(["pdftotext", "-", "-"], input=poster.data, capture_output=True, check=True).stdout
        assert f"https://shitang.example.cn/p/{school.public_token}{path}" in text.decode().replace("\n", "")
    assert client.get("/canteen/public/elsewhere/poster.pdf").status_code == 404
    login(client, people.cook)
    assert client.get("/canteen/public/complaint/poster.pdf").status_code == 403


def test_every_kinds_figure_is_on_the_countys_table_and_the_schools_page(client, school, people, create_user):
    from portal import figures

    keys = {figure.key for figure in figures.figures()}
    assert {"pesticide_tests", "additive_uses", "supplier_evaluations", "emergency_drills"} <= keys
    assert {"incidents", "complaints"} <= keys
    factories.complain(school)
    login(client, create_user(Role.COUNTY_ADMIN))
    county = client.get("/compliance").get_data(as_text=True)
    assert all(str(figure.heading) in county for figure in figures.figures())
    login(client, people.principal)
    page = client.get("/compliance").get_data(as_text=True)
    assert 'id="figure-complaints"' in page and "1 条未答复" in page
    assert 'id="figure-incidents"' not in page  # only news when there is one
