"""Cooking core temperatures (烹饪中心温度): a dish that must be cooked through is measured at its
centre before it is served, and reaches 70 ℃. A reading below the line is no record: the dish
is cooked again and measured again, and the record keeps both readings."""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .canteen import MenuDish
from .ledger import LedgerRecord
from .registry import RecordKind, register
from .tenancy import SchoolOwned
from .types import UTCDateTime, label
from .user import User

# 《餐饮服务食品安全操作规范》(2018), 烹饪: 需要烧熟煮透的食品，加工时食品的中心温度应达到70℃以上.
CORE_MINIMUM_CELSIUS = Decimal("70.0")


class CoreTemperature(LedgerRecord, SchoolOwned, db.Model):
    __tablename__ = "core_temperature"
    __table_args__ = (
        sa.CheckConstraint("celsius >= 70", name="cooked_through"),
        sa.CheckConstraint("first_celsius IS NULL OR first_celsius < 70", name="first_reading_below_the_line"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dish_id: Mapped[int] = mapped_column(sa.ForeignKey("menu_dish.id", ondelete="RESTRICT"), index=True)
    celsius: Mapped[Decimal] = mapped_column(sa.Numeric(4, 1), info=label(_l("Core temperature (℃)")))
    # The reading that was below the line, when the dish was cooked again.
    first_celsius: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 1), info=label(_l("Before cooking again (℃)")))
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime, info=label(_l("Measured at")))
    measured_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))

    dish: Mapped[MenuDish] = relationship(info=label(_l("Dish")))
    measured_by: Mapped[User] = relationship(foreign_keys=[measured_by_id], info=label(_l("Measured by")))

    def __str__(self):
        return f"{self.dish} {self.celsius} ℃"

    @property
    def ledger_day(self):
        return self.dish.day

    @property
    def cooked_again(self):
        return self.first_celsius is not None


register(
    RecordKind(
        "core_temperatures",
        CoreTemperature,
        _l("Cooking core temperatures"),
        _l("Cooking core temperature"),
        day_elsewhere=(MenuDish.day, MenuDish.id == CoreTemperature.dish_id),
    )
)
