"""When nothing can be written (a full or read-only disk, a database too busy to answer),
the user gets a page in Chinese that says so (503), nothing is half-written, and the form
they sent is still behind the page (the browser's back)."""

import errno
import os
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from portal.extensions import db
from portal.models import MenuDish, Role, StoredFile
from tests import factories
from tests.conftest import login


@contextmanager
def read_only_database():
    """Every transaction read-only, as on a read-only disk (SQLite's query_only, or a
    read-only transaction on PostgreSQL)."""
    statement = "PRAGMA query_only = 1" if db.engine.dialect.name == "sqlite" else "SET TRANSACTION READ ONLY"

    def on_begin(connection):
        connection.exec_driver_sql(statement)

    db.session.commit()
    event.listen(db.engine, "begin", on_begin)
    try:
        yield
    finally:
        event.remove(db.engine, "begin", on_begin)
        db.session.remove()
        db.engine.dispose()  # query_only belongs to the connections: they go


@pytest.fixture
def director(school, create_user):
    return create_user(Role.DIRECTOR, school, display_name="陈主任")


def test_a_read_only_database_gives_a_page_that_says_so(client, school, director):
    day = factories.open_day(school)
    login(client, director)
    username = director.username
    with read_only_database():
        response = client.post(f"/canteen/{day.isoformat()}/lunch/dishes", data={"name": "番茄炒蛋"})
        login_again = client.post("/login", data={"username": username, "password": factories.PASSWORD})
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "无法保存" in text and "管理员" in text and "返回" in text and "data-history-back" in text
    assert login_again.status_code in (200, 302, 503)  # never a bare 500
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MenuDish)) == 0


def test_a_full_sqlite_database_gives_the_same_page(client, school, director):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's disk cannot be filled from a test; its read-only case is above")
    day = factories.open_day(school)
    login(client, director)
    db.session.commit()
    pages = db.session.execute(sa.text("PRAGMA page_count")).scalar()

    def full(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    db.engine.dispose()
    event.listen(db.engine, "connect", full)
    try:
        text = ""
        for number in range(40):  # until the last free page is used
            response = client.post(f"/canteen/{day.isoformat()}/lunch/dishes", data={"name": f"菜{number}" * 40})
            if response.status_code == 503:
                text = response.get_data(as_text=True)
                break
            assert response.status_code in (302, 422)
    finally:
        event.remove(db.engine, "connect", full)
        db.engine.dispose()
    assert "无法保存" in text


def test_an_upload_on_a_full_disk_leaves_no_half_written_file(client, school, director, app, monkeypatch):
    from tests.test_canteen_ledgers import _png

    supplier = factories.create_supplier(school)
    day = factories.open_day(school)
    login(client, director)

    def no_space(_source, _target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("portal.fsutil.os.replace", no_space)
    response = client.post(
        f"/canteen/{day.isoformat()}/deliveries",
        data={
            "supplier": supplier.id,
            "result": "accepted",
            "acceptors": [director.id],
            "items-0-name": "食盐",
            "items-0-quantity": "2",
            "items-0-unit": "袋",
            "tickets": _png("送货单.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 503 and "无法保存" in response.get_data(as_text=True)
    folder = app.config["UPLOAD_FOLDER"]
    leftovers = [name for _root, _dirs, names in os.walk(folder) for name in names if name.endswith(".part")]
    assert leftovers == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_a_busy_sqlite_database_asks_to_try_again(client, school, director, app, monkeypatch):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL waits on row locks instead")
    day = factories.open_day(school)
    login(client, director)
    db.session.commit()
    monkeypatch.setitem(app.config, "SQLITE_BUSY_TIMEOUT_MS", 100)
    import sqlite3

    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    holder.execute("PRAGMA busy_timeout = 100")
    db.engine.dispose()

    def short_wait(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout = 100")

    event.listen(db.engine, "connect", short_wait)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = client.post(f"/canteen/{day.isoformat()}/lunch/dishes", data={"name": "番茄炒蛋"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        event.remove(db.engine, "connect", short_wait)
        db.engine.dispose()
    assert response.status_code == 503 and "稍后" in response.get_data(as_text=True)


def test_a_database_on_a_read_only_file_system_gives_the_same_page(client, school, director):
    """What SQLite says when its file system is mounted read-only and it cannot make its journal
    or open its shared-memory file: at the login, the first write, it was a bare 500."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's read-only case is the read-only transaction above")
    import sqlite3

    def read_only_file_system(_connection, cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError("unable to open database file")

    event.listen(db.engine, "before_cursor_execute", read_only_file_system)
    try:
        response = client.post("/login", data={"username": director.username, "password": factories.PASSWORD})
    finally:
        event.remove(db.engine, "before_cursor_execute", read_only_file_system)
    assert response.status_code == 503 and "无法保存" in response.get_data(as_text=True)
