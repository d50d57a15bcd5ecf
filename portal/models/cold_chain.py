"""The cold chain: the school's fridges and freezers with the range each must hold, and
their temperature read a few times a day. A reading out of range says what was done and
becomes a rectification task."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .ledger import LedgerRecord, one_standing
from .registry import RecordKind, register
from .station import Station
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User

TEMPERATURE = sa.Numeric(4, 1)


class ColdUnitKind(LabelledEnum):
    REFRIGERATOR = "refrigerator"
    FREEZER = "freezer"
    SAMPLE_FRIDGE = "sample_fridge"

    @classmethod
    def _labels(cls):
        return {
            cls.REFRIGERATOR: _l("Refrigerator"),
            cls.FREEZER: _l("Freezer"),
            cls.SAMPLE_FRIDGE: _l("Food-sample fridge"),
        }


# (lowest, highest) ℃ each kind holds unless the school sets another range: refrigerated
# 0–8 ℃, frozen at −18 ℃ or colder (the sample fridge is a fridge).
DEFAULT_RANGES = {
    ColdUnitKind.REFRIGERATOR: (Decimal("0.0"), Decimal("8.0")),
    ColdUnitKind.FREEZER: (None, Decimal("-18.0")),
    ColdUnitKind.SAMPLE_FRIDGE: (Decimal("0.0"), Decimal("8.0")),
}

# The loosest range a school may set, (lowest at least, highest at most), and the rule:
# 《餐饮服务食品安全操作规范》(2018) 2.26 冷藏 "冷藏环境温度的范围应在0℃～8℃", 2.27 冷冻 "冷冻温度的
# 范围宜低于-12℃". The defaults above are stricter for a freezer; a school may be stricter still.
REGULATION = "《餐饮服务食品安全操作规范》"
NATIONAL_RANGES = {
    ColdUnitKind.REFRIGERATOR: (Decimal("0.0"), Decimal("8.0")),
    ColdUnitKind.FREEZER: (None, Decimal("-12.0")),
    ColdUnitKind.SAMPLE_FRIDGE: (Decimal("0.0"), Decimal("8.0")),
}


class ColdUnit(SchoolOwned, Station, db.Model):
    __tablename__ = "cold_unit"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "name"),
        sa.CheckConstraint("lowest_c IS NULL OR highest_c IS NULL OR lowest_c < highest_c", name="range_in_order"),
        sa.CheckConstraint("lowest_c IS NOT NULL OR highest_c IS NOT NULL", name="has_a_limit"),
        sa.CheckConstraint(
            "kind = 'freezer' OR (lowest_c IS NOT NULL AND lowest_c >= 0 AND highest_c IS NOT NULL AND highest_c <= 8)",
            name="refrigerated_national_range",
        ),
        sa.CheckConstraint(
            "kind <> 'freezer' OR (highest_c IS NOT NULL AND highest_c <= -12)", name="frozen_national_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), index=True, info=label(_l("Fridge or freezer")))
    kind: Mapped[ColdUnitKind] = mapped_column(enum_type(ColdUnitKind, "cold_unit_kind"), info=label(_l("Kind")))
    # The range it must hold, limits included; None: no limit on that side.
    lowest_c: Mapped[Decimal | None] = mapped_column(TEMPERATURE, info=label(_l("Lowest (℃)")))
    highest_c: Mapped[Decimal | None] = mapped_column(TEMPERATURE, info=label(_l("Highest (℃)")))
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("In use")))
    # Readings are due from this day on.
    created_on: Mapped[date] = mapped_column(info=label(_l("Readings due from")))

    def __str__(self):
        return self.name

    def looser_than_the_rule(self):
        """The side of its range looser than NATIONAL_RANGES allows ("lowest_c", "highest_c"), or None."""
        least, most = NATIONAL_RANGES[self.kind]
        if least is not None and (self.lowest_c is None or self.lowest_c < least):
            return "lowest_c"
        if most is not None and (self.highest_c is None or self.highest_c > most):
            return "highest_c"
        return None

    def holds(self, celsius):
        """Whether a reading is within range: 8.0 ℃ is, 8.1 ℃ is not; −18.0 ℃ is, −17.9 ℃ is not."""
        return (self.lowest_c is None or celsius >= self.lowest_c) and (
            self.highest_c is None or celsius <= self.highest_c
        )

    @property
    def range_text(self):
        if self.lowest_c is None:
            return f"≤ {self.highest_c} ℃"
        if self.highest_c is None:
            return f"≥ {self.lowest_c} ℃"
        return f"{self.lowest_c}–{self.highest_c} ℃"


class TemperatureReading(LedgerRecord, SchoolOwned, db.Model):
    __tablename__ = "temperature_reading"
    __table_args__ = (
        sa.CheckConstraint("round BETWEEN 1 AND 6", name="round_range"),
        sa.CheckConstraint("temperature_c BETWEEN -60 AND 60", name="temperature_plausible"),
        sa.CheckConstraint("NOT out_of_range OR length(trim(action)) > 0", name="excursion_has_action"),
        one_standing("temperature_reading", "unit_id", "day", "round"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("cold_unit.id", ondelete="RESTRICT"), index=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    # The reading of the day: 1 in the morning, 2 in the afternoon (SchoolSettings.temperature_readings_per_day).
    round: Mapped[int] = mapped_column(info=label(_l("Reading of the day")))
    temperature_c: Mapped[Decimal] = mapped_column(TEMPERATURE, info=label(_l("Temperature (℃)")))
    # Out of the unit's range when read (the range may change later; the record keeps its verdict).
    out_of_range: Mapped[bool] = mapped_column(default=False, info=label(_l("Out of range")))
    action: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Action taken")))
    read_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    unit: Mapped[ColdUnit] = relationship(info=label(_l("Fridge or freezer")))
    read_by: Mapped[User] = relationship(foreign_keys=[read_by_id], info=label(_l("Read by")))

    def __str__(self):
        return f"{self.day} {self.unit} {self.temperature_c} ℃"

    @property
    def found_by_id(self):
        return self.read_by_id


register(
    RecordKind(
        "temperature_readings",
        TemperatureReading,
        _l("Fridge and freezer temperatures"),
        _l("Temperature reading"),
        raises_tasks=True,
    )
)
