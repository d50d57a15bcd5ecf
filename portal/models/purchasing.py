"""进货查验、索证索票: suppliers with their licences, and every delivery with its items,
tickets and the people who accepted it."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import add_months, utcnow
from .file import StoredFile
from .ledger import LedgerPart, LedgerRecord
from .registry import RecordKind, register
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User


class Supplier(SchoolOwned, db.Model):
    __tablename__ = "supplier"
    __table_args__ = (sa.UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), index=True, info=label(_l("Dish")))
    licence_number: Mapped[str] = mapped_column(sa.String(64), info=label(_l("Licence number")))
    licence_expires_on: Mapped[date | None] = mapped_column(info=label(_l("Licence expires")))
    address: Mapped[str] = mapped_column(sa.String(200), default="", info=label(_l("Address")))
    contact: Mapped[str] = mapped_column(sa.String(100), default="", info=label(_l("Contact")))
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("In use")))
    # 退出: from this day the supplier delivers no more (services/supplier_review.py).
    exited_on: Mapped[date | None] = mapped_column(info=label(_l("Exited on")))
    exit_reason: Mapped[str] = mapped_column(
        sa.Text, default="", server_default="", info=label(_l("Reason for the exit"))
    )

    def __str__(self):
        return self.name

    def exited_by(self, day):
        return self.exited_on is not None and self.exited_on <= day

    def licence_valid_on(self, day):
        return self.licence_expires_on is None or self.licence_expires_on >= day


class DeliveryResult(LabelledEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @classmethod
    def _labels(cls):
        return {cls.ACCEPTED: _l("Accepted"), cls.REJECTED: _l("Rejected")}


delivery_acceptor = sa.Table(
    "delivery_acceptor",
    db.metadata,
    sa.Column("delivery_id", sa.ForeignKey("delivery.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="RESTRICT"), primary_key=True),
)

delivery_ticket = sa.Table(
    "delivery_ticket",
    db.metadata,
    sa.Column("delivery_id", sa.ForeignKey("delivery.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("stored_file_id", sa.ForeignKey("stored_file.id", ondelete="RESTRICT"), primary_key=True),
)


class Delivery(LedgerRecord, SchoolOwned, db.Model):
    __tablename__ = "delivery"
    __table_args__ = (
        sa.CheckConstraint("result = 'accepted' OR length(trim(rejection_reason)) > 0", name="rejection_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    supplier_id: Mapped[int] = mapped_column(sa.ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    # Bulk ingredients (大宗食材: rice, flour, oil, meat, ...) are accepted by two or more people;
    # set from the school's list of bulk ingredients and their quantities, never ticked.
    bulk: Mapped[bool] = mapped_column(default=False, info=label(_l("Bulk ingredients")))
    result: Mapped[DeliveryResult] = mapped_column(
        enum_type(DeliveryResult, "delivery_result"), info=label(_l("Result"))
    )
    rejection_reason: Mapped[str] = mapped_column(sa.String(300), default="", info=label(_l("Reason for rejection")))
    # The supplier's licence had expired on the day: kept with the record, shown in red.
    licence_expired: Mapped[bool] = mapped_column(default=False, info=label(_l("Licence expired")))
    # 索证索票: no supplier's ticket (invoice or delivery note) was attached; meat came without
    # its quarantine certificate. Flagged like an expired licence.
    missing_ticket: Mapped[bool] = mapped_column(default=False)
    missing_quarantine: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    supplier: Mapped[Supplier] = relationship(info=label(_l("Supplier")))
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], info=label(_l("Recorded by")))
    acceptors: Mapped[list[User]] = relationship(
        secondary=delivery_acceptor, order_by=User.name_pinyin, info=label(_l("Accepted by"))
    )
    tickets: Mapped[list[StoredFile]] = relationship(secondary=delivery_ticket, order_by=StoredFile.id)
    items: Mapped[list["DeliveryItem"]] = relationship(
        back_populates="delivery", order_by="DeliveryItem.id", cascade="all, delete-orphan", info=label(_l("Goods"))
    )

    def __str__(self):
        return f"{self.day} {self.supplier}"

    def retention_ends(self, months_after_shelf_life, years_without):
        """The first day the record may be deleted: months past the latest shelf-life end of
        its items, or years after the delivery when an item has no shelf life."""
        ends = [item.shelf_life_ends(self.day) for item in self.items]
        if not ends or None in ends:
            return add_months(self.day, 12 * years_without)
        return add_months(max(ends), months_after_shelf_life)


class DeliveryItem(LedgerPart, SchoolOwned, db.Model):
    __tablename__ = "delivery_item"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("shelf_life_days IS NULL OR shelf_life_days > 0", name="shelf_life_positive"),
        sa.CheckConstraint("price IS NULL OR price >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("delivery.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    specification: Mapped[str] = mapped_column(sa.String(100), default="")
    quantity: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2))
    unit: Mapped[str] = mapped_column(sa.String(16))
    production_date: Mapped[date | None]
    batch: Mapped[str] = mapped_column(sa.String(64), default="")
    shelf_life_days: Mapped[int | None]
    price: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))

    delivery: Mapped[Delivery] = relationship(back_populates="items")

    def __str__(self):
        return f"{self.name} {self.quantity} {self.unit}"

    @property
    def ledger_record(self):
        return self.delivery

    def shelf_life_ends(self, delivered_on):
        """None when the item has no shelf life (the longer rule applies)."""
        if self.shelf_life_days is None:
            return None
        return (self.production_date or delivered_on) + timedelta(days=self.shelf_life_days)


def _delivery_keep_until(delivery, settings):
    return delivery.retention_ends(settings.delivery_keep_months, settings.delivery_keep_years)


register(
    RecordKind(
        "deliveries",
        Delivery,
        _l("Purchase acceptance"),
        _l("Purchase acceptance"),
        keep_until=_delivery_keep_until,
    )
)
