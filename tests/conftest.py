"""Test fixtures: a real database (SQLite by default, PostgreSQL when
PORTAL_TEST_DATABASE_URL is set), migrated once with Alembic, emptied after each test.

Set PORTAL_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the
suite against PostgreSQL; when it is set and the server cannot be reached, the run fails.
"""

import os
import shutil
import sqlite3
import time
from contextlib import closing

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier
from flask_migrate import upgrade

from portal import create_app
from portal.extensions import db
from portal.login import FRESH_AT
from portal.security import LOGGED_IN_AT, SEEN_AT
from tests import factories

TEST_DATABASE_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
SECRET_KEY = "test-secret-key-0123456789abcdef0123456789"
AUDIT_KEY = "test-audit-key-0123456789abcdef012345678901"
KEYS = {"SECRET_KEY": SECRET_KEY, "AUDIT_KEY": AUDIT_KEY}


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


def _reset_postgresql(url):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if TEST_DATABASE_URL:
        _reset_postgresql(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "portal.sqlite3")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(test_config(database_url, tmp_path_factory.mktemp("files")))
    app.test_client_class = PortalClient
    with app.app_context():
        upgrade()
        _SEEDED.update(_rows_the_migrations_wrote())
        if db.engine.dialect.name == "sqlite":
            db.session.remove()
            db.engine.dispose()
            with closing(sqlite3.connect(_sqlite_path())) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copyfile(_sqlite_path(), _sqlite_path() + ".template")
    return app


# {table: its rows} as the migrations left them (the national subsidy rates): PostgreSQL's
# reset truncates every table and puts these back.
_SEEDED = {}


def _rows_the_migrations_wrote():
    with db.engine.connect() as connection:
        found = {table: connection.execute(table.select()).mappings().all() for table in db.metadata.sorted_tables}
    return {table: [dict(row) for row in rows] for table, rows in found.items() if rows}


def _sqlite_path():
    return db.engine.url.database


def _reset_database():
    """Back to the freshly migrated schema. Row-by-row deletes would (rightly) be refused
    by the triggers that freeze signed inspections and keep the audit trail append-only:
    PostgreSQL truncates with triggers off (the test database's superuser may; the portal's
    own role may not, see the README); SQLite gets a copy of the migrated file."""
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        quoted = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            connection.exec_driver_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
            for table, rows in _SEEDED.items():
                connection.execute(table.insert(), rows)
                highest = f'SELECT max(id) FROM "{table.name}"'
                connection.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), ({highest}))")
        return
    db.engine.dispose()
    path = _sqlite_path()
    # The backup API rewrites the file through SQLite itself, so a connection another
    # engine still holds (the browser tests' server) stays valid.
    with closing(sqlite3.connect(path + ".template")) as template, closing(sqlite3.connect(path)) as target:
        template.backup(target)


@pytest.fixture(autouse=True)
def app_context(app):
    with app.app_context():
        yield
        db.session.rollback()
        _reset_database()


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
    from portal.services.errors import DomainError

    with pytest.raises(DomainError) as refusal:
        call()
    db.session.rollback()
    message = str(refusal.value.message)
    for word in words:
        assert word in message, message
    return refusal.value
