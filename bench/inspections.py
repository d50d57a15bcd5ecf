"""Benchmark: the compliance dashboard and the sign-off queue over a school year.

    .venv/bin/python -m bench.inspections [--database-url URL] [--runs 7]

Seeds a half-year school and a full-year school in a fresh database, then serves each
page several times through the app (the server's time, no network) and counts the SQL
statements of one request. The query count must not grow with the number of inspections.
"""

import argparse
import time

import sqlalchemy as sa

from bench.common import QueryCounter, measure, migrated_app
from bench.seed import TODAY, YEAR_END, YEAR_START, seed_year
from portal.extensions import db
from portal.models import Inspection, InspectionStatus, User


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app, url = migrated_app(args.database_url, "portal-bench-")
    schools = []
    with app.app_context():
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
