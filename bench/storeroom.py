"""Benchmark: the storeroom pages and the board over a school year of stock movements.

    .venv/bin/python -m bench.storeroom [--database-url URL] [--runs 7]

Seeds one school with 200 stock items, each received in a batch every ten canteen days and
issued three times a day (breakfast, lunch, dinner) on every canteen day, with two fridges
read twice a day. Measures the storeroom page, the stock-out page, the board and the month's
food cost after the first month of movements and again after the whole year: server time
(median) and SQL statements of one request. Neither may grow with the days.
"""

import argparse
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bench.common import QueryCounter, measure, migrated_app
from bench.seed import PASSWORD
from portal.extensions import db
from portal.models import (
    ColdUnit,
    ColdUnitKind,
    Meal,
    Role,
    StockBalance,
    StockBatch,
    StockIssue,
    StockItem,
    TemperatureReading,
    Term,
)
from portal.services import calendar, schools, users
from portal.timeutil import school_today

YEAR = (date(2025, 9, 1), date(2026, 7, 10))
SHANGHAI = ZoneInfo("Asia/Shanghai")
ITEMS = 200
BATCH_EVERY = 10  # canteen days
ISSUED = Decimal(2)  # per issue


def _locks(day):
    return datetime.combine(day + timedelta(days=1), clock(22), tzinfo=SHANGHAI).astimezone(UTC)


def make_school():
    school = schools.create_school(None, name="寄宿学校", county="郧西县")
    db.session.add(Term(school_id=school.id, name="2025-2026学年", starts_on=YEAR[0], ends_on=YEAR[1]))
    settings = school.settings
    settings.serves_breakfast = settings.serves_lunch = settings.serves_dinner = True
    keeper = users.create_user(
        None, username="keeper", display_name="保管员", password=PASSWORD, roles=[Role.STAFF], school=school
    )
    users.create_user(
        None, username="director", display_name="主任", password=PASSWORD, roles=[Role.DIRECTOR], school=school
    )
    items = [StockItem(school_id=school.id, name=f"食材{n:03d}", unit="kg") for n in range(ITEMS)]
    units = [
        ColdUnit(school_id=school.id, name=name, kind=kind, highest_c=highest, lowest_c=lowest, created_on=YEAR[0])
        for name, kind, lowest, highest in (
            ("冷藏冰箱", ColdUnitKind.REFRIGERATOR, Decimal(0), Decimal(8)),
            ("冷冻冰柜", ColdUnitKind.FREEZER, None, Decimal(-18)),
        )
    ]
    db.session.add_all([*items, *units])
    db.session.commit()
    days = [day for day in calendar.days_between(*YEAR) if calendar.load(school.id, *YEAR).is_canteen_day(day)]
    return school, keeper, items, units, days


def seed(school, keeper, items, units, days, first_index):
    """Movements of ``days`` (canteen days, the first of them number ``first_index`` of the
        year), inserted in bulk: the services' checks are tested elsewhere. Each batch holds
        what its ten days issue and a little more; the older batches are then taken as used up, so
    the book holds one batch on hand per item after any number of days."""
    common = {"school_id": school.id, "withdrawal_reason": "", "recorded_at": datetime.now(UTC)}
    for index, day in enumerate(days, start=first_index):
        keep = {"locks_at": _locks(day), "keep_until": day.replace(year=day.year + 2)}
        if index % BATCH_EVERY == 0:
            quantity = ISSUED * 3 * BATCH_EVERY + 10  # what its days issue, and some over
            db.session.execute(
                sa.insert(StockBatch),
                [
                    {
                        **common,
                        **keep,
                        "item_id": item.id,
                        "day": day,
                        "quantity": quantity,
                        "unit_price": Decimal("6.50"),
                        "batch": "",
                        "storeroom": "主食库",
                        "put_away_by_id": keeper.id,
                    }
                    for item in items
                ],
            )
            batches = db.session.execute(
                sa.select(StockBatch.id, StockBatch.item_id).where(StockBatch.day == day)
            ).all()
            db.session.execute(sa.update(StockBalance).values(on_hand=0))  # the previous batches are used up
            db.session.execute(
                sa.insert(StockBalance),
                [
                    {"school_id": school.id, "batch_id": batch_id, "item_id": item_id, "on_hand": quantity}
                    for batch_id, item_id in batches
                ],
            )
            current = [batch_id for batch_id, _item in batches]
        db.session.execute(
            sa.insert(StockIssue),
            [
                {
                    **common,
                    **keep,
                    "batch_id": batch_id,
                    "day": day,
                    "meal": meal,
                    "quantity": ISSUED,
                    "reason": "",
                    "issued_by_id": keeper.id,
                }
                for batch_id in current
                for meal in Meal
            ],
        )
        db.session.execute(
            sa.update(StockBalance)
            .where(StockBalance.batch_id.in_(current))
            .values(on_hand=StockBalance.on_hand - ISSUED * 3)
        )
        db.session.execute(
            sa.insert(TemperatureReading),
            [
                {
                    **common,
                    **keep,
                    "unit_id": unit.id,
                    "day": day,
                    "round": round_,
                    "temperature_c": Decimal("4.0") if unit.kind is ColdUnitKind.REFRIGERATOR else Decimal(-20),
                    "out_of_range": False,
                    "action": "",
                    "read_by_id": keeper.id,
                }
                for unit in units
                for round_ in (1, 2)
            ],
        )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # what autovacuum does between the days of a real year
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")


def _pages(day):
    """The stock-out page takes today or the week before only: it is measured for today (the
    item and batch lists it offers are what costs there)."""
    return [
        ("storeroom", "/storeroom", "keeper"),
        ("stock out, today", f"/storeroom/{school_today().isoformat()}/out", "keeper"),
        ("board", f"/canteen?day={day.isoformat()}", "director"),
        ("food cost, month", f"/storeroom/food-cost?month={day.strftime('%Y-%m')}", "director"),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app, url = migrated_app(args.database_url, "portal-bench-storeroom-")
    with app.app_context():
        school, keeper, items, units, days = make_school()
        counter = QueryCounter(db.engine)
    month = 20  # canteen days
    results = {}
    for label, seeded_days in (("first month", days[:month]), ("whole year", days[month:])):
        with app.app_context():
            school, keeper = db.session.merge(school), db.session.merge(keeper)
            items = [db.session.merge(item) for item in items]
            units = [db.session.merge(unit) for unit in units]
            started = time.perf_counter()
            seed(school, keeper, items, units, seeded_days, first_index=days.index(seeded_days[0]))
            took = time.perf_counter() - started
            issues = db.session.scalar(sa.select(sa.func.count()).select_from(StockIssue))
        results[label] = [
            (page, *measure(app, counter, user, path, args.runs)) for page, path, user in _pages(seeded_days[-1])
        ]
        print(f"after the {label}: {issues} issues, seeded in {took:.0f} s")
    print(f"database: {url.split(':')[0]}; {ITEMS} items; median of {args.runs} runs")
    print(f"{'page':<18} {'ms (month)':>11} {'ms (year)':>10} {'queries':>8}")
    for (page, month_ms, month_queries), (_page, year_ms, year_queries) in zip(
        results["first month"], results["whole year"], strict=True
    ):
        queries = f"{month_queries}/{year_queries}"
        print(f"{page:<18} {month_ms:>11.1f} {year_ms:>10.1f} {queries:>8}")


if __name__ == "__main__":
    main()
