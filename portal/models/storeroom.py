"""The storeroom (贮存、出库): the items the school keeps, a batch for every accepted delivery
item put away, what is issued to the kitchen per meal, what expired and was disposed of,
and the monthly stocktake that alone adjusts the book.

Batches, issues and disposals are ledger records: they lock when their day is over. What is
on hand per batch is kept in StockBalance, changed in the same transaction as the movement
that changes it (services/storeroom.py) and checked against the ledger by
``services.stock_book.book_differences``.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .canteen import Meal
from .food_safety import SignedRecord
from .ledger import LedgerRecord, one_standing
from .purchasing import DeliveryItem
from .registry import SIGNATURE, RecordKind, register
from .tenancy import SchoolOwned
from .types import UTCDateTime, enum_type, label
from .user import User

QUANTITY = sa.Numeric(12, 2)


class StockItem(SchoolOwned, db.Model):
    """One kind of goods the school keeps (大米 25kg/袋): the same rice is the same item
    whichever supplier brought it."""

    __tablename__ = "stock_item"
    __table_args__ = (sa.UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), index=True, info=label(_l("Stock item")))
    category: Mapped[str] = mapped_column(sa.String(40), default="", info=label(_l("Category")))
    unit: Mapped[str] = mapped_column(sa.String(16), info=label(_l("Unit")))
    bulk: Mapped[bool] = mapped_column(default=False, info=label(_l("Bulk ingredient")))
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("In use")))

    def __str__(self):
        return self.name


class StockBatch(LedgerRecord, SchoolOwned, db.Model):
    """入库: one delivery item put away, or stock found at the first stocktake."""

    __tablename__ = "stock_batch"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("unit_price IS NULL OR unit_price >= 0", name="unit_price_not_negative"),
        one_standing("stock_batch", "delivery_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_item.id", ondelete="RESTRICT"), index=True)
    delivery_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delivery_item.id", ondelete="RESTRICT"))
    # The day it was put away: first in, first out goes by this day.
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, info=label(_l("Quantity")))
    unit_price: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2), info=label(_l("Unit price (yuan)")))
    production_date: Mapped[date | None] = mapped_column(info=label(_l("Production date")))
    batch: Mapped[str] = mapped_column(sa.String(64), default="", info=label(_l("Batch")))
    # The last day it may be used (its shelf life's end); None when it has none.
    expires_on: Mapped[date | None] = mapped_column(index=True, info=label(_l("Use by")))
    storeroom: Mapped[str] = mapped_column(sa.String(100), default="", info=label(_l("Where kept")))
    put_away_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    # A batch is always shown with its item.
    item: Mapped[StockItem] = relationship(lazy="joined", info=label(_l("Stock item")))
    delivery_item: Mapped[DeliveryItem | None] = relationship()
    put_away_by: Mapped[User] = relationship(foreign_keys=[put_away_by_id], info=label(_l("Put away by")))

    def __str__(self):
        made = f" {self.batch or self.production_date or ''}".rstrip()
        return f"{self.item}{made}（{self.day}）"

    def expired_on(self, day):
        """Expired on ``day``: its last day of use is behind it. A batch expiring today is
        still used today."""
        return self.expires_on is not None and self.expires_on < day

    def expiring_on(self, day, warning_days):
        return self.expires_on is not None and day <= self.expires_on <= day + timedelta(days=warning_days)

    def value_of(self, quantity):
        return None if self.unit_price is None else (quantity * self.unit_price).quantize(Decimal("0.01"))


class StockBalance(SchoolOwned, db.Model):
    """What is on hand of a batch now: in, less what was issued and disposed of, with the
    differences of signed stocktakes. Kept beside the ledger so that the storeroom page reads
    the open batches only, whatever the length of their history."""

    __tablename__ = "stock_balance"
    __table_args__ = (
        sa.CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        sa.Index("ix_stock_balance_school_open", "school_id", "on_hand"),
    )

    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_batch.id", ondelete="RESTRICT"), primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_item.id", ondelete="RESTRICT"), index=True)
    on_hand: Mapped[Decimal] = mapped_column(QUANTITY)

    batch: Mapped[StockBatch] = relationship()


class StockIssue(LedgerRecord, SchoolOwned, db.Model):
    """出库: a quantity of one batch issued to the kitchen for a day's meal."""

    __tablename__ = "stock_issue"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.Index("ix_stock_issue_school_day", "school_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_batch.id", ondelete="RESTRICT"), index=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    meal: Mapped[Meal] = mapped_column(enum_type(Meal, "meal"), info=label(_l("Meal")))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, info=label(_l("Quantity")))
    # Why this batch and not the oldest: empty when first in, first out chose it.
    reason: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Reason")))
    # Food for the staff's meals, issued as such: never charged to the students' subsidy.
    for_staff: Mapped[bool] = mapped_column(default=False, server_default=sa.false(), info=label(_l("For staff meals")))
    issued_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    batch: Mapped[StockBatch] = relationship(info=label(_l("Stock batch")))
    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id], info=label(_l("Issued from the storeroom by")))

    def __str__(self):
        return f"{self.day} {self.meal.label} {self.batch.item} {self.quantity}{self.batch.item.unit}"

    @property
    def value(self):
        return self.batch.value_of(self.quantity)


