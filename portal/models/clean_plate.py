"""The clean-plate campaign (光盘行动): the leftovers of a meal weighed against its diners, for
the whole school or one class, with the dish left most; kilograms per 100 diners against the
school's target."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .canteen import Meal, MenuDish
from .ledger import LedgerRecord
from .registry import RecordKind, register
from .school_class import SchoolClass
from .tenancy import SchoolOwned
from .types import UTCDateTime, enum_type, label
from .user import User


class LeftoverWeighing(LedgerRecord, SchoolOwned, db.Model):
    __tablename__ = "leftover_weighing"
    __table_args__ = (
        sa.CheckConstraint("kg >= 0 AND kg <= 10000", name="kg_range"),
        sa.CheckConstraint("diners > 0", name="has_diners"),
        sa.Index("ix_leftover_weighing_school_day", "school_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    meal: Mapped[Meal] = mapped_column(enum_type(Meal, "meal"), info=label(_l("Meal")))
    # None: the whole school's leftovers of the meal.
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("school_class.id", ondelete="RESTRICT"), index=True, info=label(_l("Whose leftovers"))
    )
    kg: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2), info=label(_l("Leftovers (kg)")))
    diners: Mapped[int] = mapped_column(info=label(_l("Diners")))
    most_left_dish_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("menu_dish.id", ondelete="RESTRICT"), info=label(_l("The dish left most"))
    )
    weighed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    school_class: Mapped[SchoolClass | None] = relationship(info=label(_l("Whose leftovers")))
    most_left_dish: Mapped[MenuDish | None] = relationship(info=label(_l("The dish left most")))
    weighed_by: Mapped[User] = relationship(foreign_keys=[weighed_by_id], info=label(_l("Weighed by")))

    def __str__(self):
        who = self.school_class.name if self.school_class else ""
        return f"{self.day} {self.meal.label} {who} {self.kg} kg".replace("  ", " ")

    @property
    def per_100(self):
        """Kilograms left per 100 diners."""
        return (self.kg * 100 / self.diners).quantize(Decimal("0.01"))


register(RecordKind("leftover_weighings", LeftoverWeighing, _l("Clean-plate leftovers"), _l("Leftovers weighed")))
