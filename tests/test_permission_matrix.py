"""Every endpoint x every role x GET and POST, expected outcomes from the permission table.

The endpoints come from app.url_map, so a new endpoint without a declared permission
fails here (test_every_endpoint_declares_a_permission) before anyone can reach it.
"""

import re

import pytest

from portal import create_app
from portal.models import Role, User
from portal.permissions import ROLE_PERMISSIONS, Access, requirement_for
from tests import factories
from tests.conftest import KEYS, login, once_per_process

PATH_ARGUMENTS = {"export_type": "csv", "filename": "css/portal.css"}


def _endpoints():
    app = create_app(KEYS | {"DATABASE_URL": "sqlite://"})
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint)
    return app, [rule for rule in rules if not rule.endpoint.endswith("static")]


_APP, RULES = _endpoints()


def _url(rule):
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: PATH_ARGUMENTS.get(m.group(1), "1"), rule.rule)


def test_every_endpoint_declares_a_permission():
    undeclared = [rule.endpoint for rule in RULES if requirement_for(_APP, rule.endpoint) is None]
    assert undeclared == []


def test_an_undeclared_endpoint_is_refused(app, client, school, create_user):
    """Fail closed: a view added without a declaration answers 403, even to an admin."""
    extra = create_app(KEYS | {"DATABASE_URL": app.config["DATABASE_URL"]})
    extra.test_client_class = type(client)
    extra.add_url_rule("/forgotten", "forgotten", lambda: "secret data")
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    forgotten_client = extra.test_client()
    login(forgotten_client, clerk)
    response = forgotten_client.get("/forgotten")
    assert response.status_code == 403
    assert b"secret data" not in response.data


def _expected(requirement, user):
    """'login' (sent to the login page), 'denied' (403) or 'allowed' (anything else but 500)."""
    if requirement is Access.PUBLIC:
        return "allowed"
    if user is None:
        return "login"
    if requirement is Access.AUTHENTICATED:
        return "allowed"
    if requirement is Access.NOBODY:
        return "denied"
    granted = set().union(*(ROLE_PERMISSIONS[role] for role in user.roles))
    return "allowed" if requirement in granted else "denied"


def _outcome(response):
    if response.status_code == 500:
        return "error"
    if response.status_code == 403:
        return "denied"
    if response.status_code == 302 and "/login?next=" in response.headers.get("Location", ""):
        return "login"
    return "allowed"


@pytest.fixture
def people(app):
    """Anonymous, and one person of each role (their school built once per test process)."""

    def build():
        school = factories.create_school("第一中学")
        users = {role: factories.create_user(role, school if not role.is_county else None) for role in Role}
        return [None] + [users[role].id for role in Role]

    return once_per_process("permission_matrix", build)


@pytest.mark.parametrize("rule", RULES, ids=[f"{r.endpoint}" for r in RULES])
def test_permission_matrix(app, people, rule):
    from portal.extensions import db

    requirement = requirement_for(app, rule.endpoint)
    url = _url(rule)
    failures = []
    for user_id in people:
        for method in ("GET", "POST"):
            if method not in rule.methods:
                continue
            user = db.session.get(User, user_id) if user_id else None
            client = app.test_client()
            if user is not None:
                login(client, user)
            response = client.open(url, method=method, data={})
            user = db.session.get(User, user_id) if user_id else None
            expected = _expected(requirement, user)
            outcome = _outcome(response)
            if outcome != expected:
                who = user.username + str(sorted(r.value for r in user.roles)) if user else "anonymous"
                failures.append(f"{method} {url} as {who}: expected {expected}, got {outcome} ({response.status_code})")
    assert failures == []
