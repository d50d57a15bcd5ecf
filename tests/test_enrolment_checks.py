"""Enrolment changes are checked an import at a time, in one step, after reading what it did and
its file; the rest are filtered and "the changes shown" checked at once. Each change still
records who checked it, with its own audit event; no one checks their own, nor another
school's."""

from datetime import date

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import AuditEvent, ChangeKind, EnrolmentChange, Role, Student
from portal.services import enrolment
from tests import factories
from tests.conftest import login
from tests.test_nutrition import NOW, register_file, students


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def _import_on_the_pages(client, people, rows):
    login(client, people.clerk)
    upload = client.post(
        "/nutrition/roster/import",
        data={"register": (register_file(rows), "名册.xlsx")},
        content_type="multipart/form-data",
    )
    client.post(upload.headers["Location"] + "/classes")
    assert client.post(upload.headers["Location"], data={"effective_on": "2026-09-01"}).status_code == 302
    return int(upload.headers["Location"].rsplit("/", 1)[1])


def _unchecked():
    return db.session.scalar(sa.select(sa.func.count()).where(EnrolmentChange.checked_by_id.is_(None)))


def test_the_principal_checks_an_import_in_one_step(client, people):
    file_id = _import_on_the_pages(client, people, students(49))
    assert _unchecked() == 98  # each student enrolled and eligible
    page = client.get("/nutrition/changes").get_data(as_text=True)
    assert "import-to-check" not in page  # the clerk who imported does not check it
    assert client.post(f"/nutrition/changes/imports/{file_id}/check").status_code == 302
    assert _unchecked() == 98

    login(client, people.principal)
    page = client.get("/nutrition/changes").get_data(as_text=True)
    assert page.count("import-to-check") == 1 and "98 条异动待核对" in page and "名册.xlsx" in page
    assert client.post(f"/nutrition/changes/imports/{file_id}/check").status_code == 302
    assert _unchecked() == 0
    checkers = set(db.session.scalars(sa.select(EnrolmentChange.checked_by_id)))
    assert checkers == {people.principal.id}
    events = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "enrolment_change.checked"))
    assert events == 98
    assert "import-to-check" not in client.get("/nutrition/changes").get_data(as_text=True)


def test_the_changes_shown_by_a_filter_are_checked_at_once(client, people):
    _import_on_the_pages(client, people, students(5))
    leavers = db.session.scalars(sa.select(Student).order_by(Student.id).limit(2)).all()
    for student in leavers:
        enrolment.record_change(people.clerk, student, ChangeKind.TRANSFER_OUT, date(2026, 9, 20), "转学证明", now=NOW)
    db.session.commit()
    login(client, people.principal)
    page = client.get("/nutrition/changes?kind=transfer_out&unchecked=1").get_data(as_text=True)
    assert "下面显示的 2 条" in page and page.count('name="change_id"') == 2
    ids = [
        str(change.id)
        for change in db.session.scalars(
            sa.select(EnrolmentChange).where(EnrolmentChange.kind == ChangeKind.TRANSFER_OUT)
        )
    ]
    assert client.post("/nutrition/changes/check", data={"change_id": ids}).status_code == 302
    checked = db.session.scalars(sa.select(EnrolmentChange).where(EnrolmentChange.checked_by_id.is_not(None))).all()
    assert sorted(str(change.id) for change in checked) == sorted(ids)
    assert _unchecked() == 10  # the import's, not shown, not checked


def test_another_schools_import_and_changes_are_out_of_reach(client, people, other_school, create_user):
    file_id = _import_on_the_pages(client, people, students(3))
    ids = [str(change_id) for change_id in db.session.scalars(sa.select(EnrolmentChange.id))]
    login(client, create_user(Role.PRINCIPAL, other_school))
    assert client.post(f"/nutrition/changes/imports/{file_id}/check").status_code == 404
    client.post("/nutrition/changes/check", data={"change_id": ids})
    assert _unchecked() == 6


def test_a_change_checked_meanwhile_keeps_its_checker(client, people):
    file_id = _import_on_the_pages(client, people, students(2))
    [first, *_rest] = db.session.scalars(sa.select(EnrolmentChange).order_by(EnrolmentChange.id)).all()
    vice = factories.create_user(Role.SCHOOL_ADMIN, people.school, display_name="副校长")
    enrolment.check_change(vice, first)
    db.session.commit()
    login(client, people.principal)
    client.post(f"/nutrition/changes/imports/{file_id}/check")
    db.session.expire_all()
    assert db.session.get(EnrolmentChange, first.id).checked_by_id == vice.id and _unchecked() == 0
