"""The storeroom's part of the demo: stock in and out, a stocktake, the fridges."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from ..models.canteen import Meal
from ..models.cold_chain import ColdUnit, ColdUnitKind, TemperatureReading
from ..models.purchasing import Delivery
from ..services import calendar as school_calendar
from ..services import (
    cold_chain,
    stock_items,
    storeroom,
)
from ..timeutil import zone

# What the kitchen takes for lunch each canteen day: {item: quantity}.
LUNCH_ISSUES = {"大米": Decimal(1), "猪肉": Decimal(12), "鸡蛋": Decimal(2)}


COLD_UNITS = [
    ("冷藏冰箱（主厨房）", ColdUnitKind.REFRIGERATOR),
    ("冷冻冰柜", ColdUnitKind.FREEZER),
    ("留样冰箱", ColdUnitKind.SAMPLE_FRIDGE),
]


def seed_storeroom(school, members, today):
    """The last week's deliveries put away on their day and issued for lunch first in, first
    out, so that some pork outlives its shelf life; today's vegetables wait to be put away.
    The fridges read twice a day, once too warm (a task), one reading missing yesterday."""
    keeper, director = members.get("keeper", members["cook1"]), members["director"]
    calendar = school_calendar.load(school.id, today - timedelta(days=14), today)

    def moment(day, hour, minute=0):
        return datetime.combine(day, time(hour, minute), tzinfo=zone(school)).astimezone(UTC)

    units = []
    for name, kind in COLD_UNITS:
        unit = ColdUnit(school_id=school.id, name=name, kind=kind, created_on=today - timedelta(days=7))
        cold_chain.save_unit(director, unit, None)
        units.append(unit)
    deliveries = db.session.scalars(
        sa.select(Delivery).where(Delivery.school_id == school.id, Delivery.day < today).order_by(Delivery.day)
    ).all()
    by_day = {delivery.day: delivery for delivery in deliveries}
    for offset in range(7, 0, -1):
        day = today - timedelta(days=offset)
        if day in by_day:
            storeroom.put_away_all(keeper, by_day[day], storeroom="主食库", day=day, now=moment(day, 9, 30))
        if not calendar.is_canteen_day(day):
            continue
        for item in stock_items.items_of(school.id):
            wanted = LUNCH_ISSUES.get(item.name, Decimal(0))
            usable = sum(
                (row.on_hand for row in storeroom.on_hand(school.id, item_id=item.id) if not row.batch.expired_on(day)),
                Decimal(0),
            )
            if min(wanted, usable) > 0:
                storeroom.issue(keeper, item, day, Meal.LUNCH, min(wanted, usable), now=moment(day, 10, 30))
        for unit in units:
            for round_, hour in ((1, 8), (2, 15)):
                if offset == 1 and round_ == 2 and unit.kind is ColdUnitKind.REFRIGERATOR:
                    continue  # forgotten: a gap on the board and in the evidence
                warm = offset == 3 and round_ == 2 and unit.kind is ColdUnitKind.REFRIGERATOR
                celsius = {"refrigerator": "4.0", "freezer": "-19.5", "sample_fridge": "3.0"}[unit.kind.value]
                reading = TemperatureReading(
                    school_id=school.id,
                    unit=unit,
                    day=day,
                    round=round_,
                    temperature_c=Decimal("9.5" if warm else celsius),
                    action="门未关严，已关好并将肉类转入冷冻柜，1小时后复测4.5℃" if warm else "",
                )
                cold_chain.record_reading(
                    keeper, reading, responsible=keeper if warm else None, now=moment(day, hour, 10)
                )
    db.session.flush()
