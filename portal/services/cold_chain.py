"""Fridges and freezers: their ranges, their readings a few times each canteen day, what was
done about a reading out of range (a rectification task), and the readings that are missing."""

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import charts
from ..due import Gap as Due
from ..due import at
from ..errors import DomainError
from ..extensions import db
from ..models.cold_chain import DEFAULT_RANGES, NATIONAL_RANGES, REGULATION, ColdUnit, TemperatureReading
from ..models.school import SchoolSettings, school_of
from ..timeutil import school_today, utcnow
from . import records, rectification
from .calendar import days_between, load_many
from .canteen import require_member, start_record


def save_unit(actor, unit, before):
    records.assign_school(actor, unit)
    unit.name = (unit.name or "").strip()
    if not unit.name:
        raise DomainError(_l("Name the fridge or freezer."), field="name")
    if unit.kind is None:
        raise DomainError(_l("Choose what kind of unit it is."), field="kind")
    if unit.lowest_c is None and unit.highest_c is None:
        unit.lowest_c, unit.highest_c = DEFAULT_RANGES[unit.kind]
    if unit.lowest_c is not None and unit.highest_c is not None and unit.lowest_c >= unit.highest_c:
        raise DomainError(_l("The lowest temperature is below the highest."), field="lowest_c")
    looser = unit.looser_than_the_rule()
    if looser:
        least, most = NATIONAL_RANGES[unit.kind]
        rule = f"{least}–{most} ℃" if least is not None else f"≤ {most} ℃"
        raise DomainError(
            _l(
                "%(kind)s: %(rule)s at the loosest, as %(source)s sets it. A school may be stricter, never looser.",
                kind=unit.kind.label,
                rule=rule,
                source=REGULATION,
            ),
            field=looser,
        )
    if unit.created_on is None:
        unit.created_on = school_today(school_of(unit))
    return records.save_record(actor, unit, before)


def units_of(school_id):
    return db.session.scalars(
        sa.select(ColdUnit).where(ColdUnit.school_id == school_id, ColdUnit.active.is_(True)).order_by(ColdUnit.name)
    ).all()


def record_reading(actor, reading, *, responsible=None, now=None):
    """A reading out of the unit's range says what was done and who fixes it; it becomes a
    rectification task."""
    start_record(actor, reading, "read_by", now)
    unit = reading.unit
    if unit is None or unit.school_id != reading.school_id or not unit.active:
        raise DomainError(_l("Choose a fridge or freezer of this school that is in use."), field="unit")
    readings_per_day = school_of(reading).settings.temperature_readings_per_day
    if reading.round is None or not 1 <= reading.round <= readings_per_day:
        raise DomainError(_l("Choose which reading of the day it is."), field="round")
    if reading.temperature_c is None:
        raise DomainError(_l("Enter the temperature in ℃."), field="temperature_c")
    if not -60 <= reading.temperature_c <= 60:
        raise DomainError(_l("Enter the temperature in ℃, between −60 and 60."), field="temperature_c")
    require_member(reading, reading.read_by, "read_by")
    reading.out_of_range = not unit.holds(reading.temperature_c)
    reading.action = (reading.action or "").strip()
    if reading.out_of_range and not reading.action:
        raise DomainError(
            _l(
                "%(unit)s should hold %(range)s: say what was done about %(value)s ℃.",
                unit=unit.name,
                range=unit.range_text,
                value=reading.temperature_c,
            ),
            field="action",
        )
    if reading.out_of_range and responsible is None:
        raise DomainError(_l("Choose who fixes: %(finding)s", finding=reading.action), field="responsible")
    if _already_read(reading):
        raise DomainError(_l("This reading is recorded already."), field="round")
    event = records.save_record(actor, reading, None, now)
    if reading.out_of_range:
        description = f"{unit.name} {reading.temperature_c} ℃（{unit.range_text}）：{reading.action}"
        rectification.create_ledger_task(actor, reading, description, responsible, now or utcnow())
    return event


def save_action(actor, reading, before):
    """A correction of what was done about a reading (its figures stay as read)."""
    reading.action = (reading.action or "").strip()
    if reading.out_of_range and not reading.action:
        raise DomainError(_l("Say what was done about the reading out of range."), field="action")
    return records.save_record(actor, reading, before)


def _already_read(reading):
    return (
        db.session.scalar(
            sa.select(TemperatureReading.id)
            .where(
                TemperatureReading.unit_id == reading.unit.id,
                TemperatureReading.day == reading.day,
                TemperatureReading.round == reading.round,
                TemperatureReading.standing(),
            )
            .limit(1)
        )
        is not None
    )


def readings_on(school_id, day):
    """{unit id: {round: reading}} of the day's standing readings."""
    found = {}
    for reading in db.session.scalars(
        sa.select(TemperatureReading).where(
            TemperatureReading.school_id == school_id, TemperatureReading.day == day, TemperatureReading.standing()
        )
    ):
        found.setdefault(reading.unit_id, {})[reading.round] = reading
    return found


