"""Links only for what the user may do: every admin list, as each person of the demo county,
links to nothing that answers them 403 (a read-only auditor is not offered 作废)."""

import re

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import HTTPException

from portal.extensions import db
from portal.models import User
from portal.permissions import Access, requirement_for
from tests.conftest import login

PEOPLE = ("auditor", "county", "xx-clerk", "xx-principal", "xx-director", "xx-cook1", "xx-dorm", "xx-teacher")
LINK = re.compile(r'href="(/[^"#]*)"')


def _endpoint(app, url):
    try:
        return app.url_map.bind("localhost").match(url.split("?")[0])[0]
    except HTTPException:
        return None


def _lists(app, person):
    lists = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.endswith(".index_view") or rule.arguments:
            continue
        requirement = requirement_for(app, rule.endpoint)
        if requirement not in (Access.PUBLIC, Access.AUTHENTICATED, Access.NOBODY) and person.can(requirement):
            lists.append(rule.rule)
    return sorted(lists)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("username", PEOPLE)
def test_no_list_links_to_what_answers_403(app, client, demo_county, username):
    person = db.session.scalar(sa.select(User).where(User.username == username))
    login(client, person)
    lists = _lists(app, person)
    assert lists, username
    followed, forbidden = set(), []
    for page in lists:
        body = client.get(page).get_data(as_text=True)
        for href in LINK.findall(body.replace("&amp;", "&")):
            endpoint = _endpoint(app, href)
            if endpoint in (None, "auth.logout", "static") or endpoint in followed:
                continue
            followed.add(endpoint)
            if client.get(href).status_code == 403:
                forbidden.append(f"{page} -> {href}")
    assert forbidden == []
