"""Benchmark: the compliance dashboard and the sign-off queue over a school year.

    .venv/bin/python -m bench.inspections [--database-url URL] [--runs 7]

Seeds a half-year school and a full-year school in a fresh database, then serves each
page several times through the app (the server's time, no network) and counts the SQL
statements of one request. The query count must not grow with the number of inspections.
"""

import argparse
import os
import statistics
import tempfile
import time

import sqlalchemy as sa
from flask_migrate import upgrade

from bench.seed import PASSWORD, TODAY, YEAR_END, YEAR_START, seed_year
from portal import create_app
from portal.extensions import db
from portal.models import Inspection, InspectionStatus, User

SECRET = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105 - a throwaway benchmark app


class QueryCounter:
    def __init__(self, engine):
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def measure(app, counter, username, url, runs):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"login of {username} failed"
    client.get(url)  # warm up (templates, planning on demand)
    times = []
    for _ in range(runs):
        counter.count = 0
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, counter.count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="portal-bench-")
    url = args.database_url or "sqlite:///" + os.path.join(folder, "bench.sqlite3")
    app = create_app(
        {
            "SECRET_KEY": SECRET,
            "DATABASE_URL": url,
            "PASSWORD_HASH_PROFILE": "cheap",
            "UPLOAD_FOLDER": folder,
            "WTF_CSRF_ENABLED": False,
        }
    )
    schools = []
    with app.app_context():
        if args.database_url:
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
        upgrade()
        started = time.perf_counter()
        seeded_schools = [
            seed_year("半年学校", "half", until=TODAY.replace(month=1, day=20), sign_off_share=0.7),
            seed_year("全年学校", "full", until=YEAR_END),
        ]
        seeded = time.perf_counter() - started
        for school in seeded_schools:
            done = db.session.scalar(
                sa.select(sa.func.count()).select_from(Inspection).where(Inspection.school_id == school.id)
            )
            ready = db.session.scalar(
                sa.select(sa.func.count()).where(
                    Inspection.school_id == school.id, Inspection.status == InspectionStatus.READY_FOR_SIGN_OFF
                )
            )
            principal = db.session.scalar(
                sa.select(User.username).where(User.school_id == school.id, User.username.like("%principal"))
            )
            schools.append((school.name, done, ready, principal))
        counter = QueryCounter(db.engine)
    # Requests run outside the seeding app context, each in its own, as in production.
    rows = []
    for name, done, ready, principal in schools:
        year = f"/compliance?range=custom&from={YEAR_START.isoformat()}&to={YEAR_END.isoformat()}"
        for label, path in (("compliance (school year)", year), ("sign-off queue", "/sign-off")):
            milliseconds, queries = measure(app, counter, principal, path, args.runs)
            rows.append((name, done, ready, label, milliseconds, queries))
    print(f"database: {url.split(':')[0]}; seeded in {seeded:.0f} s; median of {args.runs} runs")
    print(f"{'school':<10} {'inspections':>11} {'ready':>6}  {'page':<26} {'ms':>8} {'queries':>8}")
    for name, done, ready, label, milliseconds, queries in rows:
        print(f"{name:<10} {done:>11} {ready:>6}  {label:<26} {milliseconds:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
