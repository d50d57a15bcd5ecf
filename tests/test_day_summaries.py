"""The schools' days summarised for the county (services/day_summaries.py): the county's table
read from the summaries equals the table counted live, for ranges that start and end on any
day; it really reads them; a change to a summarised day (an inspection excused, a task fixed
late, a holiday entered afterwards) is summarised again in the same commit; the routine
summarises only days whose records have locked, a week at a time; and the page asks the
database as often for six schools as for two."""

import threading
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portal import routine
from portal.extensions import db
from portal.models import Assignment, DayKind, DaySummary, Role, RuleDaySummary, School, SummaryProgress, User
from portal.models.cadence import AssignmentStatus
from portal.models.rectification import RectificationTask, TaskStatus
from portal.services import calendar as school_calendar
from portal.services import compliance_county, day_summaries, planning, rectification
from portal.timeutil import school_today
from tests import clock, factories
from tests.conftest import login, once_per_process
from tests.test_county_pages import FIRST, LAST, _queries, varied_school


def _with_fridge(school):
    """A fridge read twice a day on some of September's days, so that readings are missing."""
    unit = factories.create_cold_unit(school)
    keeper = factories.create_user(Role.STAFF, school, canteen_worker=True)
    for day in (date(2026, 9, 2), date(2026, 9, 3), date(2026, 9, 10)):
        factories.read_temperature(unit, keeper, "4.0", day=day)
    return school


def _schools():
    """Two varied schools, one with a fridge, summarised: built once per process (and clock
    moment), put back for each test that asks."""
    ids = once_per_process(f"day summaries at {clock.current and clock.current.name}", _summarised_schools)
    return [db.session.get(School, school_id) for school_id in ids]


def _summarised_schools():
    schools = [_with_fridge(varied_school(1)), varied_school(2)]
    day_summaries.summarise_all()
    db.session.commit()
    return [school.id for school in schools]


def _plain_school(number):
    """A school with a term and the cadence planned, its windows left undone: cheaper than a
    varied school where only the number of queries is asked."""
    school = factories.create_school(f"第{number}小学")
    factories.add_term(school)
    factories.create_user(Role.DIRECTOR, school)
    planning.plan(None, school, FIRST, LAST, FIRST)
    db.session.commit()
    return school


def _ranges(today):
    return [
        (FIRST, LAST),  # a term so far, the summaries' ground
        (date(2026, 9, 9), date(2026, 10, 14)),  # from a Wednesday to a Wednesday, mid-month
        (date(2026, 9, 30), today + timedelta(days=20)),  # into days not summarised yet
        (today - timedelta(days=3), today + timedelta(days=3)),  # mostly live
        (date(2026, 8, 1), LAST),  # from before the first day summarised: all live
    ]


def _figures_of(row):
    return (
        [(summary.rule.id, summary.total) for summary in row.rules],
        vars(row.tasks),
        row.backlog,
        row.food_safety,
        row.temperature_gaps,
        [(figure.key, counts) for figure, counts in row.figures],
        row.missed_by_week,
    )


def _agree(schools, first, last):
    summarised = compliance_county.county([(school, first, last) for school in schools])
    with db.session.begin_nested() as as_if_none_were_summarised:
        db.session.execute(sa.delete(SummaryProgress))
        live = compliance_county.county([(school, first, last) for school in schools])
        as_if_none_were_summarised.rollback()
    for row, counted in zip(summarised, live, strict=True):
        assert _figures_of(row) == _figures_of(counted), (row.school.name, first, last)
    return summarised


def test_the_summaries_give_the_live_figures_whatever_the_range():
    schools = _schools()
    today = school_today(schools[0])
    for first, last in _ranges(today):
        _agree(schools, first, last)
    [row, _other] = _agree(schools, FIRST, LAST)
    # The range has of everything the summaries count: a test of zeros would prove nothing.
    assert sum(summary.total.missed for summary in row.rules) and sum(s.total.excused for s in row.rules)
    assert row.tasks.found and row.tasks.same_day and row.tasks.open and row.temperature_gaps
    assert row.food_safety.weeks_missing and row.food_safety.months_missing and any(row.missed_by_week)
    since, through = day_summaries.coverage([schools[0].id])[schools[0].id]
    assert since == FIRST and through == day_summaries.settled_through(schools[0])


def test_the_county_reads_the_summaries():
    schools = _schools()
    [before, _other] = compliance_county.county([(school, FIRST, LAST) for school in schools])
    # Written behind the portal's back, only to show which numbers the table reads.
    db.session.execute(
        sa.update(DaySummary)
        .where(DaySummary.school_id == schools[0].id, DaySummary.day == date(2026, 9, 4))
        .values(readings_missing=DaySummary.readings_missing + 40)
    )
    [after, _other] = compliance_county.county([(school, FIRST, LAST) for school in schools])
    assert after.temperature_gaps == before.temperature_gaps + 40


