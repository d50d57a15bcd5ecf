"""Benchmark: the routine (the periodic task, every 5 minutes) for a county of schools.

    .venv/bin/python -m bench.reminders [--database-url URL] [--schools 200] [--runs 5]

Seeds ``--schools`` schools through the services, each with its office, four canteen
workers and a keeper, a term, today's lunch menu of four dishes (every other school has kept
its samples), a fridge read once, a roster of one student, a dormitory room, a posted rule,
two certificates expiring within the month. Then runs the whole routine (planning, the due
rules of every school, email and group messages, catching up) at moments of one school day:
the first run of the day, the run that prompts lunch (12:30), quiet runs that find nothing
new, and the run that escalates what is still missing when lunch ends (13:00). Prints the
time of each run and its SQL statements, per school too.
"""

import argparse
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bench.common import QueryCounter, ensure_database, migrated_app
from bench.seed import PASSWORD
from portal import routine
from portal.extensions import db
from portal.models import (
    Certificate,
    ColdUnit,
    ColdUnitKind,
    DormRoom,
    Meal,
    MenuDish,
    Reminder,
    Role,
    Rule,
    RuleCategory,
    Student,
    TemperatureReading,
    Term,
)
from portal.models.nutrition import ChangeKind
from portal.services import canteen, certificates, cold_chain, enrolment, records, rules, schools, users

DAY = date(2026, 11, 25)  # a Wednesday of the autumn term
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour, minute=0):
    return datetime.combine(DAY, clock(hour, minute), tzinfo=SHANGHAI).astimezone(UTC)


def seed_school(number):
    school = schools.create_school(None, name=f"第{number}中学", county="郧西县")
    db.session.add(
        Term(school_id=school.id, name="2026年秋季学期", starts_on=date(2026, 9, 1), ends_on=date(2027, 1, 22))
    )

    people = []

    def person(role, name, **flags):
        people.append(
            users.create_user(
                None,
                username=f"s{number}-{len(people)}",
                display_name=name,
                password=PASSWORD,
                roles=[role],
                school=school,
                **flags,
            )
        )
        return people[-1]

    person(Role.PRINCIPAL, "校长")
    director = person(Role.DIRECTOR, "主任")
    clerk = person(Role.SCHOOL_ADMIN, "干事")
    cooks = [person(Role.STAFF, f"厨师{n}", canteen_worker=True) for n in range(4)]
    keeper = person(Role.STAFF, "库管", canteen_worker=True)
    morning = at(8)
    for n in range(4):
        dish = MenuDish(school_id=school.id, day=DAY, meal=Meal.LUNCH, name=f"菜{n}")
        canteen.save_dish(director, dish, None, now=morning)
        if number % 2:
            canteen.record_sample(keeper, dish, 150, now=at(11, 50))
    unit = ColdUnit(school_id=school.id, name="冷藏冰箱", kind=ColdUnitKind.REFRIGERATOR, created_on=date(2026, 9, 1))
    cold_chain.save_unit(None, unit, None)
    reading = TemperatureReading(school_id=school.id, unit=unit, day=DAY, round=1, temperature_c=Decimal("4"))
    cold_chain.record_reading(keeper, reading, now=at(9))
    student = Student(school_id=school.id, register_number=f"G{number:015d}", name="张小明", class_name="七(1)班")
    records.save_record(clerk, student, None)
    enrolment.record_change(clerk, student, ChangeKind.ENROLLED, date(2026, 9, 1), "名册导入", now=at(9))
    db.session.add(DormRoom(school_id=school.id, building="1号楼", floor=1, number="101"))
    rule = Rule(
        school_id=school.id, title="食品安全管理制度", category=RuleCategory.FOOD_SAFETY, posted_locations=["kitchen"]
    )
    rules.save_rule(None, rule, None, body="第一条 保持清洁。", effective_on=date(2026, 9, 1))
    rules.post_rule(None, rule)
    kind = db.session.scalar(
        sa.select(certificates.CertificateKind).where(certificates.CertificateKind.school_id == school.id)
    )
    for n, cook in enumerate(cooks[:2]):
        certificate = Certificate(
            school_id=school.id,
            holder=cook,
            kind=kind,
            number=f"JK{number}-{n}",
            issuing_authority="县疾控中心",
            issued_on=date(2025, 12, 20),
            expires_on=DAY + timedelta(days=10 + n),
        )
        certificates.save_certificate(None, certificate, None)
    db.session.commit()


def timed(counter, moment):
    counter.count = 0
    started = time.perf_counter()
    routine.run(now=moment)
    return (time.perf_counter() - started) * 1000, counter.count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.database_url:
        ensure_database(args.database_url)
    app, url = migrated_app(args.database_url, "portal-bench-reminders-")
    with app.app_context():
        started = time.perf_counter()
        for number in range(1, args.schools + 1):
            seed_school(number)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        print(f"database: {url.split(':')[0]}; {args.schools} schools seeded in {time.perf_counter() - started:.0f} s")
        counter = QueryCounter(db.engine)
        rows = [("first run of the day, 07:00", *timed(counter, at(7)))]
        rows.append(("prompts lunch, 12:30", *timed(counter, at(12, 30))))
        quiet = [timed(counter, at(12, 35 + 5 * n)) for n in range(args.runs)]
        rows.append((f"nothing new, median of {args.runs}", statistics.median(t for t, _ in quiet), quiet[0][1]))
        rows.append(("escalates lunch, 13:00", *timed(counter, at(13))))
        reminders = db.session.scalar(sa.select(sa.func.count()).select_from(Reminder))
    print(f"{reminders} gaps prompted in all")
    print(f"{'routine run':<32} {'ms':>9} {'ms/school':>10} {'queries':>8} {'q/school':>9}")
    for label, ms, queries in rows:
        print(f"{label:<32} {ms:>9.0f} {ms / args.schools:>10.1f} {queries:>8} {queries / args.schools:>9.1f}")


if __name__ == "__main__":
    main()