def readings_between(unit, first, last):
    """{day: {round: reading}} of a unit's standing readings first..last (its month chart)."""
    found = {}
    for reading in db.session.scalars(
        sa.select(TemperatureReading).where(
            TemperatureReading.unit_id == unit.id,
            TemperatureReading.day.between(first, last),
            TemperatureReading.standing(),
        )
    ):
        found.setdefault(reading.day, {})[reading.round] = reading
    return found


def readings_chart(unit, readings, first, last, rounds):
    """A unit's readings ({day: {round: reading}}, as readings_between gives them) first..last
    as a chart (charts.line_chart): a line per reading of the day, the allowed band dashed."""
    days = days_between(first, last)

    def value(day, round_):
        reading = readings.get(day, {}).get(round_)
        return float(reading.temperature_c) if reading is not None else None

    return charts.line_chart(
        f"{unit.name} {first.isoformat()} – {last.isoformat()} ℃",
        [f"{day.month}-{day.day}" for day in days],
        [(_l("Reading %(n)d", n=n), [value(day, n) for day in days]) for n in rounds],
        [(name, float(limit)) for name, limit in _limits(unit) if limit is not None],
    )


def _limits(unit):
    return [(_l("Lowest (℃)"), unit.lowest_c), (_l("Highest (℃)"), unit.highest_c)]


@dataclass
class Gap:
    day: object
    unit: ColdUnit
    missing: int


def gaps(schools, first, last):
    """{school id: [Gap]}: canteen days first..last where a unit in use had fewer readings
    than the school's setting. Three queries whatever the number of schools and days."""
    if first > last or not schools:
        return {school.id: [] for school in schools}
    ids = [school.id for school in schools]
    units = db.session.scalars(
        sa.select(ColdUnit).where(ColdUnit.school_id.in_(ids), ColdUnit.active.is_(True)).order_by(ColdUnit.name)
    ).all()
    counted = Counter(
        {
            (unit_id, day): number
            for unit_id, day, number in db.session.execute(
                sa.select(TemperatureReading.unit_id, TemperatureReading.day, sa.func.count(TemperatureReading.id))
                .where(
                    TemperatureReading.school_id.in_(ids),
                    TemperatureReading.day.between(first, last),
                    TemperatureReading.standing(),
                )
                .group_by(TemperatureReading.unit_id, TemperatureReading.day)
            )
        }
    )
    calendars = load_many(ids, first, last)
    found = {school.id: [] for school in schools}
    per_day = dict(
        db.session.execute(
            sa.select(SchoolSettings.school_id, SchoolSettings.temperature_readings_per_day).where(
                SchoolSettings.school_id.in_(ids)
            )
        ).all()
    )
    for unit in units:
        wanted = per_day[unit.school_id]
        calendar = calendars[unit.school_id]
        for day in days_between(max(first, unit.created_on), last):
            if calendar.is_canteen_day(day) and counted[(unit.id, day)] < wanted:
                found[unit.school_id].append(Gap(day, unit, wanted - counted[(unit.id, day)]))
    return found


def excursions(school_id, first, last):
    return db.session.scalars(
        sa.select(TemperatureReading)
        .where(
            TemperatureReading.school_id == school_id,
            TemperatureReading.day.between(first, last),
            TemperatureReading.out_of_range.is_(True),
            TemperatureReading.standing(),
        )
        .order_by(TemperatureReading.day, TemperatureReading.id)
    ).all()


# --- what is due, for the reminders (portal/due_rules.py) -------------------------------------


def _find_readings(context, choice, wanted):
    units = db.session.scalars(
        sa.select(ColdUnit)
        .where(ColdUnit.school_id == context.school.id, ColdUnit.active.is_(True))
        .order_by(ColdUnit.name)
    ).all()
    if not units:
        return []
    counted = dict(
        (((unit_id, day), number))
        for unit_id, day, number in db.session.execute(
            sa.select(TemperatureReading.unit_id, TemperatureReading.day, sa.func.count())
            .where(
                TemperatureReading.school_id == context.school.id,
                TemperatureReading.day.between(context.days[0], context.days[-1]),
                TemperatureReading.standing(),
            )
            .group_by(TemperatureReading.unit_id, TemperatureReading.day)
        )
    )
    gaps = []
    for day in context.canteen_days:
        short = [unit.name for unit in units if unit.created_on <= day and counted.get((unit.id, day), 0) < wanted]
        if short:
            gaps.append(
                Due(
                    day.isoformat(),
                    at(day, choice.due_time, context.school),
                    _(
                        "%(day)s fridge and freezer temperatures: %(units)s not read yet (%(n)d a day)",
                        day=day.isoformat(),
                        units="、".join(short),
                        n=wanted,
                    ),
                    ("storeroom.record_temperatures", {"day": day.isoformat()}),
                )
            )
    return gaps


def find_morning_readings(context, choice):
    return _find_readings(context, choice, 1)


def find_afternoon_readings(context, choice):
    return _find_readings(context, choice, context.settings.temperature_readings_per_day)
