"""A record's retention ends on the school's own date, in the portal's flush guard and in the
database's guard, not on the UTC date (which is the day before from midnight to 08:00 in
Shanghai)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from portal.extensions import db
from portal.models import MenuDish
from portal.services import records
from portal.timeutil import add_months, school_today, utcnow
from tests import factories
from tests.tamper import refused_by_the_database


@pytest.fixture
def old_dish(school):
    people = factories.school_staff(school)
    factories.add_term(school, date(2023, 9, 1), date(2024, 1, 20), name="2023年秋季学期")
    dish = factories.create_dish(school, "两年前的菜", day=date(2023, 9, 6))
    assert dish.keep_until == date(2025, 9, 6)
    return people, dish


def test_the_last_day_of_retention_ends_at_the_schools_midnight(old_dish):
    people, dish = old_dish
    # 01:30 on 6 September 2025 in Shanghai, still the 5th in UTC.
    with time_machine.travel(datetime(2025, 9, 5, 17, 30, tzinfo=UTC), tick=False):
        records.delete_record(people.clerk, dish)
        db.session.commit()
    assert db.session.get(MenuDish, dish.id) is None


def test_the_day_before_the_record_is_still_kept(old_dish):
    from portal.models.ledger import LockedRecordError

    people, dish = old_dish
    with time_machine.travel(datetime(2025, 9, 5, 15, 30, tzinfo=UTC), tick=False):  # 23:30 on the 5th
        with pytest.raises(LockedRecordError):
            db.session.delete(dish)
            db.session.flush()
    db.session.rollback()


def test_postgresql_reads_the_schools_time_zone(school):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no time zones: its guard lets the latest date decide")
    people = factories.school_staff(school)
    # A zone whose date differs from UTC's now: a day ahead after 10:00 UTC, a day behind before.
    ahead = utcnow().hour >= 10
    school.timezone = "Pacific/Kiritimati" if ahead else "Pacific/Pago_Pago"
    db.session.commit()
    today = school_today(school)
    assert today != utcnow().date()
    # Kept until the school's today (deletable there, though not yet in UTC) when ahead; until
    # UTC's today, the school's tomorrow (not yet deletable), when behind.
    keep = today if ahead else today + timedelta(days=1)
    day = add_months(keep, -12 * school.settings.ledger_keep_years)
    factories.add_term(school, day - timedelta(days=10), day + timedelta(days=10), name="两年前的学期")
    factories.make_canteen_day(school, day)
    dish = factories.create_dish(school, "一道菜", day=day)
    assert dish.keep_until == keep
    statement = f"DELETE FROM menu_dish WHERE id = {dish.id}"
    if ahead:
        db.session.commit()
        with db.engine.begin() as connection:
            connection.exec_driver_sql(statement)
    else:
        assert "retention" in refused_by_the_database(statement)
    del people
