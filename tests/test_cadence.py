"""The cadence on real calendars: 校长一周两查，总务主任每天查."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portal.errors import DomainError
from portal.extensions import db
from portal.models import Assignment, AssignmentState, DayKind, Role
from portal.services import planning
from tests import factories

# The 2026 autumn term: National Day 1-7 October, a make-up Saturday on 10 October.
NATIONAL_DAY = [date(2026, 10, 1) + timedelta(days=n) for n in range(7)]
MAKEUP_SATURDAY = date(2026, 10, 10)


@pytest.fixture
def term_school(school):
    factories.add_term(school)
    for day in NATIONAL_DAY:
        factories.add_day(school, day, DayKind.HOLIDAY, "国庆节")
    factories.add_day(school, MAKEUP_SATURDAY, DayKind.MAKEUP_DAY, "国庆调休")
    return school


def plan(school, first, last, today=date(2026, 9, 1)):
    created = planning.plan(None, school, first, last, today)
    db.session.commit()
    return created


def test_an_ordinary_week(term_school):
    plan(term_school, date(2026, 9, 14), date(2026, 9, 20))
    director = factories.assignments(term_school, Role.DIRECTOR, date(2026, 9, 14), date(2026, 9, 20))
    principal = factories.assignments(term_school, Role.PRINCIPAL, date(2026, 9, 14), date(2026, 9, 20))
    assert [a.window_start for a in director] == [date(2026, 9, 14) + timedelta(days=n) for n in range(5)]
    assert [(a.window_start, a.window_end, a.slot) for a in principal] == [
        (date(2026, 9, 14), date(2026, 9, 18), 1),
        (date(2026, 9, 14), date(2026, 9, 18), 2),
    ]


def test_the_week_of_national_day(term_school):
    # Monday 28 September to Sunday 4 October: three school days, then the holiday.
    plan(term_school, date(2026, 9, 28), date(2026, 10, 4))
    director = factories.assignments(term_school, Role.DIRECTOR, date(2026, 9, 28), date(2026, 10, 4))
    principal = factories.assignments(term_school, Role.PRINCIPAL, date(2026, 9, 28), date(2026, 10, 4))
    assert [a.window_start for a in director] == [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30)]
    assert len(principal) == 2 and principal[0].window_end == date(2026, 9, 30)


def test_a_week_with_a_make_up_saturday(term_school):
    # Monday 5 to Sunday 11 October: holiday to Wednesday; Thursday, Friday and the make-up Saturday.
    plan(term_school, date(2026, 10, 5), date(2026, 10, 11))
    director = factories.assignments(term_school, Role.DIRECTOR, date(2026, 10, 5), date(2026, 10, 11))
    assert [a.window_start for a in director] == [date(2026, 10, 8), date(2026, 10, 9), MAKEUP_SATURDAY]
    [first, second] = factories.assignments(term_school, Role.PRINCIPAL, date(2026, 10, 5), date(2026, 10, 11))
    assert (first.window_start, first.window_end) == (date(2026, 10, 8), MAKEUP_SATURDAY)


def test_a_term_boundary_in_the_middle_of_a_week(school):
    factories.add_term(school, date(2026, 9, 1), date(2026, 9, 2))  # a Tuesday and a Wednesday
    plan(school, date(2026, 8, 31), date(2026, 9, 6))
    assert len(factories.assignments(school, Role.DIRECTOR, date(2026, 8, 31), date(2026, 9, 6))) == 2
    assert len(factories.assignments(school, Role.PRINCIPAL, date(2026, 8, 31), date(2026, 9, 6))) == 2


def test_a_week_with_one_school_day_asks_the_principal_once(school):
    factories.add_term(school, date(2026, 9, 4), date(2026, 12, 31))  # starts on a Friday
    plan(school, date(2026, 8, 31), date(2026, 9, 6))
    [only] = factories.assignments(school, Role.PRINCIPAL, date(2026, 8, 31), date(2026, 9, 6))
    assert (only.window_start, only.window_end, only.slot) == (date(2026, 9, 4), date(2026, 9, 4), 1)


def test_planning_is_idempotent(term_school, app):
    first = plan(term_school, date(2026, 9, 1), date(2026, 10, 31))
    again = plan(term_school, date(2026, 9, 1), date(2026, 10, 31))
    assert first[0] > 0 and again == (0, 0)
    result = CliRunner().invoke(app.cli, ["inspections", "plan", "--from", "2026-09-01", "--to", "2026-10-31"])
    assert result.exit_code == 0 and "0 planned, 0 removed" in result.output


def test_a_calendar_change_replans_the_future_only(term_school):
    today = date(2026, 11, 18)  # a Wednesday
    plan(term_school, date(2026, 11, 16), date(2026, 11, 27), today)
    past = date(2026, 11, 17)
    tomorrow = date(2026, 11, 19)
    for day in (past, tomorrow):
        factories.add_day(term_school, day, DayKind.HOLIDAY, "停课")
    planning.plan(None, term_school, date(2026, 11, 16), date(2026, 11, 27), today)
    db.session.commit()
    days = [
        a.window_start
        for a in factories.assignments(term_school, Role.DIRECTOR, date(2026, 11, 16), date(2026, 11, 27))
    ]
    assert past in days  # the past stays as it was
    assert tomorrow not in days  # the future follows the calendar


def test_missed_is_derived_and_excusing_needs_a_reason(term_school, create_user):
    clerk = create_user(Role.SCHOOL_ADMIN, term_school)
    plan(term_school, date(2026, 9, 14), date(2026, 9, 14))
    [assignment] = factories.assignments(term_school, Role.DIRECTOR, date(2026, 9, 14), date(2026, 9, 14))
    assert assignment.state_on(date(2026, 9, 14)) is AssignmentState.OPEN
    assert assignment.state_on(date(2026, 9, 15)) is AssignmentState.MISSED
    with pytest.raises(DomainError):
        planning.excuse(clerk, assignment, "   ")
    planning.excuse(clerk, assignment, "总务主任参加县教育局会议")
    db.session.commit()
    assert assignment.state_on(date(2026, 9, 15)) is AssignmentState.EXCUSED


def test_the_database_refuses_an_excuse_without_a_reason(term_school):
    plan(term_school, date(2026, 9, 14), date(2026, 9, 14))
    [assignment] = factories.assignments(term_school, Role.DIRECTOR, date(2026, 9, 14), date(2026, 9, 14))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(Assignment).where(Assignment.id == assignment.id).values(status="excused"))
    db.session.rollback()


def test_a_school_can_add_its_own_rule(term_school, create_user):
    from portal.models import CadenceRule, Period

    vice = create_user(Role.DIRECTOR, term_school, display_name="副校长")
    rule = CadenceRule(school_id=term_school.id, name="副校长每周检查", user=vice, period=Period.WEEK, required_count=1)
    planning.save_rule(None, rule, None)
    db.session.commit()
    plan(term_school, date(2026, 9, 14), date(2026, 9, 20))
    mine = [
        a
        for a in planning.assignments_between(term_school.id, date(2026, 9, 14), date(2026, 9, 20))
        if a.rule_id == rule.id
    ]
    assert len(mine) == 1 and rule.may_be_fulfilled_by(vice)


def test_a_rule_for_someone_who_does_not_inspect_is_refused(term_school, create_user):
    from portal.models import CadenceRule, Period

    cook = create_user(Role.STAFF, term_school)
    rule = CadenceRule(school_id=term_school.id, name="工友检查", user=cook, period=Period.WEEK, required_count=1)
    with pytest.raises(DomainError):
        planning.save_rule(None, rule, None)
    db.session.rollback()
