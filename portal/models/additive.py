"""食品添加剂 "五专" (《餐饮服务食品安全操作规范》(2018) 2.7.1 and the school canteens' rule of the
five "own"s): each additive is bought from its own fixed shop, kept in its own locked cabinet,
in the care of one responsible person, measured with its own tools, and every use is written in
its own ledger: which additive, how much, in which dish, by whom and when."""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .canteen import MenuDish
from .ledger import LedgerRecord
from .purchasing import Supplier
from .registry import RecordKind, register
from .tenancy import SchoolOwned
from .types import UTCDateTime, label
from .user import User


class Additive(SchoolOwned, db.Model):
    __tablename__ = "additive"
    __table_args__ = (sa.UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), index=True, info=label(_l("Food additive")))
    supplier_id: Mapped[int] = mapped_column(sa.ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    cabinet: Mapped[str] = mapped_column(sa.String(100), info=label(_l("Locked cabinet")))
    keeper_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    tools: Mapped[str] = mapped_column(sa.String(200), info=label(_l("Its own tools")))
    # GB 2760's largest use, grams per kg of food, where the additive has one.
    limit_g_per_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 3), info=label(_l("Limit (g per kg)")))
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("In use")))

    supplier: Mapped[Supplier] = relationship(info=label(_l("Fixed shop")))
    keeper: Mapped[User] = relationship(info=label(_l("Person responsible")))

    def __str__(self):
        return self.name


class AdditiveUse(LedgerRecord, SchoolOwned, db.Model):
    __tablename__ = "additive_use"
    __table_args__ = (
        sa.CheckConstraint("grams > 0", name="grams_positive"),
        sa.CheckConstraint("food_kg IS NULL OR food_kg > 0", name="food_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    additive_id: Mapped[int] = mapped_column(sa.ForeignKey("additive.id", ondelete="RESTRICT"), index=True)
    dish_id: Mapped[int] = mapped_column(sa.ForeignKey("menu_dish.id", ondelete="RESTRICT"), index=True)
    grams: Mapped[Decimal] = mapped_column(sa.Numeric(8, 1), info=label(_l("Quantity used (g)")))
    # The food it went into, for an additive with a limit.
    food_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 1), info=label(_l("Food it went into (kg)")))
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Used at")))
    used_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))

    additive: Mapped[Additive] = relationship(info=label(_l("Food additive")))
    dish: Mapped[MenuDish] = relationship(info=label(_l("Dish")))
    used_by: Mapped[User] = relationship(foreign_keys=[used_by_id], info=label(_l("Used by")))

    def __str__(self):
        return f"{self.dish} {self.additive} {self.grams} g"

    @property
    def ledger_day(self):
        return self.dish.day


register(
    RecordKind(
        "additive_uses",
        AdditiveUse,
        _l("Food additive uses"),
        _l("Food additive use"),
        day_elsewhere=(MenuDish.day, MenuDish.id == AdditiveUse.dish_id),
    )
)
