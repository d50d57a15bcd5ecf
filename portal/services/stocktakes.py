"""The month's stocktake (盘点): begun from the book, counted by the keeper (a difference
needs its reason), signed by the keeper and then by the general-affairs director, whose
signature alone writes the differences to the book and freezes it (models/frozen.py and the
triggers of migration 0009 keep it so)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..errors import DomainError
from ..extensions import db
from ..models.audit import AuditEvent
from ..models.storeroom import StockBatch, StockDisposal, StockIssue, Stocktake, StocktakeLine
from ..timeutil import add_months, school_today, utcnow
from . import audit, users
from .storeroom import amount, balance_for_update, on_hand


def months_due(school_id, months):
    """Of ``months`` (their first days), those that owe a stocktake: from the month the
    storeroom first held stock on (before it nothing was there to count)."""
    first_stock = db.session.scalar(
        sa.select(sa.func.min(StockBatch.day)).where(StockBatch.school_id == school_id, StockBatch.standing())
    )
    if first_stock is None:
        return []
    return [month for month in months if month >= first_stock.replace(day=1)]


def of_month(school_id, month):
    return db.session.scalar(
        sa.select(Stocktake)
        .where(Stocktake.school_id == school_id, Stocktake.month == month)
        .options(joinedload(Stocktake.lines).joinedload(StocktakeLine.batch).joinedload(StockBatch.item))
    )


def start(actor, month, now=None):
    """The count begins with the book: one line per batch on hand, counted as the book says
    until the keeper enters what they found."""
    school = actor.school
    if of_month(school.id, month) is not None:
        raise DomainError(_l("This month's stocktake has begun already."))
    today = school_today(actor.school, now)
    if month > today:
        raise DomainError(_l("The date is in the future."))
    if month < add_months(today.replace(day=1), -1):
        raise DomainError(
            _l("A month's stocktake is counted in that month or the next: the book of today is not that month's.")
        )
    stocktake = Stocktake(school_id=school.id, month=month, counted_on=today, keeper_id=actor.id)
    stocktake.lines = _lines_from_the_book(school.id)
    db.session.add(stocktake)
    db.session.flush()
    audit.record(
        actor, "stocktake.created", stocktake, after={"month": month.isoformat(), "lines": len(stocktake.lines)}
    )
    return stocktake


def _lines_from_the_book(school_id):
    return [
        StocktakeLine(school_id=school_id, batch=row.batch, book=row.on_hand, counted=row.on_hand)
        for row in on_hand(school_id)
    ]


def _refuse_signed(stocktake):
    if stocktake.is_signed:
        raise DomainError(_l("This record is signed and can no longer be changed."))


def count(actor, stocktake, counts):
    """``counts``: {line id: (counted, reason)}. A difference from the book needs its reason;
    a change after the keeper signed takes their signature away."""
    _refuse_signed(stocktake)
    if not stocktake.can_count(actor):
        raise DomainError(_l("The stocktake is counted by the storeroom's staff of the school."))
    changed = {}
    for line in stocktake.lines:
        if line.id not in counts:
            continue
        counted, reason = counts[line.id]
        reason = (reason or "").strip()[:300]
        name = str(line.batch)
        if counted is None or counted < 0:
            raise DomainError(
                _l("%(batch)s: enter the quantity counted, zero or more.", batch=name), field=f"line-{line.id}"
            )
        if counted != line.book and not reason:
            raise DomainError(
                _l("%(batch)s: the count differs from the book; say why.", batch=name), field=f"line-{line.id}"
            )
        if (counted, reason) != (line.counted, line.reason):
            changed[str(line.batch_id)] = [amount(line.counted, ""), amount(counted, "")]
            line.counted, line.reason = counted, reason if counted != line.book else ""
    if changed:
        stocktake.keeper_signed_at = None
        db.session.flush()
        audit.record(actor, "stocktake.counted", stocktake, after={"counted": changed})
    return changed


def restart(actor, stocktake, now=None):
    """Begins the count again from today's book, when it cannot be signed as counted (stock
    moved after the count began). The earlier count is kept whole in the audit trail, and the
    page shows it under the new one."""
    _refuse_signed(stocktake)
    if not stocktake.can_count(actor):
        raise DomainError(_l("The stocktake is counted by the storeroom's staff of the school."))
    earlier = {
        "began": stocktake.created_at.isoformat(),
        "keeper_signed": stocktake.keeper_signed_at is not None,
        "lines": {
            str(line.batch_id): [str(line.batch), amount(line.book, ""), amount(line.counted, ""), line.reason]
            for line in stocktake.lines
        },
    }
    stocktake.lines = []
    db.session.flush()
    stocktake.lines = _lines_from_the_book(stocktake.school_id)
    stocktake.created_at = now or utcnow()
    stocktake.counted_on = school_today(actor.school, now)
    stocktake.keeper_id, stocktake.keeper_signed_at = actor.id, None
    db.session.flush()
    audit.record(actor, "stocktake.restarted", stocktake, before=earlier, after={"lines": len(stocktake.lines)})


@dataclass
class EarlierCount:
    began: datetime
    set_aside_at: datetime
    set_aside_by: str
    lines: list  # [batch name, book, counted, reason]


def earlier_counts(stocktake):
    """The counts set aside when this one began again (each kept in its audit event), the
    latest first."""
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            AuditEvent.action == "stocktake.restarted",
            AuditEvent.object_type == "Stocktake",
            AuditEvent.object_id == str(stocktake.id),
        )
        .order_by(AuditEvent.id.desc())
    ).all()
    return [
        EarlierCount(
            datetime.fromisoformat(event.before["began"]),
            event.occurred_at,
            event.actor_name,
            list(event.before["lines"].values()),
        )
        for event in events
    ]


def moved_since(stocktake):
    """{batch id: the quantity issued or disposed of since the count began} (withdrawn
    records count for nothing)."""
    ids = [line.batch_id for line in stocktake.lines]
    moved = {}
    for model in (StockIssue, StockDisposal):
        rows = db.session.execute(
            sa.select(model.batch_id, sa.func.sum(model.quantity))
            .where(
                model.batch_id.in_(ids),
                model.recorded_at > stocktake.created_at,
                model.withdrawn_at.is_(None),
            )
            .group_by(model.batch_id)
        ).all()
        for batch_id, quantity in rows:
            moved[batch_id] = moved.get(batch_id, 0) + quantity
    return moved


def cannot_be_signed(stocktake):
    """[(line, message)]: the lines the director's signature would refuse, because less was
    counted than has left the batch since the count began; the page says so to the keeper."""
    moved = moved_since(stocktake)
    on_hand_now = {row.batch.id: row.on_hand for row in on_hand(stocktake.school_id)}
    return [
        (line, _count_after_moves(line, moved.get(line.batch_id, 0)))
        for line in stocktake.differences
        if on_hand_now.get(line.batch_id, 0) + line.difference < 0
    ]


def _count_after_moves(line, moved):
    unit = line.batch.item.unit
    return _l(
        "%(batch)s: the count is what was on hand when the count began; %(moved)s has left since, "
        "more than %(counted)s counted. Enter what was there at the start (what is on the shelf now plus "
        "what left since), or begin the count again.",
        batch=str(line.batch),
        moved=amount(moved, unit),
        counted=amount(line.counted, unit),
    )


def sign_as_keeper(actor, stocktake, password, now=None):
    _refuse_signed(stocktake)
    if not stocktake.can_count(actor):
        raise DomainError(_l("The stocktake is counted by the storeroom's staff of the school."))
    users.check_own_password(actor, password)
    stocktake.keeper_id = actor.id
    stocktake.keeper_signed_at = now or utcnow()
    db.session.flush()
    audit.record(actor, "stocktake.keeper_signed", stocktake, after={"keeper": actor.display_name})


def sign(actor, stocktake, password, now=None):
    """The director signs after the keeper: the differences are written to the book and the
    stocktake is frozen."""
    _refuse_signed(stocktake)
    if stocktake.keeper_signed_at is None:
        raise DomainError(_l("The keeper signs the count first."))
    if not stocktake.can_sign(actor):
        raise DomainError(
            _l("The stocktake is signed by the general-affairs director, after the keeper and not by them.")
        )
    users.check_own_password(actor, password)
    moved = moved_since(stocktake)
    for line in stocktake.differences:
        balance = balance_for_update(line.batch_id)
        if balance.on_hand + line.difference < 0:
            raise DomainError(_count_after_moves(line, moved.get(line.batch_id, 0)))
        balance.on_hand += line.difference
    stocktake.signed_by_id = actor.id
    stocktake.signed_at = now or utcnow()
    db.session.flush()
    audit.record(
        actor,
        "stocktake.signed",
        stocktake,
        after={"differences": {str(line.batch_id): amount(line.difference, "") for line in stocktake.differences}},
    )
