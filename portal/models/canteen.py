"""The canteen's daily ledgers: the menu, food samples (留样), tableware disinfection and the
staff's morning health checks (晨检). The numbers they are checked against are school
settings (SchoolSettings); the checks themselves are in services/canteen.py."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .file import StoredFile
from .ledger import LedgerRecord, one_standing
from .meal import Meal
from .registry import RecordKind, register
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User


class DisinfectionMethod(LabelledEnum):
    STEAM = "steam"
    INFRARED = "infrared"
    DISHWASHER = "dishwasher"
    CHLORINE = "chlorine"

    @classmethod
    def _labels(cls):
        return {
            cls.STEAM: _l("Steam or boiling"),
            cls.INFRARED: _l("Infrared cabinet"),
            cls.DISHWASHER: _l("Dishwasher"),
            cls.CHLORINE: _l("Chlorine (84) soak"),
        }

    @property
    def measures_concentration(self):
        return self is DisinfectionMethod.CHLORINE

    @property
    def measure_field(self):
        """The column its measure goes in: chlorine in mg/L, every other method in ℃."""
        return "concentration_mg_l" if self.measures_concentration else "temperature_c"


class MenuDish(LedgerRecord, SchoolOwned, db.Model):
    """One dish of one meal of one day: the menu that sample completeness is checked against."""

    __tablename__ = "menu_dish"
    __table_args__ = (one_standing("menu_dish", "school_id", "day", "meal", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    meal: Mapped[Meal] = mapped_column(enum_type(Meal, "meal"), info=label(_l("Meal")))
    name: Mapped[str] = mapped_column(sa.String(100), info=label(_l("Dish")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Read-only: a new sample must not join the session through its dish before its checks pass.
    samples: Mapped[list["FoodSample"]] = relationship(viewonly=True, order_by="FoodSample.id")

    def __str__(self):
        return f"{self.day} {self.meal.label} {self.name}"

    @property
    def standing_samples(self):
        """The dish's food samples that count: not withdrawn."""
        return [sample for sample in self.samples if not sample.is_withdrawn]


class FoodSample(LedgerRecord, SchoolOwned, db.Model):
    """留样: a labelled, sealed portion of one dish, kept for at least the keeping time."""

    completed_later = ("discarded_at", "discarded_by_id")

    __tablename__ = "food_sample"
    __table_args__ = (
        sa.CheckConstraint("grams > 0", name="grams_positive"),
        sa.CheckConstraint("discarded_at IS NULL OR discarded_at > retained_at", name="discarded_after_retained"),
        sa.CheckConstraint("(discarded_at IS NULL) = (discarded_by_id IS NULL)", name="discard_has_time_and_person"),
        sa.CheckConstraint("reviewed_by_id IS NULL OR reviewed_by_id <> retained_by_id", name="reviewer_not_keeper"),
        sa.CheckConstraint("(reviewed_at IS NULL) = (reviewed_by_id IS NULL)", name="review_has_time_and_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dish_id: Mapped[int] = mapped_column(sa.ForeignKey("menu_dish.id", ondelete="RESTRICT"), index=True)
    grams: Mapped[float] = mapped_column(sa.Numeric(6, 1, asdecimal=False), info=label(_l("Weight (g)")))
    container_label: Mapped[str] = mapped_column(sa.String(100), default="", info=label(_l("Container label")))
    retained_at: Mapped[datetime] = mapped_column(UTCDateTime, info=label(_l("Kept at")))
    retained_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    # 审核人: someone other than the keeper checks the sample the same day.
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    discarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Discarded at")))
    discarded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="SET NULL"))

    dish: Mapped[MenuDish] = relationship(info=label(_l("Dish")))
    retained_by: Mapped[User] = relationship(foreign_keys=[retained_by_id], info=label(_l("Kept by")))
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id], info=label(_l("Reviewed by")))
    discarded_by: Mapped[User | None] = relationship(foreign_keys=[discarded_by_id], info=label(_l("Discarded by")))
    photo: Mapped[StoredFile | None] = relationship()

    def __str__(self):
        return f"{self.dish} {self.grams} g"

    @property
    def ledger_day(self):
        return self.dish.day


