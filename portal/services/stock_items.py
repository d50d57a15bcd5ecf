"""The storeroom's items (大米, 猪肉, ...): named once, with the unit they are counted in."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.storeroom import (
    StockBatch,
    StockItem,
)
from . import records


def save_item(actor, item, before):
    records.assign_school(actor, item)
    item.name, item.unit = (item.name or "").strip(), (item.unit or "").strip()
    item.category = (item.category or "").strip()
    if not item.name:
        raise DomainError(_l("Name the item."), field="name")
    if not item.unit:
        raise DomainError(_l("Enter the item's unit (kg, 袋, 瓶, ...)."), field="unit")
    if before is not None and before.get("unit") != item.unit and _has_batches(item):
        raise DomainError(_l("The item has stock in %(unit)s: its unit cannot change.", unit=before.get("unit")))
    return records.save_record(actor, item, before)


def _has_batches(item):
    return db.session.scalar(sa.select(StockBatch.id).where(StockBatch.item_id == item.id).limit(1)) is not None


def items_of(school_id):
    return db.session.scalars(
        sa.select(StockItem)
        .where(StockItem.school_id == school_id, StockItem.active.is_(True))
        .order_by(StockItem.name)
    ).all()


def item_named(school_id, name):
    return db.session.scalar(sa.select(StockItem).where(StockItem.school_id == school_id, StockItem.name == name))
