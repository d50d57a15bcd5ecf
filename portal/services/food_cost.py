"""The daily food cost (每日伙食成本): the value of what the storeroom issued per day and meal,
at the price each batch was bought for."""

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from ..models.storeroom import StockBatch, StockIssue


@dataclass
class DayCost:
    day: object
    # {meal: value of what was issued}; a batch without a price leaves its meal unknown.
    meals: dict
    unpriced: int = 0
    issues: int = 0

    @property
    def total(self):
        return sum(self.meals.values(), Decimal(0))


def per_day(school_id, first, last):
    """The value of what was issued, per day and meal, first..last: one grouped query."""
    rows = db.session.execute(
        sa.select(
            StockIssue.day,
            StockIssue.meal,
            sa.func.sum(StockIssue.quantity * sa.func.coalesce(StockBatch.unit_price, 0)),
            sa.func.sum(sa.case((StockBatch.unit_price.is_(None), 1), else_=0)),
            sa.func.count(StockIssue.id),
        )
        .join(StockBatch, StockBatch.id == StockIssue.batch_id)
        .where(StockIssue.school_id == school_id, StockIssue.day.between(first, last), StockIssue.standing())
        .group_by(StockIssue.day, StockIssue.meal)
        .order_by(StockIssue.day)
    ).all()
    days = {}
    for day, meal, value, unpriced, issues in rows:
        cost = days.setdefault(day, DayCost(day, {}))
        cost.meals[meal] = Decimal(value).quantize(Decimal("0.01"))
        cost.unpriced += int(unpriced)
        cost.issues += issues
    return [days[day] for day in sorted(days)]
