"""Workbooks cannot exhaust memory: a workbook whose parts would inflate past the limit is refused
on upload, with a message in Chinese, before any part is read (and a fresh Python's memory shows
it); a register export is read once, on upload, and its preview and import read what was kept."""

import io

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import StoredFile, Student, Term
from portal.services import nutrition, spreadsheets
from tests import workbooks
from tests.conftest import login
from tests.test_dormitory import dorm  # noqa: F401 - the fixture: a boarding school
from tests.test_nutrition import people  # noqa: F401 - the fixture
from tests.test_security import _peak_megabytes

REFUSED = "打开后会超过 20 MB"


@pytest.fixture(scope="module")
def bomb():
    return workbooks.bomb(200)


def test_a_workbook_bomb_is_refused_on_upload_and_nothing_is_kept(client, people, bomb):  # noqa: F811
    assert len(bomb) < 800_000
    login(client, people.clerk)
    upload = client.post(
        "/nutrition/roster/import",
        data={"register": (io.BytesIO(bomb), "名册.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert upload.status_code == 200 and REFUSED in upload.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_a_bed_list_bomb_is_refused_too(client, dorm, bomb):  # noqa: F811
    login(client, dorm.clerk)
    term = db.session.scalars(sa.select(Term)).first()
    response = client.post(
        "/dormitory/beds/import",
        data={"term": str(term.id), "beds": (io.BytesIO(bomb), "床位表.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and REFUSED in response.get_data(as_text=True)


def test_a_register_of_20000_students_is_within_the_limit(app):
    data = workbooks.register(20000)
    spreadsheets.check_workbook(io.BytesIO(data), "not a workbook")  # no refusal


@pytest.mark.processes
@pytest.mark.one_database  # a fresh Python on an in-memory SQLite, whatever the suite's database
def test_the_bomb_is_refused_without_the_memory_it_would_take(bomb, tmp_path):
    """openpyxl alone took +327 MB for such a file; the check reads the zip's directory only."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    script = f"""
import io
from werkzeug.datastructures import FileStorage
from portal.errors import DomainError
from portal.services import files
app = create_app(KEYS | {{"DATABASE_URL": "sqlite://", "TESTING": True}})
with app.test_request_context():
    upload = FileStorage(open({str(path)!r}, "rb"), "名册.xlsx")
    try:
        files.check_upload(upload, files.ROSTER)
    except DomainError as exc:
        print("REFUSED", exc.message)
"""
    baseline, _ = _peak_megabytes("app = create_app(KEYS | {'DATABASE_URL': 'sqlite://'})")
    peak, output = _peak_megabytes(script)
    assert "REFUSED" in output and "20 MB" in output
    assert peak - baseline < 50, (baseline, peak)


def test_the_preview_reads_what_was_kept_not_the_file(client, people, monkeypatch):  # noqa: F811
    login(client, people.clerk)
    upload = client.post(
        "/nutrition/roster/import",
        data={"register": (io.BytesIO(workbooks.register(30)), "名册.xlsx")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302

    def read_again(_path):
        raise AssertionError("the stored file was read again")

    monkeypatch.setattr(nutrition, "read_register", read_again)
    for _view in range(3):
        assert "名册中新增：30" in client.get(upload.headers["Location"]).get_data(as_text=True)
    assert client.post(upload.headers["Location"] + "/classes").status_code == 302
    done = client.post(upload.headers["Location"], data={"effective_on": "2026-09-01"})
    assert done.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Student)) == 30
