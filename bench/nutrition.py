"""Benchmark: the county's nutrition-plan page at 10, 50 and 200 schools.

    .venv/bin/python -m bench.nutrition [--database-url URL] [--sizes 10 50 200] [--students 500] [--runs 7]

Each school gets a roster of ``--students`` students on the roster and eligible since the
first day of the school year (two changes each), a transfer out a week in each month, the
daily report of every school day, and September's reconciliation signed. Rows are inserted
in bulk (the services' rules are tested elsewhere). The page is measured for October (a
signed September before it) as the county admin: median of ``--runs`` requests and the
SQL statements of one. The statements must not grow with the schools.
"""

import argparse
import time
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from bench.common import QueryCounter, measure, migrated_app
from bench.seed import PASSWORD
from portal.extensions import db
from portal.models import ChangeKind, DailyReport, EnrolmentChange, Reconciliation, Role, Student, Term
from portal.services import calendar, schools, users

YEAR = (date(2025, 9, 1), date(2026, 1, 20))
MONTH = date(2025, 10, 1)
NOW = datetime(2025, 11, 5, 4, tzinfo=UTC)


def add_school(number, students):
    school = schools.create_school(None, name=f"第{number:03d}学校", county="郧西县")
    db.session.add(Term(school_id=school.id, name="2025年秋季学期", starts_on=YEAR[0], ends_on=YEAR[1]))
    clerk = users.create_user(
        None,
        username=f"clerk{number}",
        display_name="干事",
        password=PASSWORD,
        roles=[Role.SCHOOL_ADMIN],
        school=school,
    )
    db.session.flush()
    common = {"school_id": school.id, "withdrawal_reason": "", "recorded_at": NOW, "locks_at": NOW}
    db.session.execute(
        sa.insert(Student),
        [
            {
                "school_id": school.id,
                "register_number": f"G{number:03d}{n:07d}",
                "name": f"学生{n}",
                "class_name": f"{n % 12 + 1}班",
                "enrolled": True,
                "eligible": True,
                "created_at": NOW,
            }
            for n in range(students)
        ],
    )
    ids = db.session.scalars(sa.select(Student.id).where(Student.school_id == school.id)).all()
    changes = [
        {
            **common,
            "student_id": sid,
            "kind": kind,
            "effective_on": YEAR[0],
            "day": YEAR[0],
            "keep_until": date(2027, 9, 1),
            "document_ref": "",
            "recorded_by_id": clerk.id,
        }
        for sid in ids
        for kind in (ChangeKind.ENROLLED, ChangeKind.ELIGIBLE)
    ]
    changes += [
        {
            **common,
            "student_id": ids[month],
            "kind": ChangeKind.TRANSFER_OUT,
            "effective_on": date(2025, month, 8),
            "day": date(2025, month, 8),
            "keep_until": date(2027, 9, 1),
            "document_ref": "转学",
            "recorded_by_id": clerk.id,
        }
        for month in (9, 10, 11)
    ]
    db.session.execute(sa.insert(EnrolmentChange), changes)
    db.session.execute(sa.update(Student).where(Student.id.in_(ids[9:12])).values(enrolled=False))  # as they left
    school_calendar = calendar.load(school.id, YEAR[0], NOW.date())
    db.session.execute(
        sa.insert(DailyReport),
        [
            {
                **common,
                "day": day,
                "eligible": students,
                "lunch_diners": students - 3,
                "staff_diners": 0,
                "other_student_diners": 0,
                "platform_ref": "",
                "late": False,
                "reported_by_id": clerk.id,
                "keep_until": date(2027, 9, 1),
            }
            for day in calendar.days_between(YEAR[0], date(2025, 11, 4))
            if school_calendar.is_school_day(day)
        ],
    )
    db.session.add(
        Reconciliation(
            school_id=school.id,
            month=date(2025, 9, 1),
            student_days=students * 21,
            entitlement=Decimal(students * 21 * 5),
            earlier_months_change=Decimal(0),
            spending=Decimal(students * 100),
            tolerance=Decimal(100),
            explanation="",
            signed_by_id=clerk.id,
            signed_at=NOW,
        )
    )
    db.session.commit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-analyze", action="store_true", help="measure before the statistics are fresh")
    args = parser.parse_args()
    app, url = migrated_app(args.database_url, "portal-bench-nutrition-")
    with app.app_context():
        users.create_user(None, username="county", display_name="县", password=PASSWORD, roles=[Role.COUNTY_ADMIN])
        db.session.commit()
        counter = QueryCounter(db.engine)
    made = 0
    print(f"database: {url.split(':')[0]}; {args.students} students a school; median of {args.runs} runs")
    print(f"{'schools':>8} {'seeded s':>9} {'ms':>8} {'queries':>8}")
    for size in args.sizes:
        started = time.perf_counter()
        with app.app_context():
            for number in range(made, size):
                add_school(number, args.students)
            if db.engine.dialect.name == "postgresql" and not args.no_analyze:  # as autovacuum would
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.exec_driver_sql("ANALYZE")
        made = size
        seeded = time.perf_counter() - started
        milliseconds, queries = measure(app, counter, "county", f"/nutrition/county?month={MONTH:%Y-%m}", args.runs)
        print(f"{size:>8} {seeded:>9.0f} {milliseconds:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
