"""What a school knows about ingredients, as a list it keeps and can add to: bulk
ingredients (大宗食材, accepted by two or more people above a quantity), foods that need a
quarantine certificate (检疫合格证明), and banned or high-risk foods (禁止品种) that no dish or
delivery may be. Every school starts with the national defaults (services/ingredients.py)."""

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .tenancy import SchoolOwned
from .types import LabelledEnum, enum_type, label


class IngredientKind(LabelledEnum):
    BULK = "bulk"
    QUARANTINE = "quarantine"
    BANNED = "banned"

    @classmethod
    def _labels(cls):
        return {
            cls.BULK: _l("Bulk ingredient"),
            cls.QUARANTINE: _l("Needs a quarantine certificate"),
            cls.BANNED: _l("Banned or high-risk food"),
        }


class IngredientRule(SchoolOwned, db.Model):
    __tablename__ = "ingredient_rule"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "kind", "name"),
        sa.CheckConstraint("bulk_from_kg IS NULL OR bulk_from_kg > 0", name="bulk_from_kg_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[IngredientKind] = mapped_column(
        enum_type(IngredientKind, "ingredient_kind"), index=True, info=label(_l("List"))
    )
    name: Mapped[str] = mapped_column(sa.String(100), info=label(_l("Food or ingredient")))
    # Words that identify it in a dish's or an item's name, separated by 、 or commas.
    keywords: Mapped[str] = mapped_column(sa.String(300), info=label(_l("Words in a dish or item name")))
    # Bulk only: from this quantity (in kg) on a delivery counts as bulk; in other units
    # (bags, barrels) any quantity does.
    bulk_from_kg: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 1), info=label(_l("Bulk from (kg)")))
    # Why it is banned, said when a dish or an item is refused.
    reason: Mapped[str] = mapped_column(sa.String(300), default="", info=label(_l("Why")))
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("In use")))

    def __str__(self):
        return self.name

    @property
    def words(self):
        return [
            word.strip() for word in self.keywords.replace("，", "、").replace(",", "、").split("、") if word.strip()
        ]

    def matches(self, text):
        return any(word in (text or "") for word in self.words)
