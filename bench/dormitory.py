"""Benchmark: the weekly dormitory ranking, the day's page and the daily notice after a
semester of daily checks.

    .venv/bin/python -m bench.dormitory [--database-url URL] [--runs 7]

Seeds one boarding school with 60 rooms of six beds (twenty classes), every room checked on
every school day of a semester (about 95 days, 5,700 checks, a deduction in a third of them),
inserted in bulk: the services' checks are tested elsewhere. Measures the last week's
ranking page and its PDF, the day's page and the day's notice: server time (median) and SQL
statements of one request.
"""

import argparse
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bench.common import QueryCounter, measure, migrated_app
from bench.seed import PASSWORD
from portal.extensions import db
from portal.models import DormBed, DormCheck, DormRoom, Role, SchoolClass, Term
from portal.services import calendar, dormitory, schools, users

SEMESTER = (date(2026, 3, 2), date(2026, 7, 10))
SHANGHAI = ZoneInfo("Asia/Shanghai")
ROOMS, BEDS, CLASSES = 60, 6, 20


def seed():
    school = schools.create_school(None, name="寄宿学校", county="郧西县")
    term = Term(school_id=school.id, name="2026年春季学期", starts_on=SEMESTER[0], ends_on=SEMESTER[1])
    db.session.add(term)
    manager = users.create_user(
        None,
        username="dorm",
        display_name="宿管",
        password=PASSWORD,
        roles=[Role.STAFF],
        school=school,
        dormitory_manager=True,
    )
    classes = [SchoolClass(school_id=school.id, name=f"{n // 10 + 7}年级{n % 10 + 1}班") for n in range(CLASSES)]
    rooms = [
        DormRoom(
            school_id=school.id,
            building=f"{n // 30 + 1}号楼",
            floor=n % 30 // 10 + 1,
            number=f"{n % 30 // 10 + 1}{n % 10 + 1:02d}",
        )
        for n in range(ROOMS)
    ]
    db.session.add_all([*classes, *rooms])
    db.session.flush()
    db.session.add_all(
        DormBed(
            school_id=school.id,
            term=term,
            room=room,
            bed=str(bed),
            student_name=f"学生{n}{bed}",
            school_class=classes[n % CLASSES],
        )
        for n, room in enumerate(rooms)
        for bed in range(1, BEDS + 1)
    )
    items = dormitory.standard_of(school.id)
    school_days = calendar.load(school.id, *SEMESTER).school_days(*SEMESTER)
    rows = []
    for day_number, day in enumerate(school_days):
        moment = datetime.combine(day, clock(21, 30), tzinfo=SHANGHAI).astimezone(UTC)
        for n, room in enumerate(rooms):
            deducted = (day_number + n) % 3 == 0
            item = items[(day_number + n) % len(items)]
            rows.append(
                {
                    "school_id": school.id,
                    "day": day,
                    "room_id": room.id,
                    "deductions": [{"item": item.text, "points": 5, "of": item.points, "note": ""}] if deducted else [],
                    "full_score": 100,
                    "score": 95 if deducted else 100,
                    "note": "",
                    "checked_by_id": manager.id,
                    "recorded_at": moment,
                    "locks_at": moment + timedelta(days=1),
                    "keep_until": day.replace(year=day.year + 2),
                    "withdrawal_reason": "",
                }
            )
    db.session.execute(sa.insert(DormCheck), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return len(rows), school_days[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app, url = migrated_app(args.database_url, "portal-bench-dormitory-")
    with app.app_context():
        counter = QueryCounter(db.engine)
        checks, last_day = seed()
    week = last_day.isoformat()
    pages = [
        ("weekly ranking", f"/dormitory/ranking?week={week}"),
        ("ranking PDF", f"/dormitory/ranking.pdf?week={week}"),
        ("the day's rooms", f"/dormitory?day={week}"),
        ("daily notice", f"/dormitory/notice?day={week}"),
        ("notice PDF", f"/dormitory/notice.pdf?day={week}"),
    ]
    print(f"database: {url.split(':')[0]}; {ROOMS} rooms, {checks} checks in the semester; median of {args.runs} runs")
    print(f"{'page':<18} {'ms':>8} {'queries':>8}")
    for label, path in pages:
        ms, queries = measure(app, counter, "dorm", path, args.runs)
        print(f"{label:<18} {ms:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
