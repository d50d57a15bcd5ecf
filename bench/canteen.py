"""Benchmark: today's board and the history calendar over a school year of canteen ledgers.

    .venv/bin/python -m bench.canteen [--database-url URL] [--runs 7]

Seeds one school serving three meals a day with eight dishes a meal, each sampled, each
meal's tableware disinfected and accompanied by a leader, ten rostered workers checked every
morning, two deliveries of three items a day, six rooms disinfected and checked weekly, on
every canteen day of a school year. Then serves, through the app, the board of a day early in the year
and of a day late in it, and the history calendar of an early and a late month: server
time (median) and the SQL statements of one request. Neither may grow with the days.
"""

import argparse
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.common import QueryCounter, measure, migrated_app
from bench.seed import PASSWORD
from portal.extensions import db
from portal.models import (
    AccompaniedMeal,
    CanteenRoom,
    Delivery,
    DeliveryItem,
    DeliveryResult,
    DisinfectionMethod,
    FoodSample,
    Meal,
    MenuDish,
    MorningCheck,
    Opinion,
    PreventionCheck,
    Role,
    RoomDisinfection,
    RoomKind,
    Supplier,
    Term,
    User,
)
from portal.models import TablewareDisinfection as Disinfection
from portal.services import calendar, schools, users

YEAR = (date(2025, 9, 1), date(2026, 7, 10))
SHANGHAI = ZoneInfo("Asia/Shanghai")


def seed(school=None, director=None):
    """Rows are added directly (the services' checks are tested elsewhere); a year of them
    through the services would make the benchmark slow to start, not the pages slower.
    Without a school, a boarding school with its director is made first."""
    if school is None:
        school = schools.create_school(None, name="寄宿学校", county="郧西县")
        db.session.add(Term(school_id=school.id, name="2025-2026学年", starts_on=YEAR[0], ends_on=YEAR[1]))
        director = users.create_user(
            None, username="director", display_name="主任", password=PASSWORD, roles=[Role.DIRECTOR], school=school
        )
    settings = school.settings
    settings.serves_breakfast = settings.serves_lunch = settings.serves_dinner = True
    workers = [
        users.create_user(
            None,
            username=f"{school.id}-canteen{n}",
            display_name=f"工友{n}",
            password=PASSWORD,
            roles=[Role.STAFF],
            school=school,
            canteen_worker=True,
        )
        for n in range(10)
    ]
    supplier = Supplier(school_id=school.id, name="粮油公司", licence_number="JY1", licence_expires_on=YEAR[1])
    rooms = [
        CanteenRoom(school_id=school.id, name=f"库房{n}", kind=RoomKind.STOREROOM, created_on=YEAR[0]) for n in range(6)
    ]
    db.session.add_all([supplier, *rooms])
    db.session.flush()
    school_calendar = calendar.load(school.id, *YEAR)
    days = [day for day in calendar.days_between(*YEAR) if school_calendar.is_canteen_day(day)]
    for day in days:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=SHANGHAI).astimezone(UTC)
        for meal in Meal:
            dishes = [MenuDish(school_id=school.id, day=day, meal=meal, name=f"菜{n}") for n in range(8)]
            db.session.add_all(dishes)
            db.session.flush()
            db.session.add_all(
                FoodSample(school_id=school.id, dish=dish, grams=130, retained_at=noon, retained_by=workers[0])
                for dish in dishes
            )
            db.session.add(
                Disinfection(
                    school_id=school.id,
                    day=day,
                    meal=meal,
                    method=DisinfectionMethod.STEAM,
                    temperature_c=100,
                    duration_seconds=600,
                    done_by=workers[1],
                )
            )
            opinions = dict.fromkeys(("taste", "temperature", "hygiene", "quantity"), Opinion.GOOD)
            db.session.add(AccompaniedMeal(school_id=school.id, day=day, meal=meal, leader=director, **opinions))
        for _ in range(2):
            items = [
                DeliveryItem(school_id=school.id, name=f"食材{n}", quantity=10, unit="kg", shelf_life_days=3)
                for n in range(3)
            ]
            db.session.add(
                Delivery(
                    school_id=school.id,
                    day=day,
                    supplier=supplier,
                    result=DeliveryResult.ACCEPTED,
                    acceptors=[workers[2]],
                    recorded_by=workers[2],
                    items=items,
                )
            )
        if day.weekday() == 0:
            for room in rooms:
                db.session.add(
                    RoomDisinfection(school_id=school.id, room=room, day=day, method="紫外线", done_by=director)
                )
                db.session.add(
                    PreventionCheck(
                        school_id=school.id,
                        room=room,
                        day=day,
                        rodents_ok=True,
                        flies_ok=True,
                        insects_ok=True,
                        dust_ok=True,
                        checked_by=director,
                    )
                )
        db.session.add_all(
            MorningCheck(
                school_id=school.id,
                day=day,
                worker=worker,
                temperature_c=36.5,
                fit=True,
                on_duty=True,
                checked_by=director,
            )
            for worker in workers
        )
    db.session.commit()
    return len(days)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app, url = migrated_app(args.database_url, "portal-bench-canteen-")
    with app.app_context():
        started = time.perf_counter()
        canteen_days = seed()
        seeded = time.perf_counter() - started
        rows = db.session.query(MenuDish).count() + db.session.query(FoodSample).count()
        for model in (Disinfection, MorningCheck, AccompaniedMeal, Delivery, DeliveryItem, RoomDisinfection):
            rows += db.session.query(model).count()
        rows += db.session.query(PreventionCheck).count()
        assert db.session.query(User).count() == 11
        counter = QueryCounter(db.engine)
    early, late = YEAR[0] + timedelta(days=2), YEAR[1] - timedelta(days=2)
    pages = [
        ("board, 3rd day", f"/canteen?day={early.isoformat()}"),
        ("board, 3rd-last day", f"/canteen?day={late.isoformat()}"),
        ("calendar, first month", f"/canteen/calendar?month={early.strftime('%Y-%m')}"),
        ("calendar, last month", f"/canteen/calendar?month={late.strftime('%Y-%m')}"),
    ]
    print(
        f"database: {url.split(':')[0]}; {canteen_days} canteen days, {rows} ledger rows, "
        f"seeded in {seeded:.0f} s; median of {args.runs} runs"
    )
    print(f"{'page':<24} {'ms':>8} {'queries':>8}")
    for label, path in pages:
        milliseconds, queries = measure(app, counter, "director", path, args.runs)
        print(f"{label:<24} {milliseconds:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
