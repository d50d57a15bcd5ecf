"""Every route of the URL map, as every role, with values a URL or a form should never
carry: years 1 and 9999, month 13, negative ids, text where a number goes, numbers too
large for the database, malformed filters and pages. Nothing may answer 500.

The routes come from app.url_map, so a new page is walked without anybody listing it; one
test per blueprint (or admin view), so a failure says where. The data is the demo county,
so ids and days point at real records too.
"""

import re

import pytest

from portal.extensions import db
from portal.models import Role, User
from portal.permissions import ROLE_PERMISSIONS, Access, requirement_for
from tests.conftest import login
from tests.test_permission_matrix import RULES

# Path arguments: each route is walked with every argument set to each of these.
BAD_PATH_VALUES = ("1", "-1", "0", "abc", "99999999999999999999", "0001-01-01", "9999-12-31", "2026-13-45")
# A path argument the converter takes as int only gets the numbers.
INT_PATH_VALUES = ("1", "0", "99999999")

# Query strings, each walked with the path arguments at "1" (or today, for days).
BAD_QUERIES = (
    "day=9999-12-31&month=9999-12&year=99999&page=99999999999999999999&id=99999999999999999999",
    "day=0001-01-01&month=0001-00&page=-1&id=-1&sort=999&desc=x&school=abc",
    "range=custom&from=0001-01-01&to=9999-12-31&school=-1",
    "range=custom&from=2026-13-01&to=2026-02-30&school=1",
    "flt0_0=abc&flt1_1=9999-99-99&flt2_5=signed_off&flt3_3=99999999999999999999&search=%25%27%22",
    "month=2026-13&range=term&school=1&id=abc&url=//evil.example",
    "day=2026-02-29&month=-1&year=abc&page=abc",
)

BAD_FORM = {
    "day": "9999-12-31",
    "meal": "brunch",
    "grams": "99999999999999999999",
    "temperature_c": "abc",
    "minutes": "-5",
    "measure": "1e400",
    "deadline": "0001-01-01T00:00",
    "retained_at": "9999-12-31T23:59",
    "first": "0001-01-01",
    "last": "9999-12-31",
    "period": "custom",
    "school": "-1",
    "held_on": "9999-12-31",
    "issued_on": "0001-01-01",
    "expires_on": "9999-12-31",
    "starts_on": "9999-12-31",
    "ends_on": "0001-01-01",
    "password": "wrong",
    "reason": "x",
    "note": "x",
    "result": "maybe",
    "version": "abc",
    "rowid": "-1",
    "action": "delete",
    "responsible": "-1",
    "supplier": "abc",
    "acceptors": "-1",
    "worker": "99999999999999999999",
    "items-0-quantity": "-1",
    "items-0-name": "x",
    "url": "//evil.example",
}


def _blueprint(rule):
    return rule.endpoint.split(".")[0]


BLUEPRINTS = sorted({_blueprint(rule) for rule in RULES})


def _url(rule, value, day="2026-11-23"):
    def replace(match):
        converter, name = match.group(1), match.group(2)
        if converter == "int:":
            return value if value.lstrip("-").isdigit() and not value.startswith("-") else "1"
        if name == "export_type":
            return "csv"
        if name in ("day", "monday") and value == "1":
            return day
        if name == "meal" and value == "1":
            return "lunch"
        return value

    return re.sub(r"<([a-z]+:)?([^>]+)>", replace, rule.rule)


def _allowed(app, rule, user):
    requirement = requirement_for(app, rule.endpoint)
    if requirement in (Access.PUBLIC, Access.AUTHENTICATED):
        return True
    if requirement is Access.NOBODY:
        return False
    granted = set().union(*(ROLE_PERMISSIONS[role] for role in user.roles))
    return requirement in granted


def _requests(rule):
    urls = {_url(rule, value) for value in BAD_PATH_VALUES if rule.arguments or value == "1"}
    base = _url(rule, "1")
    requests = []
    if "GET" in rule.methods:
        requests += [("GET", url, None) for url in urls]
        requests += [("GET", f"{base}?{query}", None) for query in BAD_QUERIES]
    if "POST" in rule.methods:
        requests += [("POST", url, {}) for url in urls]
        requests += [("POST", f"{base}?{BAD_QUERIES[0]}", BAD_FORM)]
    return requests


def _sent_to_login(response):
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


@pytest.mark.timeout(300)  # a walk: the evidence blueprint takes about 45 s on a busy 2-core machine
@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_no_route_answers_500_to_bad_input(app, client, monkeypatch, demo_county, blueprint):
    """Each person logs in once, and again after a request that ended the session (a
    logout); any other request sent to the login page is sent again after logging in, so
    every request is seen by a logged-in person."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # a 500 is collected, not raised
    rules = [rule for rule in RULES if _blueprint(rule) == blueprint]
    people = {
        role: db.session.scalar(
            db.select(User).where(User.role_grants.any(role=role)).order_by(User.school_id.is_(None), User.id)
        )
        for role in Role
    }
    failures, statuses = [], {}
    for role, person in people.items():
        login(client, db.session.get(User, person.id))
        for rule in rules:
            if not _allowed(app, rule, person):
                continue
            for method, url, data in _requests(rule):
                response = client.open(url, method=method, data=data)
                if _sent_to_login(response):
                    login(client, db.session.get(User, person.id))
                    if rule.endpoint != "auth.logout":  # the one request that logs out on purpose
                        response = client.open(url, method=method, data=data)
                        assert not _sent_to_login(response), f"{role.value} {method} {url}: the walk was logged out"
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code >= 500:
                    failures.append(f"{role.value} {method} {url} -> {response.status_code}")
    assert failures == []
    assert statuses, f"nobody may open any page of {blueprint}"
