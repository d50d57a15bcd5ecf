"""People's data by need, generated from the README's table ("Who reads people's data"): every
page in it answers every role as its permission says, and no page outside it shows a student's
or a parent's name, register number or telephone to the kitchen. Run on the demo county, where
every kind of such data is filled in."""

import re
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.extensions import db
from portal.models import CommitteeMember, DormBed, ParentMeal, SchoolClass, Student, User
from portal.permissions import requirement_for
from portal.timeutil import school_today
from tests.conftest import KEYS, login

README = Path(__file__).resolve().parents[1] / "README.md"

# Who holds each permission, as the README says it in words above the table.
COUNTY = {"county", "auditor"}
OFFICE = COUNTY | {"xx-clerk", "xx-principal"}
SCHOOL = {"xx-clerk", "xx-principal", "xx-director", "xx-cook1", "xx-keeper", "xx-dorm", "xx-teacher"}
HOLDERS = {
    "student.read": OFFICE,
    "student.manage": {"xx-clerk"},
    "committee.read": OFFICE | {"xx-director"},
    "dormitory.read": OFFICE | {"xx-director", "xx-dorm"},
    "dormitory.notice": OFFICE | {"xx-director", "xx-dorm", "xx-teacher"},
    "ledger.read": COUNTY | SCHOOL,
    "ledger.record": SCHOOL,
    "evidence.export": {"auditor", "xx-clerk", "xx-principal"},
    "complaint.answer": {"xx-clerk", "xx-principal", "xx-director"},
}
PEOPLE = sorted(COUNTY | SCHOOL)
KITCHEN = ("xx-cook1", "xx-keeper")


def table():
    """[(path, permission)] from the README's table."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- people's data: start -->")[1].split("<!-- people's data: end -->")[0]
    rows = []
    for line in block.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows.append((cells[0].strip("`"), re.match(r"`([a-z_.]+)`", cells[2]).group(1)))
    return rows


ROWS = table()
_APP = create_app(KEYS | {"DATABASE_URL": "sqlite://"})


def _endpoint(path):
    return _APP.url_map.bind("localhost").match(path.replace("<day>", "2026-11-23").replace("<meal>", "lunch"))[0]


def test_the_table_is_read_and_says_what_each_page_declares():
    assert len(ROWS) >= 20
    for path, permission in ROWS:
        assert permission in HOLDERS, path
        assert str(requirement_for(_APP, _endpoint(path))) == permission, path


def _a_school():
    from portal.models import School

    return db.session.scalars(sa.select(School).order_by(School.id)).first()


def _person(username):
    return db.session.scalar(sa.select(User).where(User.username == username))


def _page(client, url):
    """The status and the text a person reads (a PDF's through pdftotext)."""
    response = client.get(url)
    if response.mimetype == "application/pdf" and response.status_code == 200:
        text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True).stdout
        return response.status_code, text.decode()
    return response.status_code, response.get_data().decode(errors="replace")


@pytest.mark.parametrize("username", PEOPLE)
def test_each_page_of_the_table_answers_each_role_as_the_table_says(app, client, demo_county, username):
    login(client, _person(username))
    today = school_today(_a_school()).isoformat()
    wrong = []
    for path, permission in ROWS:
        url = path.replace("<day>", today).replace("<meal>", "lunch")
        status, _body = _page(client, url)
        allowed = username in HOLDERS[permission]
        if (status == 403) == allowed or status >= 500 or (status == 302 and not allowed):
            wrong.append(f"{url}: {status}, {'allowed' if allowed else 'refused'} by the table")
    assert wrong == []


def test_a_class_teacher_reads_the_notice_of_their_class_only(app, client, demo_county):
    teacher = _person("xx-teacher")
    taught = {school_class.name for school_class in teacher.taught_classes}
    login(client, teacher)
    status, body = _page(client, "/dormitory/notice")
    assert status == 200 and taught and all(name in body for name in taught)
    classes = sa.select(SchoolClass.name).join(DormBed, DormBed.class_id == SchoolClass.id)
    names = set(db.session.scalars(classes.where(SchoolClass.school_id == teacher.school_id))) - taught
    assert names and not any(name in body for name in names)
    assert client.get("/dormitory/notice?class=999999").status_code == 200  # no class of theirs: nothing shown
    assert client.get("/dormitory/ranking").status_code == 403
    assert client.get("/admin/dorm_beds/export/csv/").status_code == 403


def _markers():
    """What identifies a student or a parent in the demo: register numbers, telephones, and
    names that are nobody's name among the staff."""
    staff = set(db.session.scalars(sa.select(User.display_name)))
    names = set(db.session.scalars(sa.select(Student.name)))
    names |= set(db.session.scalars(sa.select(DormBed.student_name)))
    names |= set(db.session.scalars(sa.select(CommitteeMember.name)))
    names |= set(db.session.scalars(sa.select(ParentMeal.parent_name)))
    markers = set(db.session.scalars(sa.select(Student.register_number)))
    markers |= set(db.session.scalars(sa.select(CommitteeMember.contact)))
    return sorted(markers | {name for name in names - staff if len(name) >= 2})


def _walk_urls(today):
    values = {"day": today, "meal": "lunch", "monday": today, "export_type": "csv", "filename": "x"}
    urls = set()
    for rule in _APP.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.endswith("static"):
            continue
        urls.add(re.sub(r"<(?:[a-z]+:)?([^>]+)>", lambda m: values.get(m.group(1), "1"), rule.rule))
    return sorted(urls)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("username", KITCHEN)
def test_no_page_outside_the_table_shows_a_student_or_a_parent_to_the_kitchen(app, client, demo_county, username):
    markers = _markers()
    assert len(markers) > 20  # the demo has students, beds, committee members and parents at meals
    today = school_today(_a_school()).isoformat()
    listed = {_endpoint(path) for path, _permission in ROWS}
    login(client, _person(username))
    shown = []
    for url in _walk_urls(today):
        if url == "/logout":
            continue
        status, body = _page(client, url)
        endpoint = _APP.url_map.bind("localhost").match(url)[0]
        if status == 200 and endpoint not in listed:
            shown += [f"{url}: {marker}" for marker in markers if marker in body]
    assert shown == []


@pytest.mark.parametrize("username", KITCHEN)
def test_the_kitchen_gets_403_on_every_dormitory_page_and_export(app, client, demo_county, username):
    login(client, _person(username))
    urls = [
        url
        for url in _walk_urls(school_today(_a_school()).isoformat())
        if url.startswith(("/dormitory", "/admin/dorm_"))
    ]
    assert len(urls) >= 20
    assert [url for url in urls if client.get(url).status_code != 403] == []
