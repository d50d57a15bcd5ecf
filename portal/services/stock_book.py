"""The book checked against the ledger: what each batch should hold by its movements (put
away, issued, disposed of, stocktake differences), beside what the book of balances says."""

from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from ..models.storeroom import (
    StockBalance,
    StockBatch,
    StockDisposal,
    StockIssue,
    Stocktake,
    StocktakeLine,
)


def ledger_on_hand(school_id):
    """{batch id: on hand} as the ledger says it: in, less standing issues and disposals,
    plus the differences of signed stocktakes. The storeroom's balances must equal it."""
    totals = defaultdict(Decimal)
    for batch_id, quantity in db.session.execute(
        sa.select(StockBatch.id, StockBatch.quantity).where(StockBatch.school_id == school_id, StockBatch.standing())
    ):
        totals[batch_id] += quantity
    for model in (StockIssue, StockDisposal):
        for batch_id, quantity in db.session.execute(
            sa.select(model.batch_id, sa.func.sum(model.quantity))
            .where(model.school_id == school_id, model.standing())
            .group_by(model.batch_id)
        ):
            totals[batch_id] -= quantity
    for batch_id, difference in db.session.execute(
        sa.select(StocktakeLine.batch_id, sa.func.sum(StocktakeLine.counted - StocktakeLine.book))
        .join(Stocktake, Stocktake.id == StocktakeLine.stocktake_id)
        .where(StocktakeLine.school_id == school_id, Stocktake.signed_at.is_not(None))
        .group_by(StocktakeLine.batch_id)
    ):
        totals[batch_id] += difference
    return dict(totals)


def book_differences(school_id):
    """The batches whose balance is not what the ledger says: {batch id: (balance, ledger)}."""
    ledger = ledger_on_hand(school_id)
    balances = dict(
        db.session.execute(
            sa.select(StockBalance.batch_id, StockBalance.on_hand).where(StockBalance.school_id == school_id)
        ).all()
    )
    return {
        batch_id: (balances.get(batch_id, Decimal(0)), ledger.get(batch_id, Decimal(0)))
        for batch_id in set(ledger) | set(balances)
        if balances.get(batch_id, Decimal(0)) != ledger.get(batch_id, Decimal(0))
    }
