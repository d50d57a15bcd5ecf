"""The suite's databases: one per test process, emptied after every test.

Under pytest-xdist each worker (gw0, gw1, ...) has a database of its own: a SQLite file of
its own, or a PostgreSQL database named after the worker (test_gw0, ...), created when
missing. Redis databases are handed out per worker the same way.

Emptying after every test is the price of every test starting from the freshly migrated
schema, so it is made cheap: SQLite gets the migrated file back through the backup API;
PostgreSQL deletes the rows of the tables that have any (with triggers off, as the
superuser of the test server may and the portal's own role may not, see the README) and
winds back the sequences that moved. The demo county, which several walks need, is seeded
once per process and put back the same way.
"""

import os
import re
import shutil
import sqlite3
import tempfile
from contextlib import closing

import sqlalchemy as sa

from portal.extensions import db

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... or "" without xdist
WORKER_INDEX = int(WORKER.removeprefix("gw") or 0)
SNAPSHOT_SCHEMA = "snapshot"


def worker_database_url(url):
    """``.../test`` -> ``.../test_gw1`` under xdist, created when missing."""
    if not WORKER:
        return url
    server, name = url.rsplit("/", 1)
    own = f"{name}_{WORKER}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own}):
            connection.exec_driver_sql(f'CREATE DATABASE "{own}"')
    admin.dispose()
    return f"{server}/{own}"


def redis_url(database):
    """Redis database ``database`` for the main process; workers count down in pairs (15 and
    14 for gw0, 13 and 12 for gw1...), so no two processes flush each other's queue."""
    return f"redis://127.0.0.1:6379/{database - 2 * WORKER_INDEX}"


def sqlite_file():
    """The SQLite file in memory-backed /dev/shm where there is one: SQLite still syncs every
    commit (synchronous=FULL, as in production), but a sync costs nothing there."""
    memory = "/dev/shm"  # noqa: S108 - mkdtemp makes a private directory inside it
    folder = memory if os.access(memory, os.W_OK) else None
    return os.path.join(tempfile.mkdtemp(prefix="portal-test-", dir=folder), "portal.sqlite3")


def remove_sqlite_file(url):
    shutil.rmtree(os.path.dirname(url.removeprefix("sqlite:///")), ignore_errors=True)


def reset_postgresql_schema(url):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        snapshots = connection.exec_driver_sql(
            f"SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '{SNAPSHOT_SCHEMA}_')"
        ).scalars()
        for schema in [*snapshots, "public"]:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


class Snapshot:
    """The rows of every table at one moment, to go back to after each test: a copy of the
    SQLite file, or on PostgreSQL a schema of its own holding a copy of each table."""

    def __init__(self, label):
        # The label names a file and a PostgreSQL schema: anything but letters, digits and
        # underscores would need quoting in one and escaping in the other.
        self.label = re.sub(r"\W+", "_", label).lower()

    def take(self):
        db.session.commit()
        db.session.remove()
        if _is_sqlite():
            db.engine.dispose()
            with closing(sqlite3.connect(_sqlite_path())) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            _backup(_sqlite_path(), self._file())
            return self
        with db.engine.begin() as connection:
            self.sequences = _sequence_values(connection)
            self.tables = _filled(connection)
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {self._schema()} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA {self._schema()}")
            for name in self.tables:
                connection.exec_driver_sql(f'CREATE TABLE {self._schema()}."{name}" AS TABLE public."{name}"')
        return self

    def restore(self):
        db.session.remove()
        if _is_sqlite():
            db.engine.dispose()
            # The backup API rewrites the file through SQLite itself, so a connection another
            # engine still holds (the browser tests' server) stays valid.
            _backup(self._file(), _sqlite_path())
            return
        with db.engine.begin() as connection:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            statements = [f'DELETE FROM "{name}"' for name in _filled(connection)]
            statements += [f'INSERT INTO "{name}" SELECT * FROM {self._schema()}."{name}"' for name in self.tables]
            moved = [
                (sequence, self.sequences.get(sequence))
                for sequence, value in _sequence_values(connection).items()
                if value != self.sequences.get(sequence)
            ]
            if moved:
                calls = (f"setval('{sequence}', {value or 1}, {value is not None})" for sequence, value in moved)
                statements.append("SELECT " + ", ".join(calls))
            if statements:
                connection.exec_driver_sql("; ".join(statements))

    def _file(self):
        return f"{_sqlite_path()}.{self.label}"

    def _schema(self):
        return f"{SNAPSHOT_SCHEMA}_{self.label}"


def _is_sqlite():
    return db.engine.dialect.name == "sqlite"


def _sqlite_path():
    return db.engine.url.database


def _backup(source, target):
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as destination:
        origin.backup(destination)


def _filled(connection):
    """The tables that hold any row, in one round trip."""
    probes = " UNION ALL ".join(
        f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM \"{table.name}\")" for table in db.metadata.sorted_tables
    )
    return list(connection.exec_driver_sql(probes).scalars())


def _sequence_values(connection):
    rows = connection.exec_driver_sql(
        "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
    )
    return dict(rows.all())
