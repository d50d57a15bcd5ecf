"""The audit trail is searched in the words its reader sees (登录, 更正, 食品留样), by a person's
name, and still by the stored codes; each record is named as a person recognises it (the
person, the dish and its day), not as "用户 3"."""

import re

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Role
from portal.services import ledgers
from tests import factories
from tests.conftest import login
from tests.test_auth import form_login


@pytest.fixture
def trail(school, create_user, client):
    people = factories.school_staff(school)
    people.sample = factories.create_sample(factories.create_dish(school), people.keeper)
    ledgers.amend(people.clerk, people.sample, {"grams": people.sample.grams}, {"grams": 160}, "称量记错")
    db.session.commit()
    form_login(client, people.cook.username)
    client.post("/logout")
    login(client, people.clerk)
    return people


def _rows(client, search):
    page = client.get("/admin/audit_events/", query_string={"search": search}).get_data(as_text=True)
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page.split("<tbody>", 1)[-1], re.S)
    return [re.sub(r"\s+", " ", row) for row in rows if "<th" not in row and "表中没有任何记录" not in row]


def test_chinese_words_find_their_events(trail, client):
    logins = _rows(client, "登录")  # 登录 and 退出登录
    assert len(logins) == 2 and all("登录" in row for row in logins)
    [login_row] = _rows(client, "login")  # the code as stored still finds it
    assert "用户：登录" in login_row
    assert any("更正" in row for row in _rows(client, "更正"))
    assert _rows(client, "食品留样")


def test_a_persons_name_finds_what_they_did_and_what_was_done_to_them(trail, client):
    found = _rows(client, trail.cook.display_name)
    assert found and any("登录" in row for row in found)
    assert not _rows(client, "没有这个人")


def test_records_are_named_by_what_a_person_recognises(trail, client):
    page = client.get("/admin/audit_events/").get_data(as_text=True)
    assert f"食品留样 {trail.sample.dish}" in page
    assert f"用户 {trail.cook.display_name}" in page
    assert not re.search(r"用户 \d+<", page)


def test_another_schools_people_are_not_found(trail, client, other_school, create_user):
    outsider = create_user(Role.STAFF, other_school, display_name="外校厨师")
    client.post("/logout")
    form_login(client, outsider.username)
    client.post("/logout")
    login(client, trail.clerk)
    assert not _rows(client, "外校厨师")


def test_the_whole_label_as_shown_finds_its_events_only(trail, client):
    logins = _rows(client, "用户：登录")
    assert logins and all("用户：登录" in row for row in logins)
    typed = _rows(client, "用户:登录")  # the colon as typed on a phone
    assert len(typed) == len(logins) and all("用户：登录" in row for row in typed)
    assert not _rows(client, "食品留样：登录")  # no such action


def test_a_search_reads_the_labels_not_the_trails_distinct_actions(trail, client):
    """On a city's server the trail holds millions of events; reading its distinct actions for
    every search took longer than the search."""
    statements = []
    listener = lambda _conn, _cursor, statement, *args: statements.append(statement)  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert _rows(client, "更正")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert not [statement for statement in statements if "DISTINCT" in statement and "audit_event" in statement]