class StockDisposal(LedgerRecord, SchoolOwned, db.Model):
    """Expired or spoilt stock taken off the shelf: how, by whom, before which witness."""

    __tablename__ = "stock_disposal"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("witness_id <> disposed_by_id", name="witness_is_someone_else"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_batch.id", ondelete="RESTRICT"), index=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, info=label(_l("Quantity")))
    method: Mapped[str] = mapped_column(sa.String(200), info=label(_l("How it was disposed of")))
    disposed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    witness_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    batch: Mapped[StockBatch] = relationship(info=label(_l("Stock batch")))
    disposed_by: Mapped[User] = relationship(foreign_keys=[disposed_by_id], info=label(_l("Disposed of by")))
    witness: Mapped[User] = relationship(foreign_keys=[witness_id], info=label(_l("Witness")))

    def __str__(self):
        return f"{self.day} {self.batch.item} {self.quantity}{self.batch.item.unit}"


class Stocktake(SignedRecord, SchoolOwned, db.Model):
    """盘点 of one month: the keeper counts every batch on hand and signs; the general-affairs
    director signs after them; only then are the differences written to the book, and the
    stocktake is frozen."""

    __tablename__ = "stocktake"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "month"),
        sa.CheckConstraint("(signed_at IS NULL) = (signed_by_id IS NULL)", name="signed_has_signer"),
        sa.CheckConstraint("signed_at IS NULL OR keeper_signed_at IS NOT NULL", name="keeper_signs_first"),
        sa.CheckConstraint("signed_by_id IS NULL OR signed_by_id <> keeper_id", name="two_signers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The first day of the month counted.
    month: Mapped[date] = mapped_column(index=True, info=label(_l("Month")))
    counted_on: Mapped[date] = mapped_column(info=label(_l("Counted on")))
    keeper_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    keeper_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Keeper signed at")))
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    keeper: Mapped[User] = relationship(foreign_keys=[keeper_id], info=label(_l("Keeper")))
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id], info=label(_l("Signed by")))
    lines: Mapped[list["StocktakeLine"]] = relationship(
        back_populates="stocktake", order_by="StocktakeLine.id", cascade="all, delete-orphan"
    )

    def __str__(self):
        return self.month.strftime("%Y-%m")

    @property
    def differences(self):
        return [line for line in self.lines if line.difference]

    def can_count(self, user):
        return not self.is_signed and user.school_id == self.school_id and user.can("ledger.record")

    def can_sign(self, user):
        """The director signs after the keeper, and is not the keeper."""
        return (
            not self.is_signed
            and self.keeper_signed_at is not None
            and user.id != self.keeper_id
            and user.school_id == self.school_id
            and user.can("stocktake.sign")
        )


class StocktakeLine(SchoolOwned, db.Model):
    """One batch counted; frozen with its stocktake's signature (models/frozen.py)."""

    __tablename__ = "stocktake_line"
    __table_args__ = (
        sa.UniqueConstraint("stocktake_id", "batch_id"),
        sa.CheckConstraint("counted >= 0", name="counted_not_negative"),
        sa.CheckConstraint("counted = book OR length(trim(reason)) > 0", name="difference_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(sa.ForeignKey("stocktake.id", ondelete="CASCADE"), index=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_batch.id", ondelete="RESTRICT"), index=True)
    # On hand by the book when the count began, and what the keeper counted.
    book: Mapped[Decimal] = mapped_column(QUANTITY)
    counted: Mapped[Decimal] = mapped_column(QUANTITY)
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    stocktake: Mapped[Stocktake] = relationship(back_populates="lines")
    batch: Mapped[StockBatch] = relationship()

    @property
    def difference(self):
        return self.counted - self.book


register(RecordKind("stock_batches", StockBatch, _l("Stock in"), _l("Stock batch")))
register(RecordKind("stock_issues", StockIssue, _l("Stock out"), _l("Stock issue")))
register(RecordKind("stock_disposals", StockDisposal, _l("Stock disposed of"), _l("Stock disposal")))
register(
    RecordKind(
        "stocktakes",
        Stocktake,
        _l("Monthly stocktakes"),
        _l("Monthly stocktake"),
        locks=SIGNATURE,
        day_attribute="counted_on",
    )
)
