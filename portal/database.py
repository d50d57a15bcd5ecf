"""Engine settings that keep the embedded SQLite database safe under concurrent use.

SQLite in WAL mode lets readers run beside one writer. A transaction that reads and then
writes fails at once with "database is locked" when another writer committed in between,
whatever the busy timeout, so every transaction that may write starts with
BEGIN IMMEDIATE: it waits (up to the busy timeout) for the write lock instead of failing
half-way. Safe requests (GET, HEAD, OPTIONS) start a plain deferred transaction.

Work that reads for long (rendering evidence) or spends CPU before it writes (checking a
password) does it in ``reading()``: a deferred transaction that never holds the write lock,
so that nobody waits on it; its result is then written in a short transaction of its own.
"""

from contextlib import contextmanager

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event

from .extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app):
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        else:
            _configure_postgresql(engine)


# The ledgers' triggers let the portal's own connections write a record for a locked day (the
# demo's history, audited like any record) and refuse every other connection
# (migrations/shared.py, refuse_back_dated_records).
PORTAL_WRITER = "portal"


def _configure_postgresql(engine):
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET portal.writer TO '{PORTAL_WRITER}'")
        dbapi_connection.commit()


def _configure_sqlite(engine, busy_timeout_ms):
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event emit BEGIN instead of the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL survives a power cut on the school PC, not only a crashed process.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()
        dbapi_connection.create_function("portal_writer", 0, lambda: 1, deterministic=True)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


def _may_write():
    """Requests that change state, CLI commands and background jobs may write."""
    if has_app_context() and g.get("write_transaction"):
        return True
    if has_app_context() and g.get("reading"):
        return False
    if has_request_context():
        return request.method not in SAFE_METHODS
    return True


@contextmanager
def immediate_transaction():
    """For the rare write during a GET (planning a week on demand): end the read
    transaction, then write in one of its own that starts with BEGIN IMMEDIATE on SQLite
    (and is an ordinary transaction on PostgreSQL)."""
    db.session.commit()
    g.write_transaction = True
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        g.write_transaction = False


@contextmanager
def reading():
    """A read that takes long: the transaction so far is committed, the block reads in a
    transaction of its own, which ends with it. It must not write. It reads one snapshot of
    the database, whatever others commit meanwhile: SQLite's deferred transaction does (and
    never takes the write lock); PostgreSQL needs REPEATABLE READ (its default gives each
    statement a snapshot of its own, so a bundle or a chain read beside writers could mix
    two states)."""
    db.session.commit()
    previous, g.reading = g.get("reading"), True
    if db.engine.dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    try:
        yield
    finally:
        db.session.rollback()
        g.reading = previous


def write_apart(statement):
    """One statement in a short write transaction on a connection of its own (an export's
    progress, written while its long read goes on)."""
    previous, g.write_transaction = g.get("write_transaction"), True
    try:
        with db.engine.begin() as connection:
            connection.execute(statement)
    finally:
        g.write_transaction = previous