class TablewareDisinfection(LedgerRecord, SchoolOwned, db.Model):
    """餐具消毒 after one meal: the method and the measured temperature or concentration."""

    __tablename__ = "tableware_disinfection"
    __table_args__ = (
        sa.CheckConstraint("duration_seconds > 0", name="duration_positive"),
        sa.CheckConstraint(
            "(method = 'chlorine') = (concentration_mg_l IS NOT NULL AND temperature_c IS NULL)",
            name="measure_fits_method",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    meal: Mapped[Meal] = mapped_column(enum_type(Meal, "meal"), info=label(_l("Meal")))
    method: Mapped[DisinfectionMethod] = mapped_column(
        enum_type(DisinfectionMethod, "disinfection_method"), info=label(_l("Method"))
    )
    temperature_c: Mapped[int | None] = mapped_column(info=label(_l("Temperature (℃)")))
    concentration_mg_l: Mapped[int | None] = mapped_column(info=label(_l("Concentration (mg/L)")))
    duration_seconds: Mapped[int] = mapped_column(info=label(_l("Time (seconds)")))
    items: Mapped[str] = mapped_column(sa.String(200), default="", info=label(_l("Items disinfected")))
    done_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    done_by: Mapped[User] = relationship(foreign_keys=[done_by_id], info=label(_l("Done by")))

    def __str__(self):
        return f"{self.day} {self.meal.label} {self.method.label}"


SYMPTOMS = {
    "fever": _l("Fever"),
    "diarrhoea": _l("Diarrhoea"),
    "vomiting": _l("Vomiting"),
    "skin_wound": _l("Skin wound or infection"),
    "sore_throat": _l("Sore throat"),
    "jaundice": _l("Jaundice"),
}


class MorningCheck(LedgerRecord, SchoolOwned, db.Model):
    """晨检: one rostered canteen worker, one day, before work."""

    __tablename__ = "morning_check"
    __table_args__ = (
        one_standing("morning_check", "school_id", "day", "worker_id"),
        sa.CheckConstraint("NOT (on_duty AND NOT fit)", name="unfit_never_on_duty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    temperature_c: Mapped[float] = mapped_column(sa.Numeric(3, 1, asdecimal=False), info=label(_l("Temperature (℃)")))
    # The keys of SYMPTOMS that were found, space-separated ("" when none).
    symptoms: Mapped[str] = mapped_column(sa.String(200), default="", info=label(_l("Symptoms")))
    fit: Mapped[bool] = mapped_column(info=label(_l("Fit for work")))
    on_duty: Mapped[bool] = mapped_column(info=label(_l("On duty")))
    action_taken: Mapped[str] = mapped_column(sa.String(200), default="", info=label(_l("Action taken")))
    checked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Checked at")))

    worker: Mapped[User] = relationship(foreign_keys=[worker_id], info=label(_l("Worker")))
    checked_by: Mapped[User] = relationship(foreign_keys=[checked_by_id], info=label(_l("Checked by")))

    def __str__(self):
        return f"{self.day} {self.worker}"

    @property
    def symptom_keys(self):
        return [key for key in (self.symptoms or "").split() if key in SYMPTOMS]


register(RecordKind("menu_dishes", MenuDish, _l("Daily menus"), _l("Dish on the menu")))
register(
    RecordKind(
        "food_samples",
        FoodSample,
        _l("Food samples"),
        _l("Food sample"),
        day_elsewhere=(MenuDish.day, MenuDish.id == FoodSample.dish_id),
    )
)
register(
    RecordKind(
        "tableware_disinfections",
        TablewareDisinfection,
        _l("Tableware disinfection"),
        _l("Tableware disinfection"),
    )
)
register(RecordKind("morning_checks", MorningCheck, _l("Morning checks"), _l("Morning check")))
