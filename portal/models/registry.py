"""The kinds of record the portal keeps day by day (the ledgers), registered by the module
that defines each model. This registry knows no domain: a kind says what the lower floors
need (its key, model and names, the day it is about, when it locks, how long it is kept,
whether a problem in it raises a rectification task). What is shown of it (its admin view,
its evidence table) is registered by the floor that shows it, under the same key.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..timeutil import add_months

DAY = "day"  # locks when its day is over
SIGNATURE = "signature"  # locks when it is signed


def keep_years(record, settings):
    """The first day a record may be deleted: SchoolSettings.ledger_keep_years after its day
    (no national figure was found; two years, like purchase records without a shelf life)."""
    return add_months(record.ledger_day, 12 * settings.ledger_keep_years)


@dataclass(frozen=True)
class RecordKind:
    key: str
    model: type
    # The ledger's name, and one record's (the audit trail says "食品留样 created").
    name: object
    record_name: object
    raises_tasks: bool = False
    locks: str = DAY
    # (record, school settings) -> the first day it may be deleted.
    keep_until: object = keep_years
    # The attribute of the day the record is about.
    day_attribute: str = "day"
    # Where the day is kept on another table (a food sample's dish): (its column, the join).
    day_elsewhere: tuple | None = None

    @property
    def day_column(self):
        return self.day_elsewhere[0] if self.day_elsewhere else getattr(self.model, self.day_attribute)

    def _in_period(self, query, school_id, first, last):
        if self.day_elsewhere:
            column, onclause = self.day_elsewhere
            query = query.join(column.class_, onclause)
        return query.where(self.model.school_id == school_id, self.day_column.between(first, last))

    def records(self, school_id, first, last, loads=()):
        """The records of a period, oldest first, what was withdrawn included."""
        query = self._in_period(sa.select(self.model), school_id, first, last)
        options = (selectinload(getattr(self.model, name)) for name in loads)
        return db.session.scalars(query.options(*options).order_by(self.day_column, self.model.id)).all()

    def has_records(self, school_id, first, last):
        return db.session.scalar(self._in_period(sa.select(self.model.id), school_id, first, last).limit(1)) is not None


KINDS = {}
BY_MODEL = {}


def register(kind):
    if kind.key in KINDS or kind.model in BY_MODEL:
        raise ValueError(f"a kind of record is registered twice: {kind.key}")
    KINDS[kind.key] = kind
    BY_MODEL[kind.model] = kind
    return kind


def kind_of(record):
    return BY_MODEL[type(record)]


def kinds():
    return list(KINDS.values())
