"""The suite's own rules (tests/suite.py, tests/clock.py, tests/databases.py)."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import School
from tests import clock, factories
from tests.conftest import _SNAPSHOTS
from tests.suite import SINGLE_DATABASE_SOURCES

# What a test does when it depends on the database's dialect: SQL of its own, a trigger, a
# constraint, the database's own catalogue.
DIALECT_BOUND = re.compile(
    r"exec_driver_sql|\bsa\.text\(|\btext\(|past_the_triggers|refused_by_the_database|IntegrityError"
    r"|trigger|constraint|sqlite_master|PRAGMA|pg_[a-z]+|session_replication_role",
    re.IGNORECASE,
)


def dialect_bound(source):
    return DIALECT_BOUND.findall(source)


def test_a_test_left_out_on_postgresql_writes_no_sql_of_its_own(request):
    single = request.config.stash[SINGLE_DATABASE_SOURCES]  # those collected in this run
    offenders = {nodeid: dialect_bound(source) for nodeid, source in single.items() if dialect_bound(source)}
    assert offenders == {}, "a test that depends on the database's dialect must run on both"


@pytest.mark.parametrize(
    "source",
    [
        "connection.exec_driver_sql('DELETE FROM audit_event')",
        "with pytest.raises(sa.exc.IntegrityError):",
        "assert refused_by_the_database(statement)",
        "rows = db.session.execute(sa.text('SELECT 1'))",
    ],
)
def test_the_rule_knows_sql_when_it_sees_it(source):
    assert dialect_bound(source)


@pytest.mark.real_time
def test_the_boundary_moments_are_what_they_say_and_ahead_of_the_databases_clock():
    now = datetime.now(UTC)
    moments = {moment.name: moment for moment in clock.moments(now)}
    shanghai = {name: moment.at.astimezone(ZoneInfo("Asia/Shanghai")) for name, moment in moments.items()}
    assert all(moment.at > now for moment in moments.values())
    assert shanghai["sunday"].weekday() == 6 and moments["sunday"].at.weekday() == 5  # still Saturday in UTC
    assert moments["holiday"].calendar[shanghai["holiday"].date()] == "holiday"
    assert shanghai["makeup_saturday"].weekday() == 5
    assert moments["makeup_saturday"].calendar[shanghai["makeup_saturday"].date()] == "makeup_day"
    assert (shanghai["month_start"].day, shanghai["year_start"].timetuple()[1:3]) == (1, (1, 1))
    assert (shanghai["month_end"] + (shanghai["month_start"] - shanghai["month_end"])).day == 1
    assert shanghai["year_end"].timetuple()[1:3] == (12, 31) and shanghai["leap_day"].timetuple()[1:3] == (2, 29)
    assert moments["shanghai_ahead"].at.date() < shanghai["shanghai_ahead"].date()


@pytest.mark.clock
def test_a_test_at_a_moment_lives_at_it(clock_moment):
    """Run with --boundary-moments, this test runs at each moment: the clock, the school's
    today and a new school's calendar are the moment's."""
    from portal.services import calendar
    from portal.timeutil import school_today, utcnow

    school = factories.create_school()
    if clock_moment is None:
        assert abs((utcnow() - datetime.now(UTC)).total_seconds()) < 60
        return
    assert abs((utcnow() - clock_moment.at).total_seconds()) < 60
    today = school_today(school)
    assert today == clock_moment.at.astimezone(ZoneInfo("Asia/Shanghai")).date()
    if today in clock_moment.calendar:
        assert calendar.load(school.id, today, today).exceptions[today].value == clock_moment.calendar[today]


def test_emptying_the_database_takes_the_rows_and_winds_back_the_ids():
    first = factories.create_school()
    second = factories.create_school()
    assert second.id == first.id + 1
    _SNAPSHOTS["migrated"].restore()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(School)) == 0
    assert factories.create_school().id == first.id
