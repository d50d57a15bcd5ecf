"""陪餐: a school leader eats with the students at a meal and records what they found;
parents eat with them too, a few times a semester."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .canteen import Meal
from .ledger import LedgerRecord, one_standing
from .registry import RecordKind, register
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User


class Opinion(LabelledEnum):
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"

    @classmethod
    def _labels(cls):
        return {cls.GOOD: _l("Good"), cls.FAIR: _l("Fair"), cls.POOR: _l("Poor")}


# The four things a leader gives an opinion on, in the order of the paper form.
ASPECTS = {
    "taste": _l("Taste"),
    "temperature": _l("Temperature"),
    "hygiene": _l("Hygiene"),
    "quantity": _l("Portion size"),
}


class AccompaniedMeal(LedgerRecord, SchoolOwned, db.Model):
    """One leader's record of one meal: one per meal served."""

    __tablename__ = "accompanied_meal"
    __table_args__ = (one_standing("accompanied_meal", "school_id", "day", "meal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    meal: Mapped[Meal] = mapped_column(enum_type(Meal, "meal"), info=label(_l("Meal")))
    leader_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    dishes_tasted: Mapped[str] = mapped_column(sa.String(300), default="", info=label(_l("Dishes tasted")))
    # One named check constraint per column: PostgreSQL wants the names unique in a table.
    taste: Mapped[Opinion] = mapped_column(enum_type(Opinion, "taste_opinion"), info=label(_l("Taste")))
    temperature: Mapped[Opinion] = mapped_column(
        enum_type(Opinion, "temperature_opinion"), info=label(_l("Temperature"))
    )
    hygiene: Mapped[Opinion] = mapped_column(enum_type(Opinion, "hygiene_opinion"), info=label(_l("Hygiene")))
    quantity: Mapped[Opinion] = mapped_column(enum_type(Opinion, "quantity_opinion"), info=label(_l("Portion size")))
    # What was wrong; when not empty it is also a rectification task.
    problems: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Problems found")))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    leader: Mapped[User] = relationship(foreign_keys=[leader_id], info=label(_l("Leader")))

    def __str__(self):
        return f"{self.day} {self.meal.label} {self.leader}"

    @property
    def found_by_id(self):
        return self.leader_id

    @property
    def poor_aspects(self):
        return [label for key, label in ASPECTS.items() if getattr(self, key) is Opinion.POOR]


class ParentMeal(LedgerRecord, SchoolOwned, db.Model):
    """家长陪餐: a parent at one meal, counted per semester against a school setting."""

    __tablename__ = "parent_meal"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    meal: Mapped[Meal] = mapped_column(enum_type(Meal, "meal"), info=label(_l("Meal")))
    parent_name: Mapped[str] = mapped_column(sa.String(64), info=label(_l("Parent")))
    class_name: Mapped[str] = mapped_column(sa.String(64), info=label(_l("Class")))
    feedback: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Feedback")))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], info=label(_l("Recorded by")))

    def __str__(self):
        return f"{self.day} {self.meal.label} {self.parent_name}"


register(
    RecordKind(
        "accompanied_meals",
        AccompaniedMeal,
        _l("Accompanied meals"),
        _l("Accompanied meal"),
        raises_tasks=True,
    )
)
register(RecordKind("parent_meals", ParentMeal, _l("Parent accompanied meals"), _l("Parent accompanied meal")))
