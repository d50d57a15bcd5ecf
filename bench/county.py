"""Benchmark: a county of many schools on PostgreSQL, each with a school year of records.

    .venv/bin/python -m bench.county [--database-url URL] [--sizes 10 50 200] [--runs 15] [--pages county]
    .venv/bin/python -m bench.county --again [--pages audit]    # the schools the last run left

One school is seeded through the services (inspections, tasks, sign-offs, training,
certificates, rules) with a year of canteen ledgers added directly; it is then copied inside
PostgreSQL (bench/bulk.py) up to each size, and every school's days are summarised as the
routine would have (services/day_summaries.py). At each size every county page and every admin
list is served through the app as the county admin (the auditor's home and compliance too),
and a school's own compliance year and sign-off queue as its principal: median and p95 of
``--runs`` requests, and the SQL statements of one request. The query counts must not grow
with the number of schools.
"""

import argparse
import statistics
import time

import sqlalchemy as sa

from bench import canteen, seed
from bench.bulk import copy_schools, offsets
from bench.common import QueryCounter, ensure_database, migrated_app, p95, timings
from portal.extensions import db
from portal.models import FoodSample, Inspection, Role, School, User
from portal.services import day_summaries, users

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
YEAR = f"range=custom&from={seed.YEAR_START.isoformat()}&to={seed.YEAR_END.isoformat()}"


def _seed_template():
    school = seed.seed_year("县第一中学", "t")
    director = db.session.scalar(sa.select(User).where(User.username == "t-director"))
    canteen.seed(school, director)
    for role in (Role.COUNTY_ADMIN, Role.COUNTY_AUDITOR):
        users.create_user(None, username=role.value, display_name=str(role.label), password=seed.PASSWORD, roles=[role])
    db.session.commit()


def _admin_pages(app):
    """Every admin list, and the searches and sorts the issue measured."""
    pages = []
    for view in app.extensions["admin"][0]._views:
        if getattr(view, "model", None) is None:
            continue
        pages.append((f"admin: {view.endpoint}", f"{view.url}/"))
        if view.endpoint == "food_samples":
            pages.append(("admin: food samples, search a dish", f"{view.url}/?search=菜3"))
        if view.endpoint == "audit_events":
            pages.append(("admin: audit log, search 'sign'", f"{view.url}/?search=sign"))
            with app.test_request_context():
                names = [name for name, _label in view.get_list_columns()]
                sortable = view.get_sortable_columns()
                if "actor_name" in sortable:
                    pages.append(("admin: audit log, sort by actor", f"{view.url}/?sort={names.index('actor_name')}"))
    return pages


# A school's own lists of the tables that grow every day, as its principal reads them: each
# must read that school's rows only, never scan the other schools'.
SCHOOL_LISTS = ("food_samples", "morning_checks", "tableware_disinfections", "accompanied_meals", "audit_events")


def _pages(app, principal):
    county = [
        ("county home", Role.COUNTY_ADMIN.value, "/"),
        ("county compliance, this week", Role.COUNTY_ADMIN.value, "/compliance"),
        ("county compliance, term", Role.COUNTY_ADMIN.value, "/compliance?range=term"),
        ("county compliance, school year", Role.COUNTY_ADMIN.value, f"/compliance?{YEAR}"),
        ("auditor home", Role.COUNTY_AUDITOR.value, "/"),
        ("auditor compliance, school year", Role.COUNTY_AUDITOR.value, f"/compliance?{YEAR}"),
        ("school compliance, school year", principal, f"/compliance?{YEAR}"),
        ("school sign-off queue", principal, "/sign-off"),
    ]
    school_lists = [(f"school's list: {name}", principal, f"/admin/{name}/") for name in SCHOOL_LISTS]
    return county + school_lists + [(label, Role.COUNTY_ADMIN.value, url) for label, url in _admin_pages(app)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pages", nargs="*", default=[], help="measure only pages whose label holds one of these")
    parser.add_argument("--again", action="store_true", help="measure the schools the last run left, copying none")
    args = parser.parse_args()
    ensure_database(args.database_url)
    app, _url = migrated_app(args.database_url, "portal-bench-county-", keep=args.again)
    with app.app_context():
        started = time.perf_counter()
        if args.again:
            args.sizes = [db.session.scalar(sa.select(sa.func.count()).select_from(School))]
        else:
            _seed_template()
            print(f"template school seeded through the services in {time.perf_counter() - started:.0f} s")
        with db.engine.connect() as connection:
            shifts = None if args.again else offsets(connection)
        counter = QueryCounter(db.engine)
        engine = db.engine
    pages = [page for page in _pages(app, "t-principal") if _chosen(page[0], args.pages)]
    results, copied = {}, 0
    for size in args.sizes:
        started = time.perf_counter()
        if not args.again:
            copy_schools(engine, shifts, range(copied + 1, size), max(args.sizes))
        copied = size - 1
        with app.app_context():
            summarising = time.perf_counter()
            days = day_summaries.summarise_all()  # what the routine keeps up to date on a server
            print(f"{days} days of {size} schools summarised in {time.perf_counter() - summarising:.0f} s")
            counts = {
                model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
                for model in (School, Inspection, FoodSample)
            }
        print(f"{size} schools ({counts}), copied in {time.perf_counter() - started:.0f} s")
        for label, username, url in pages:
            measured = timings(app, counter, username, url, args.runs)
            if measured is not None:  # the county admin may not open a school's settings
                times, queries = measured
                results.setdefault(label, {})[size] = (statistics.median(times), p95(times), queries)
    _print(results, args)


def _chosen(label, parts):
    return not parts or any(part in label for part in parts)


def _print(results, args):
    print(f"PostgreSQL; median / p95 ms and queries of one request, {args.runs} runs")
    header = "".join(f" | {size} schools: median, p95, queries" for size in args.sizes)
    print(f"| page{header} |")
    print("|---" * (len(args.sizes) + 1) + "|")
    for label, by_size in results.items():
        cells = "".join(f" | {by_size[size][0]:.0f}, {by_size[size][1]:.0f}, {by_size[size][2]}" for size in args.sizes)
        print(f"| {label}{cells} |")


if __name__ == "__main__":
    main()
