"""The canteen's locked cabinets that are stations of their own (models/station.py): the food
sample cabinet (留样柜), where a sample of every dish goes after each meal, and the food additive
cabinet (食品添加剂专柜), where every use is weighed out and written down. A school may have more
than one of each (two canteens); a fridge's temperature has its own station (models/cold_chain.py)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .station import Station
from .tenancy import SchoolOwned
from .types import LabelledEnum, enum_type, label


class CabinetPurpose(LabelledEnum):
    FOOD_SAMPLES = "food_samples"
    ADDITIVES = "additives"

    @classmethod
    def _labels(cls):
        return {cls.FOOD_SAMPLES: _l("Food sample cabinet"), cls.ADDITIVES: _l("Food additive cabinet")}


class Cabinet(SchoolOwned, Station, db.Model):
    __tablename__ = "cabinet"
    __table_args__ = (sa.UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), index=True, info=label(_lp("a thing", "Name")))
    purpose: Mapped[CabinetPurpose] = mapped_column(
        enum_type(CabinetPurpose, "cabinet_purpose"), info=label(_l("What it holds"))
    )
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("In use")))

    def __str__(self):
        return self.name
