"""Test fixtures: a real database (SQLite by default, PostgreSQL when
PORTAL_TEST_DATABASE_URL is set), migrated once per test process with Alembic, emptied
after each test (tests/databases.py says how, cheaply).

Set PORTAL_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the
suite against PostgreSQL; when it is set and the server cannot be reached, the run fails.

The kinds of test, by marker (registered in pyproject.toml; tests/suite.py applies them):
- ``browser``: drives Chromium; ``processes``: starts programs of its own. Both run on
  SQLite only unless they say otherwise, and neither is in ``make test-fast``.
- ``one_database``: does not depend on the database's dialect, so it runs on SQLite only.
- ``clock``: reasons about today; ``make test`` also runs it at each moment of tests/clock.py.
"""

import os
import time

import pytest
import time_machine
from flask import has_app_context
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier
from flask_migrate import upgrade

from portal import create_app
from portal.extensions import db
from portal.login import FRESH_AT
from portal.security import LOGGED_IN_AT, SEEN_AT
from tests import clock, databases, factories

pytest_plugins = ["tests.suite"]

TEST_DATABASE_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
SECRET_KEY = "test-secret-key-0123456789abcdef0123456789"
AUDIT_KEY = "test-audit-key-0123456789abcdef012345678901"
# What every app a test makes is given. Its queue runs jobs at once: the queue (huey) is one per
# process, and an app made with the default queue file pointed it there for every later test of
# the process, whose jobs then waited for a consumer that never came (nine group-chat tests found
# no request at their robot when they ran after test_setup or test_migrations in one worker).
KEYS = {"SECRET_KEY": SECRET_KEY, "AUDIT_KEY": AUDIT_KEY, "QUEUE_URL": "immediate"}


def test_config(database_url, upload_folder):
    """Background jobs run at once where they are asked for: a job left running after a
    sign-off would still be reading when the next test empties the database. The queue's
    real brokers are tested on their own (tests/test_queue.py)."""
    return {
        "TESTING": True,
        **KEYS,
        "DATABASE_URL": database_url,
        "PASSWORD_HASH_PROFILE": "cheap",
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(upload_folder / "uploads"),
        "EVIDENCE_FOLDER": str(upload_folder / "evidence"),
        "QUEUE_URL": "immediate",
    }


test_config.__test__ = False


class PortalClient(FlaskClient):
    """Every request runs in an app context of its own, as it does in production.

    Flask would otherwise reuse the test's app context, and with it the test's database
    session and Flask-Login's cached user: a revoked session would still look valid.
    The test's own transaction is committed first, so the request sees its data and no
    lock the test holds blocks the request.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture(scope="session")
def database_url():
    if TEST_DATABASE_URL:
        url = databases.worker_database_url(TEST_DATABASE_URL)
        databases.reset_postgresql_schema(url)
        yield url
        return
    url = "sqlite:///" + databases.sqlite_file()
    yield url
    databases.remove_sqlite_file(url)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(test_config(database_url, tmp_path_factory.mktemp("files")))
    app.test_client_class = PortalClient
    with app.app_context():
        upgrade()
        _SNAPSHOTS["migrated"] = databases.Snapshot("migrated").take()
    return app


# {label: Snapshot}: the freshly migrated database (with the rows the migrations wrote, the
# national subsidy rates), and what once_per_process() built.
_SNAPSHOTS = {}
_BUILT = {}


def once_per_process(label, build):
    """Data that several tests only read, built once per test process: ``build()`` runs for
    the first test that asks, and its rows are put back for every later one. ``build`` returns
    what the tests need to find the rows again (ids, never ORM objects)."""
    if label in _SNAPSHOTS:
        _SNAPSHOTS[label].restore()
    else:
        _BUILT[label] = build()
        _SNAPSHOTS[label] = databases.Snapshot(label).take()
    return _BUILT[label]


@pytest.fixture(autouse=True)
def clock_moment(request):
    """At a boundary moment (tests/clock.py) when the test is run at one, else at the real
    time. Requested before the database, so everything the test makes is made then."""
    moment = getattr(request, "param", None)
    if moment is None:
        yield None
        return
    clock.current = moment
    with time_machine.travel(moment.at, tick=True):
        yield moment
    clock.current = None


@pytest.fixture(autouse=True)
def app_context(app, clock_moment):
    with app.app_context():
        yield
        db.session.rollback()
        _SNAPSHOTS["migrated"].restore()


@pytest.fixture
def demo_county(app):
    """The demo county (portal/demo/)."""
    from portal.demo import seed

    once_per_process("demo", seed)


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, user, fresh=True):
    """Log in without the form, as Flask-Login itself would."""
    with client.application.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = fresh
        session["_id"] = identifier
        session[FRESH_AT] = time.time() if fresh else 0
        session[LOGGED_IN_AT] = session[SEEN_AT] = time.time()


@pytest.fixture
def create_school():
    return factories.create_school


@pytest.fixture
def create_user():
    return factories.create_user


@pytest.fixture
def school():
    return factories.create_school("第一中学")


@pytest.fixture
def other_school():
    return factories.create_school("第二中学")


def refused(call, *words):
    """Runs a service call that must be refused; checks the message names ``words``."""
    from portal.errors import DomainError

    with pytest.raises(DomainError) as refusal:
        call()
    db.session.rollback()
    message = str(refusal.value.message)
    for word in words:
        assert word in message, message
    return refusal.value
