"""The storeroom: accepted delivery items put away as batches, issued to the kitchen first in
first out, expired stock disposed of before a witness, the monthly stocktake signed by the
keeper and the director (services/stocktakes.py), and what the food issued cost
(services/food_cost.py).

Every movement changes the batch's StockBalance in the same transaction, after locking the
balances it reads (SELECT ... FOR UPDATE on PostgreSQL; SQLite takes one writer at a time),
and the balance may never go below zero (a check constraint): two keepers issuing the last
rice at once cannot both have it.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..errors import DomainError, NotFound
from ..extensions import db
from ..models.pesticide import PesticideTest
from ..models.purchasing import Delivery, DeliveryItem, DeliveryResult
from ..models.storeroom import (
    StockBalance,
    StockBatch,
    StockDisposal,
    StockIssue,
    StockItem,
)
from ..timeutil import school_today
from . import ledgers, pesticide, records
from .canteen import refuse_future_day, refuse_unserved_meal, require_member, start_record
from .stock_items import item_named, save_item


def amount(value, unit):
    """12.50 kg -> '12.5kg'."""
    text = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    return f"{text}{unit}"


# --- stock in ---------------------------------------------------------------------------------


def awaiting_put_away(school_id, up_to):
    """Items of accepted deliveries up to ``up_to`` that are not in the storeroom yet,
    oldest delivery first."""
    put_away = sa.select(StockBatch.delivery_item_id).where(
        StockBatch.delivery_item_id.is_not(None), StockBatch.standing()
    )
    positive = sa.select(PesticideTest.delivery_item_id).where(
        PesticideTest.positive.is_(True), PesticideTest.standing()
    )
    return db.session.scalars(
        sa.select(DeliveryItem)
        .join(Delivery, Delivery.id == DeliveryItem.delivery_id)
        .where(
            Delivery.school_id == school_id,
            Delivery.day <= up_to,
            Delivery.result == DeliveryResult.ACCEPTED,
            Delivery.standing(),
            DeliveryItem.id.not_in(put_away),
            DeliveryItem.id.not_in(positive),
        )
        .options(joinedload(DeliveryItem.delivery).joinedload(Delivery.supplier))
        .order_by(Delivery.day, DeliveryItem.id)
    ).all()


def last_day_of_use(delivery_item):
    """The shelf life counts the production day (or the delivery day) as its first: seven
    days made on the 1st are used up to the 7th. None without a shelf life."""
    ends = delivery_item.shelf_life_ends(delivery_item.delivery.day)
    return None if ends is None else ends - timedelta(days=1)


def put_away(actor, delivery_item, *, item=None, storeroom="", day=None, now=None):
    """入库: one accepted delivery item becomes a batch of ``item`` (found by the goods'
    name, or added to the school's items when there is none)."""
    delivery = delivery_item.delivery
    if delivery.school_id != actor.school_id:
        raise NotFound(_l("Record not found."))
    if delivery.result is not DeliveryResult.ACCEPTED or delivery.is_withdrawn:
        raise DomainError(_l("Only goods of an accepted delivery go into the storeroom."))
    _refuse_put_away_twice(delivery_item)
    if pesticide.positive_items([delivery_item.id]):
        raise DomainError(pesticide.positive_text(delivery_item.name))
    day = day or school_today(actor.school, now)
    if day < delivery.day:
        raise DomainError(_l("Goods are put away on or after the day they were delivered."), field="day")
    if item is None:
        item = item_named(delivery.school_id, delivery_item.name) or _new_item(actor, delivery, delivery_item)
    if item.school_id != delivery.school_id or not item.active:
        raise DomainError(_l("Choose an item of this school that is in use."), field="item")
    if item.unit != delivery_item.unit:
        raise DomainError(
            _l(
                "%(goods)s came in %(unit)s but %(item)s is kept in %(kept)s: choose another item or add one.",
                goods=delivery_item.name,
                unit=delivery_item.unit,
                item=item.name,
                kept=item.unit,
            ),
            field="item",
        )
    batch = StockBatch(
        school_id=delivery.school_id,
        item=item,
        delivery_item=delivery_item,
        day=day,
        quantity=delivery_item.quantity,
        unit_price=delivery_item.price,
        production_date=delivery_item.production_date,
        batch=delivery_item.batch,
        expires_on=last_day_of_use(delivery_item),
        storeroom=(storeroom or "").strip()[:100],
    )
    _record_batch(actor, batch, now)
    return batch


def _new_item(actor, delivery, delivery_item):
    item = StockItem(
        school_id=delivery.school_id,
        name=delivery_item.name,
        unit=delivery_item.unit,
        bulk=delivery.bulk,
    )
    save_item(actor, item, None)
    return item


def _record_batch(actor, batch, now):
    start_record(actor, batch, "put_away_by", now)
    records.save_record(actor, batch, None, now)
    db.session.add(
        StockBalance(school_id=batch.school_id, batch_id=batch.id, item_id=batch.item_id, on_hand=batch.quantity)
    )
    db.session.flush()


def _refuse_put_away_twice(delivery_item):
    already = sa.select(StockBatch.id).where(StockBatch.delivery_item_id == delivery_item.id, StockBatch.standing())
    if db.session.scalar(already.limit(1)) is not None:
        raise DomainError(_l("These goods are already in the storeroom."))


def put_away_all(actor, delivery, *, storeroom="", day=None, now=None):
    """Every item of a delivery not yet put away, each under the item of its name."""
    if delivery.school_id != actor.school_id:
        raise NotFound(_l("Record not found."))
    waiting = {item.id for item in awaiting_put_away(delivery.school_id, delivery.day)}
    return [
        put_away(actor, goods, storeroom=storeroom, day=day, now=now) for goods in delivery.items if goods.id in waiting
    ]


# --- what is on hand --------------------------------------------------------------------------


@dataclass
class OnHand:
    batch: StockBatch
    on_hand: Decimal

    @property
    def value(self):
        return self.batch.value_of(self.on_hand)


@dataclass
class ItemStock:
    item: StockItem
    batches: list = field(default_factory=list)

    @property
    def on_hand(self):
        return sum((row.on_hand for row in self.batches), Decimal(0))

    @property
    def value(self):
        values = [row.value for row in self.batches]
        return None if None in values else sum(values, Decimal(0))


def on_hand(school_id, *, item_id=None, lock=False):
    """The batches with anything on hand, first in first: by the day they were put away.
    ``lock`` holds their balances until the transaction ends (a movement reads them)."""
    query = (
        sa.select(StockBalance)
        .join(StockBatch, StockBatch.id == StockBalance.batch_id)
        .where(StockBalance.school_id == school_id, StockBalance.on_hand > 0)
        .order_by(StockBatch.day, StockBatch.id)
    )
    if item_id is not None:
        query = query.where(StockBalance.item_id == item_id)
    if lock:
        query = query.with_for_update(of=StockBalance)
    balances = db.session.scalars(query.options(joinedload(StockBalance.batch).joinedload(StockBatch.item))).all()
    return [OnHand(balance.batch, balance.on_hand) for balance in balances]


def stock_by_item(school_id):
    grouped = {}
    for row in on_hand(school_id):
        grouped.setdefault(row.batch.item_id, ItemStock(row.batch.item)).batches.append(row)
    return sorted(grouped.values(), key=lambda stock: stock.item.name)


def expired_counts(school_ids, day):
    """{school id: batches on hand past their last day of use}, in one grouped query."""
    return dict(
        db.session.execute(
            sa.select(StockBalance.school_id, sa.func.count())
            .join(StockBatch, StockBatch.id == StockBalance.batch_id)
            .where(StockBalance.school_id.in_(school_ids), StockBalance.on_hand > 0, StockBatch.expires_on < day)
            .group_by(StockBalance.school_id)
        ).all()
    )


def expiring(rows, day, warning_days):
    return [row for row in rows if row.batch.expiring_on(day, warning_days)]


def expired(rows, day):
    return [row for row in rows if row.batch.expired_on(day)]


def balance_for_update(batch_id):
    return db.session.get(StockBalance, batch_id, with_for_update=True)


def _change_balance(batch_id, change):
    balance = balance_for_update(batch_id)
    if balance.on_hand + change < 0:
        unit = balance.batch.item.unit
        raise DomainError(_l("This batch has only %(available)s on hand.", available=amount(balance.on_hand, unit)))
    balance.on_hand += change


# --- stock out --------------------------------------------------------------------------------


def _issue_day_checks(actor, school, day, meal, now):
    probe = StockIssue(school_id=school.id, day=day, meal=meal)
    refuse_future_day(probe, now)
    refuse_unserved_meal(probe)
    ledgers.refuse_locked_day(probe, now)


def issue(actor, item, day, meal, quantity, *, batch=None, reason="", for_staff=False, now=None):
    """出库 for a day's meal: from the oldest batch that has not expired, then the next (one
    issue record per batch), or from the batch the keeper names, with the reason. Expired
    stock is never issued; more than is on hand is refused with what there is. Food for the
    staff's meals is issued ``for_staff``: the subsidy never pays for it."""
    school = actor.school
    if item is None or item.school_id != school.id:
        raise DomainError(_l("Choose an item of this school."), field="item")
    if quantity is None or quantity <= 0:
        raise DomainError(_l("Enter a quantity above zero."), field="quantity")
    _issue_day_checks(actor, school, day, meal, now)
    rows = on_hand(school.id, item_id=item.id, lock=True)
    positive = pesticide.positive_items([row.batch.delivery_item_id for row in rows])
    if batch is not None and batch.delivery_item_id in positive:
        raise DomainError(pesticide.positive_text(item.name), field="batch")
    held_back = [row for row in rows if row.batch.delivery_item_id in positive]
    rows = [row for row in rows if row.batch.delivery_item_id not in positive]
    usable = [row for row in rows if not row.batch.expired_on(day)]
    if batch is not None:
        return _issue_named_batch(actor, item, day, meal, quantity, batch, reason, usable, rows, for_staff, now)
    available = sum((row.on_hand for row in usable), Decimal(0))
    if quantity > available and held_back:
        raise DomainError(pesticide.positive_text(item.name), field="quantity")
    if quantity > available:
        raise DomainError(_short_text(item, available, rows, day), field="quantity")
    issued, left = [], quantity
    for row in usable:
        if left <= 0:
            break
        take = min(left, row.on_hand)
        issued.append(_record_issue(actor, row.batch, day, meal, take, "", for_staff, now))
        left -= take
    return issued


def _short_text(item, available, rows, day):
    expired_quantity = sum((row.on_hand for row in rows if row.batch.expired_on(day)), Decimal(0))
    if expired_quantity:
        return _l(
            "%(item)s: only %(available)s can be issued (%(expired)s more has expired and must be disposed of).",
            item=item.name,
            available=amount(available, item.unit),
            expired=amount(expired_quantity, item.unit),
        )
    return _l("%(item)s: only %(available)s is on hand.", item=item.name, available=amount(available, item.unit))


def _issue_named_batch(actor, item, day, meal, quantity, batch, reason, usable, rows, for_staff, now):
    if batch.item_id != item.id:
        raise DomainError(_l("Choose a batch of this item."), field="batch")
    if batch.expired_on(day):
        raise DomainError(
            _l(
                "This batch was to be used by %(day)s: expired stock is not issued; dispose of it.",
                day=format_date(batch.expires_on, "yyyy-MM-dd"),
            ),
            field="batch",
        )
    row = next((row for row in usable if row.batch.id == batch.id), None)
    if row is None or quantity > row.on_hand:
        there = row.on_hand if row else Decimal(0)
        raise DomainError(
            _l("This batch has only %(available)s on hand.", available=amount(there, item.unit)), field="quantity"
        )
    reason = (reason or "").strip()
    if usable[0].batch.id != batch.id and not reason:
        raise DomainError(
            _l("First in, first out would issue the batch of %(day)s: say why this one.", day=usable[0].batch.day),
            field="reason",
        )
    return [_record_issue(actor, batch, day, meal, quantity, reason, for_staff, now)]


def _record_issue(actor, batch, day, meal, quantity, reason, for_staff, now):
    record = StockIssue(
        school_id=batch.school_id,
        batch=batch,
        day=day,
        meal=meal,
        quantity=quantity,
        reason=reason[:300],
        for_staff=bool(for_staff),
    )
    start_record(actor, record, "issued_by", now)
    records.save_record(actor, record, None, now)
    _change_balance(batch.id, -quantity)
    return record


def issues_on(school_id, day):
    return db.session.scalars(
        sa.select(StockIssue)
        .where(StockIssue.school_id == school_id, StockIssue.day == day, StockIssue.standing())
        .options(joinedload(StockIssue.batch).joinedload(StockBatch.item), joinedload(StockIssue.issued_by))
        .order_by(StockIssue.meal, StockIssue.id)
    ).all()


# --- disposal ---------------------------------------------------------------------------------


def dispose(actor, batch, quantity, method, witness, *, now=None):
    """Stock taken off the shelf (expired or spoilt): how, and before which other member."""
    if batch is None or batch.school_id != actor.school_id:
        raise NotFound(_l("Record not found."))
    record = StockDisposal(
        school_id=batch.school_id,
        batch=batch,
        day=school_today(actor.school, now),
        quantity=quantity,
        method=(method or "").strip()[:200],
        witness=witness,
    )
    start_record(actor, record, "disposed_by", now)
    if quantity is None or quantity <= 0:
        raise DomainError(_l("Enter a quantity above zero."), field="quantity")
    if not record.method:
        raise DomainError(_l("Say how it was disposed of."), field="method")
    require_member(record, witness, "witness")
    if witness.id == actor.id:
        raise DomainError(_l("The witness is someone other than who disposes of it."), field="witness")
    records.save_record(actor, record, None, now)
    _change_balance(batch.id, -quantity)
    return record


@ledgers.withdrawing.connect
def withdrawn_movement(record, actor=None):
    """A withdrawn issue or disposal goes back on the shelf; a batch is withdrawn only while
    nothing has left it. services.ledgers.withdraw signals before it withdraws."""
    if isinstance(record, (StockIssue, StockDisposal)):
        _change_balance(record.batch_id, record.quantity)
    elif isinstance(record, StockBatch):
        balance = balance_for_update(record.id)
        if balance.on_hand != record.quantity:
            raise DomainError(_l("Some of this batch was issued, disposed of or counted: it cannot be withdrawn."))
        balance.on_hand = Decimal(0)
