"""Cooking core temperatures: measured at a dish's centre on its day, 70 ℃ or more. A reading
below the line is refused with what to do (cook it again, measure again); the record then
keeps both readings (models/cooking.py)."""

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.cooking import CORE_MINIMUM_CELSIUS, CoreTemperature
from ..models.school import school_of
from ..timeutil import utcnow, zone
from . import records
from .canteen import refuse_unserved_meal, require_member

# Above this a reading is a typing error, not a dish.
HIGHEST_CELSIUS = Decimal("150.0")


class BelowTheLine(DomainError):
    """A reading under 70 ℃: the dish goes back on the heat."""


def check(record, now=None):
    now = now or utcnow()
    refuse_unserved_meal(record.dish)
    if record.dish.is_withdrawn:
        raise DomainError(_l("The dish was withdrawn."), field="celsius")
    require_member(record, record.measured_by, "measured_by")
    if record.measured_at is None or record.measured_at > now:
        raise DomainError(_l("The time is in the future."), field="measured_at")
    if record.measured_at.astimezone(zone(school_of(record))).date() != record.dish.day:
        raise DomainError(_l("A dish is measured on the day of its meal."), field="measured_at")
    for field in ("celsius", "first_celsius"):
        value = getattr(record, field)
        if value is not None and not Decimal(0) <= value <= HIGHEST_CELSIUS:
            raise DomainError(_l("Enter the thermometer's reading in ℃ (0 to 150)."), field=field)
    if record.celsius is None:
        raise DomainError(_l("Enter the core temperature."), field="celsius")
    if record.first_celsius is not None and record.first_celsius >= CORE_MINIMUM_CELSIUS:
        raise DomainError(
            _l("The first reading already reached %(line)s ℃: no need to cook it again.", line=CORE_MINIMUM_CELSIUS),
            field="first_celsius",
        )
    if record.celsius < CORE_MINIMUM_CELSIUS:
        raise BelowTheLine(
            _l(
                "%(reading)s ℃ is below %(line)s ℃ (《餐饮服务食品安全操作规范》): cook the dish again, measure "
                "again and enter the new reading; the first one is kept beside it.",
                reading=record.celsius,
                line=CORE_MINIMUM_CELSIUS,
            ),
            field="celsius",
        )


def save_core_temperature(actor, record, before, now=None):
    records.assign_school(actor, record)
    check(record, now)
    return records.save_record(actor, record, before, now)


def record_core_temperature(actor, dish, celsius, first_celsius=None, now=None):
    """The canteen's quick entry: the reading taken now, by the person entering it."""
    now = now or utcnow()
    record = CoreTemperature(
        school_id=dish.school_id,
        dish=dish,
        celsius=celsius,
        first_celsius=first_celsius,
        measured_at=now,
        measured_by=actor,
    )
    save_core_temperature(actor, record, None, now)
    return record


def core_temperatures_of(dishes):
    """{dish id: its readings that count}, oldest first, in one query."""
    found = {dish.id: [] for dish in dishes}
    if found:
        for record in db.session.scalars(
            sa.select(CoreTemperature)
            .where(CoreTemperature.dish_id.in_(list(found)), CoreTemperature.standing())
            .order_by(CoreTemperature.id)
        ):
            found[record.dish_id].append(record)
    return found
