"""A school year of records for the benchmarks: about 200 director and 80 principal
inspections of 30 items each, a finding on about one item in ten, 40 training sessions,
60 certificates and 30 rules.

Inspections are created through the workflow services (start, submit, rectify, verify,
sign off); only the answers are set directly, which is what a phone's autosave does one
item at a time.
"""

import os
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from portal.extensions import db
from portal.models import (
    Certificate,
    CertificateKind,
    ItemResult,
    Role,
    Rule,
    RuleCategory,
    Term,
    TrainingAttendance,
    TrainingKind,
    TrainingSession,
)
from portal.services import certificates, inspections, planning, rectification, rules, schools, signing, training, users

PASSWORD = "bench-password"  # noqa: S105 - benchmark users only
YEAR_START, YEAR_END = date(2025, 9, 1), date(2026, 7, 10)
TODAY = date(2026, 7, 10)


def _at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


# BENCH_SEED_UNTIL=2025-09-14 cuts every seeded year short: tests/test_benches.py runs each
# benchmark that way, to see that it runs, not to measure.
SMOKE_UNTIL = os.environ.get("BENCH_SEED_UNTIL")


def seed_year(name="基准中学", prefix="bench", until=TODAY, sign_off_share=0.8, seed=7):
    """Returns the school. ``until`` cuts the year short (for the half-year comparison)."""
    if SMOKE_UNTIL:
        until = min(until, date.fromisoformat(SMOKE_UNTIL))
    rng = random.Random(seed)
    school = schools.create_school(None, name=name, county="基准县")
    people = {
        role: users.create_user(
            None,
            username=f"{prefix}-{role.value}",
            display_name=role.label,
            password=PASSWORD,
            roles=[role],
            school=school,
        )
        for role in (Role.PRINCIPAL, Role.DIRECTOR, Role.SCHOOL_ADMIN)
    }
    staff = [
        users.create_user(
            None,
            username=f"{prefix}-cook{n}",
            display_name=f"工友{n}",
            password=PASSWORD,
            roles=[Role.STAFF],
            school=school,
        )
        for n in range(12)
    ]
    db.session.flush()
    planning.save_term(
        None, Term(school_id=school.id, name="2025年秋季学期", starts_on=YEAR_START, ends_on=date(2026, 1, 23)), None
    )
    planning.save_term(
        None, Term(school_id=school.id, name="2026年春季学期", starts_on=date(2026, 2, 24), ends_on=YEAR_END), None
    )
    planning.plan(None, school, YEAR_START, until, YEAR_START)
    _seed_records(school, people, staff, rng)
    director, principal = people[Role.DIRECTOR], people[Role.PRINCIPAL]
    done = []
    for assignment in planning.assignments_between(school.id, YEAR_START, until):
        day = _day_of(assignment, rng)
        if day > until or rng.random() < 0.03:
            continue  # a few missed
        inspector = director if assignment.rule.role is Role.DIRECTOR else principal
        inspection = inspections.start_from_assignment(inspector, assignment, today=day)
        for item in inspection.items:
            failed = rng.random() < 0.1
            item.result = ItemResult.FAIL if failed else ItemResult.PASS
            item.note = "不符合要求" if failed else ""
        db.session.flush()
        responsible = {key: rng.choice(staff) for key, _text in inspections.pending_findings(inspection)}
        inspections.submit(inspector, inspection, responsible, now=_at(day, 9))
        for task in inspection.tasks:
            rectification.rectify(task.responsible, task, "已整改", now=_at(day, rng.choice((11, 15, 23))))
            rectification.verify(
                principal if inspector is director else director, task, now=_at(day + timedelta(days=1), 8)
            )
        done.append(inspection.id)
        if len(done) % 40 == 0:
            db.session.commit()
    signed = done[: int(len(done) * sign_off_share)]
    for start in range(0, len(signed), 50):
        signing.sign_off(principal, signed[start : start + 50], PASSWORD, now=_at(until, 18))
    db.session.commit()
    return school


def _day_of(assignment, rng):
    days = (assignment.window_end - assignment.window_start).days
    if days == 0:
        return assignment.window_start
    # Slot 1 early in the week, slot 2 later: always different days.
    return assignment.window_start + timedelta(days=min(days, (assignment.slot - 1) * 2 + rng.randint(0, 1)))


def _seed_records(school, people, staff, rng):
    for n in range(30):
        rule = Rule(
            school_id=school.id,
            title=f"管理制度{n + 1}",
            category=RuleCategory.FOOD_SAFETY,
            posted_locations=["kitchen"],
        )
        rules.save_rule(None, rule, None, body="第一条 ……\n第二条 ……", effective_on=YEAR_START)
        rules.post_rule(None, rule)
    everyone = staff + [people[Role.DIRECTOR]]
    for n in range(40):
        session = TrainingSession(
            school_id=school.id,
            title=f"食品安全培训{n + 1}",
            kind=TrainingKind.WEEKLY_MEETING if n % 4 else TrainingKind.SCHOOL_TRAINING,
            starts_at=_at(YEAR_START + timedelta(days=7 * n), 16),
            hours=Decimal("1.5"),
        )
        for person in everyone:
            session.attendances.append(TrainingAttendance(user=person))
        training.save_session(None, session, None)
    kind = db.session.scalar(
        db.select(CertificateKind).where(CertificateKind.school_id == school.id, CertificateKind.name == "健康证")
    )
    for n in range(60):
        holder = staff[n % len(staff)]
        issued = YEAR_START - timedelta(days=300) + timedelta(days=5 * n)
        certificates.save_certificate(
            None,
            Certificate(
                school_id=school.id,
                holder=holder,
                kind=kind,
                number=f"JK{n:04d}",
                issuing_authority="县疾控中心",
                issued_on=issued,
                expires_on=issued + timedelta(days=365),
            ),
            None,
        )
    db.session.flush()
