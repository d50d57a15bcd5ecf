"""What the page benchmarks share: a fresh, migrated database and timed requests through
the app with their SQL statements counted."""

import gc
import os
import statistics
import tempfile
import time

import sqlalchemy as sa
from flask_migrate import upgrade

from bench.seed import PASSWORD
from portal import create_app
from portal.extensions import db

SECRET = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105 - a throwaway benchmark app
AUDIT_KEY = "bench-audit-key-0123456789abcdef0123456789"


class QueryCounter:
    def __init__(self, engine):
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def measure(app, counter, username, url, runs):
    """(median ms, queries of one request)."""
    times, queries = timings(app, counter, username, url, runs)
    return statistics.median(times), queries


def timings(app, counter, username, url, runs):
    """([ms of each run], queries of one request), after a warm-up request; None when the
    user may not open the page."""
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"login of {username} failed"
    if client.get(url).status_code == 403:  # warm up (templates, planning on demand)
        return None
    gc.collect()
    gc.freeze()  # as deploy/gunicorn.conf.py does in each worker
    times = []
    for _ in range(runs):
        counter.count = 0
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, counter.count


def p95(times):
    return statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]


def ensure_database(url):
    """The PostgreSQL database of ``url``, created when it does not exist yet."""
    server, name = url.rsplit("/", 1)
    engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()


def migrated_app(database_url, prefix, keep=False):
    """The app on an empty, migrated database: the PostgreSQL one given (emptied first, unless
    ``keep``: what an earlier run left, measured again) or a new SQLite file. Returns the app
    and its database URL."""
    folder = tempfile.mkdtemp(prefix=prefix)
    url = database_url or "sqlite:///" + os.path.join(folder, "bench.sqlite3")
    app = create_app(
        {
            "SECRET_KEY": SECRET,
            "AUDIT_KEY": AUDIT_KEY,
            "DATABASE_URL": url,
            "PASSWORD_HASH_PROFILE": "cheap",
            "UPLOAD_FOLDER": folder,
            "WTF_CSRF_ENABLED": False,
            "QUEUE_URL": "immediate",
        }
    )
    with app.app_context():
        if database_url and not keep:
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
        upgrade()
    return app, url
