"""Configuration, the factory, the embedded database's settings and the demo data."""

import re
import threading

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portal import create_app
from portal.demo import DEMO_PASSWORD, JIAHE_PEOPLE, SCHOOL_PEOPLE
from portal.extensions import db
from portal.models import School, User
from tests.conftest import KEYS, TEST_DATABASE_URL


@pytest.mark.parametrize("secret", [None, "", "too-short"])
def test_the_app_refuses_to_start_without_a_real_secret_key(monkeypatch, secret):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(KEYS | {"SECRET_KEY": secret, "DATABASE_URL": "sqlite://"})


def test_a_swatch_that_loads_web_fonts_is_refused():
    with pytest.raises(RuntimeError, match="web fonts"):
        create_app(KEYS | {"DATABASE_URL": "sqlite://", "FLASK_ADMIN_SWATCH": "flatly"})


def test_two_apps_in_one_process(app):
    """Flask-Admin is built per app: a second create_app() does not collide."""
    second = create_app(KEYS | {"DATABASE_URL": "sqlite://"})
    assert "rules.index_view" in second.view_functions


def test_the_database_keeps_every_acknowledged_write():
    """SQLite: WAL with a busy timeout, foreign keys on, full sync. PostgreSQL:
    synchronous_commit on (off lost acknowledged commits when the server was killed)."""
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        else:
            assert TEST_DATABASE_URL
            assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"


def test_concurrent_writers_all_succeed(app, school, create_user):
    """Real threads each creating a user: with BEGIN IMMEDIATE (SQLite) and row locks on
    the audit chain head (PostgreSQL), nobody gets "database is locked" and the chain
    stays one unbroken line."""
    from portal.models import Role
    from portal.services import audit, users

    school_id = school.id
    db.session.commit()
    errors = []

    def writer(n):
        try:
            with app.app_context():
                users.create_user(
                    None,
                    username=f"worker{n}",
                    display_name=f"工友{n}",
                    password="a-good-password",
                    roles=[Role.STAFF],
                    school=db.session.get(School, school_id),
                )
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.username.like("worker%"))) == 8
    assert audit.verify_chain(f"school:{school_id}") is None


@pytest.mark.clock
def test_the_demo_loads_once_and_every_demo_account_logs_in(app):
    runner = CliRunner()
    first = runner.invoke(app.cli, ["seed-demo", "--if-empty"])
    assert first.exit_code == 0 and "demo data loaded" in first.output
    assert "xx-principal" in first.output and DEMO_PASSWORD in first.output
    again = runner.invoke(app.cli, ["seed-demo"])
    assert again.exit_code == 0 and "already present" in again.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(School)) == 2
    usernames = ["county", "auditor"] + [f"xx-{p[0]}" for p in SCHOOL_PEOPLE] + [f"jh-{p[0]}" for p in JIAHE_PEOPLE]
    for username in usernames:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        home = client.get("/")
        assert home.status_code == 200, username


def test_the_favicon_is_there_for_every_page(client):
    """Browsers ask for /favicon.ico whatever the page says; every page names its icon too."""
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    login_page = client.get("/login").get_data(as_text=True)
    [href] = re.findall(r'<link rel="icon" href="([^"]+)"', login_page)
    assert client.get(href).status_code == 200


@pytest.mark.clock
def test_no_demo_record_breaks_the_portals_own_rules(app):
    """The demo shows what the rules ask for: no certificate issued after today."""
    from datetime import date

    from portal.models import Certificate
    from portal.timeutil import school_today

    CliRunner().invoke(app.cli, ["seed-demo", "--if-empty"])
    today = school_today()
    issued = db.session.scalars(sa.select(Certificate.issued_on)).all()
    assert issued and max(issued) <= today and min(issued) > date(2000, 1, 1)


def test_a_demo_user_starts_without_a_pile_of_unread_notifications(app):
    """The demo's weeks of history were read as they happened (issue #25: 89 unread)."""
    from portal.models import Notification, User

    CliRunner().invoke(app.cli, ["seed-demo", "--if-empty"])
    principal = db.session.scalar(sa.select(User).where(User.username == "xx-principal"))
    counts = dict(
        db.session.execute(
            sa.select(Notification.read_at.is_(None), sa.func.count())
            .where(Notification.user_id == principal.id)
            .group_by(Notification.read_at.is_(None))
        ).all()
    )
    assert counts.get(False, 0) > 0 and counts.get(True, 0) == 0