def test_a_change_to_a_summarised_day_is_summarised_again_in_the_same_commit():
    schools = _schools()
    school = schools[0]
    director = factories.create_user(Role.DIRECTOR, school)
    [before, _other] = _agree(schools, FIRST, LAST)

    missed = next(
        assignment
        for assignment in planning.assignments_between(school.id, FIRST, LAST)
        if assignment.status is AssignmentStatus.OPEN and assignment.window_end < LAST
    )
    planning.excuse(director, missed, "停电，补记")
    db.session.commit()
    [excused, _other] = _agree(schools, FIRST, LAST)
    assert sum(s.total.missed for s in excused.rules) == sum(s.total.missed for s in before.rules) - 1

    task = db.session.scalars(
        sa.select(RectificationTask).where(
            RectificationTask.school_id == school.id, RectificationTask.status == TaskStatus.OPEN
        )
    ).first()
    rectification.rectify(task.responsible, task, "已整改（补记）")
    db.session.commit()
    [fixed, _other] = _agree(schools, FIRST, LAST)
    assert fixed.tasks.rectified == before.tasks.rectified + 1 and fixed.tasks.open == before.tasks.open - 1

    factories.add_day(school, date(2026, 9, 4), DayKind.HOLIDAY, "停电放假")  # readings were missing that day
    [holiday, _other] = _agree(schools, FIRST, LAST)
    assert holiday.temperature_gaps < before.temperature_gaps


def test_the_routine_summarises_locked_days_a_week_at_a_time():
    school = varied_school(1)
    school.settings.ledger_lock_days = 2
    db.session.commit()
    routine.run()
    progress = db.session.get(SummaryProgress, school.id)
    assert progress.since == FIRST and progress.through == FIRST + timedelta(days=day_summaries.DAYS_PER_RUN - 1)
    while day_summaries.catch_up(school):
        db.session.commit()
    # Days not locked yet (the school's records lock two days after) are left for later.
    assert progress.through == school_today(school) - timedelta(days=3)
    assert day_summaries.catch_up(school) == 0
    _agree([school], FIRST, school_today(school))


def test_the_command_summarises_every_school_at_once(app):
    schools = [_plain_school(1), _plain_school(2)]
    result = CliRunner().invoke(app.cli, ["inspections", "summarise"])
    assert result.exit_code == 0, result.output
    covered = day_summaries.coverage([school.id for school in schools])
    assert {through for _since, through in covered.values()} == {day_summaries.settled_through(schools[0])}
    assert f"{(covered[schools[0].id][1] - FIRST).days + 1} days summarised" in result.output
    assert CliRunner().invoke(app.cli, ["inspections", "summarise"]).output.endswith("0 days summarised\n")


def test_the_summarised_county_page_asks_as_often_for_six_schools_as_for_two(client):
    url = f"/compliance?range=custom&from={FIRST.isoformat()}&to={LAST.isoformat()}"
    for number in (1, 2):
        _plain_school(number)
    day_summaries.summarise_all()
    db.session.commit()
    county_admin = factories.create_user(Role.COUNTY_ADMIN)
    login(client, county_admin)
    client.get(url)
    with_two = _queries(client, url)
    for number in (3, 4, 5, 6):
        _plain_school(number)
    day_summaries.summarise_all()
    db.session.commit()
    assert _queries(client, url) == with_two
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SummaryProgress)) == 6


@pytest.mark.real_time  # the demo is seeded and summarised once per test process
def test_the_demo_countys_school_year_from_summaries_equals_the_live_count(demo_county):
    schools = db.session.scalars(sa.select(School).order_by(School.id)).all()
    today = school_today(schools[0])
    school_year = school_calendar.school_year_of(today)
    covered = day_summaries.coverage([school.id for school in schools])
    assert len(covered) == len(schools) and db.session.scalar(sa.select(sa.func.count()).select_from(DaySummary))
    since = min(since for since, _through in covered.values())
    for first, last in (school_year, (since, today), (since + timedelta(days=10), today - timedelta(days=5))):
        rows = _agree(schools, first, last)
    assert any(summary.total.done for row in rows for summary in row.rules)


def test_a_late_change_while_the_routine_summarises_its_day_is_not_lost(app):
    """The routine summarises a day (not committed yet) while a director excuses that day's
    window: the excuse's commit waits for the routine's (the progress row is locked), then
    summarises the day again, so the summary counts the excuse."""
    school = _plain_school(1)
    director = factories.create_user(Role.DIRECTOR, school)
    day_summaries.summarise_all()
    through = day_summaries.settled_through(school)
    window = max(
        (a for a in planning.assignments_between(school.id, FIRST, through) if a.window_end <= through),
        key=lambda a: a.window_end,
    )
    day, school_id, window_id, director_id = window.window_end, school.id, window.id, director.id
    db.session.get(SummaryProgress, school_id).through = day - timedelta(days=1)  # the day not summarised yet
    for table in (DaySummary, RuleDaySummary):
        db.session.execute(sa.delete(table).where(table.school_id == school_id, table.day >= day))
    db.session.commit()
    summarised, excusing = threading.Event(), threading.Event()

    def routine_summarises():
        with app.app_context():
            day_summaries.catch_up(db.session.get(School, school_id))
            summarised.set()
            excusing.wait(30)
            time.sleep(2)  # the excuse's commit is waiting meanwhile
            db.session.commit()

    def director_excuses():
        with app.app_context():
            summarised.wait(30)
            excusing.set()
            planning.excuse(db.session.get(User, director_id), db.session.get(Assignment, window_id), "停电，补记")
            db.session.commit()

    threads = [threading.Thread(target=job) for job in (routine_summarises, director_excuses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.session.expire_all()
    excused = db.session.scalar(
        sa.select(sa.func.sum(RuleDaySummary.excused)).where(
            RuleDaySummary.school_id == school_id, RuleDaySummary.day == day
        )
    )
    assert excused == 1
    _agree([db.session.get(School, school_id)], FIRST, through)
