"""Schools and their settings."""

import secrets
from datetime import datetime, time
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import DEFAULT_TIMEZONE, utcnow
from .meal import Meal
from .types import UTCDateTime, label


class School(db.Model):
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True, info=label(_l("School")))
    county: Mapped[str] = mapped_column(sa.String(100), info=label(_l("County")))
    timezone: Mapped[str] = mapped_column(sa.String(64), default=DEFAULT_TIMEZONE, info=label(_l("Time zone")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Created")))
    # The school's public pages (its notice, the complaint form of 校园食安码) are found by this,
    # never by the school's id: a code on a wall names this school and nothing else.
    public_token: Mapped[str] = mapped_column(
        sa.String(32),
        unique=True,
        default=lambda: secrets.token_urlsafe(16),
        info=label(_l("Code of the public pages")),
    )

    settings: Mapped["SchoolSettings"] = relationship(
        back_populates="school", cascade="all, delete-orphan", uselist=False, lazy="joined"
    )

    def __str__(self):
        return self.name


class SchoolSettings(db.Model):
    """One row per school: every threshold the portal checks, with the national default."""

    __tablename__ = "school_settings"
    __table_args__ = (
        sa.CheckConstraint("certificate_warning_days BETWEEN 1 AND 365", name="certificate_warning_days_range"),
        sa.CheckConstraint("sample_min_grams BETWEEN 125 AND 1000", name="sample_min_grams_range"),
        sa.CheckConstraint("sample_keep_hours BETWEEN 48 AND 720", name="sample_keep_hours_range"),
        sa.CheckConstraint("serves_breakfast OR serves_lunch OR serves_dinner", name="serves_a_meal"),
        sa.CheckConstraint("parent_meals_per_term BETWEEN 0 AND 100", name="parent_meals_per_term_range"),
        sa.CheckConstraint("bulk_acceptors BETWEEN 2 AND 5", name="bulk_acceptors_range"),
        sa.CheckConstraint("delivery_keep_months BETWEEN 6 AND 120", name="delivery_keep_months_range"),
        sa.CheckConstraint("delivery_keep_years BETWEEN 2 AND 30", name="delivery_keep_years_range"),
        sa.CheckConstraint("ledger_lock_days BETWEEN 0 AND 7", name="ledger_lock_days_range"),
        sa.CheckConstraint("ledger_keep_years BETWEEN 2 AND 30", name="ledger_keep_years_range"),
        sa.CheckConstraint(
            "steam_min_celsius >= 100 AND steam_min_seconds >= 600 AND infrared_min_celsius >= 120 "
            "AND infrared_min_seconds >= 600 AND dishwasher_min_celsius >= 85 AND dishwasher_min_seconds >= 40 "
            "AND chlorine_min_mg_l >= 250 AND chlorine_min_seconds >= 300",
            name="disinfection_national_floors",
        ),
        sa.CheckConstraint("fever_from_celsius BETWEEN 36.5 AND 37.3", name="fever_from_celsius_range"),
        sa.CheckConstraint("expiry_warning_days BETWEEN 0 AND 60", name="expiry_warning_days_range"),
        sa.CheckConstraint("temperature_readings_per_day BETWEEN 1 AND 6", name="temperature_readings_per_day_range"),
        sa.CheckConstraint("dorm_coaching_below BETWEEN 1 AND 100", name="dorm_coaching_below_range"),
        sa.CheckConstraint("leftover_target_kg_per_100 > 0", name="leftover_target_positive"),
        sa.CheckConstraint("surveys_per_semester BETWEEN 2 AND 20", name="surveys_per_semester_range"),
    )

    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id", ondelete="CASCADE"), primary_key=True)
    certificate_warning_days: Mapped[int] = mapped_column(default=30, info=label(_l("Certificate warning (days)")))
    # 整改不过夜: a task is due by the end of the school day it was found on; from this time
    # on (school time) an open task is escalated to the director and the principal. The same
    # cut-off, ledger_lock_days later, locks the day's ledger records.
    rectification_cutoff: Mapped[time] = mapped_column(
        default=time(22, 0), info=label(_l("Daily rectification cut-off"))
    )
    ledger_lock_days: Mapped[int] = mapped_column(default=1, info=label(_l("Ledger records lock after (days)")))
    # Ledger records without a retention rule of their own are kept this many years.
    ledger_keep_years: Mapped[int] = mapped_column(default=2, info=label(_l("Ledger records kept (years)")))
    # A one-person kitchen: its only worker may record their own morning check.
    allow_self_morning_check: Mapped[bool] = mapped_column(
        default=False, info=label(_l("One-person kitchen: own morning check allowed"))
    )

    # The meals the canteen serves on a school day (boarding schools serve all three), and
    # when each ends: a dish still without a food sample then is flagged.
    serves_breakfast: Mapped[bool] = mapped_column(default=False, info=label(_l("Serves breakfast")))
    serves_lunch: Mapped[bool] = mapped_column(default=True, info=label(_l("Serves lunch")))
    serves_dinner: Mapped[bool] = mapped_column(default=False, info=label(_l("Serves dinner")))
    breakfast_ends: Mapped[time] = mapped_column(default=time(8, 30), info=label(_l("Breakfast ends")))
    lunch_ends: Mapped[time] = mapped_column(default=time(13, 0), info=label(_l("Lunch ends")))
    dinner_ends: Mapped[time] = mapped_column(default=time(19, 0), info=label(_l("Dinner ends")))
    sample_min_grams: Mapped[int] = mapped_column(default=125, info=label(_l("Food sample, least weight (g)")))
    sample_keep_hours: Mapped[int] = mapped_column(
        default=48, info=label(_l("Food sample, least keeping time (hours)"))
    )
    # Tableware disinfection minima per method: temperature (℃) or chlorine (mg/L), and time.
    steam_min_celsius: Mapped[int] = mapped_column(
        default=100, info=label(_l("Steam or boiling, least temperature (℃)"))
    )
    steam_min_seconds: Mapped[int] = mapped_column(
        default=600, info=label(_l("Steam or boiling, least time (seconds)"))
    )
    infrared_min_celsius: Mapped[int] = mapped_column(
        default=120, info=label(_l("Infrared cabinet, least temperature (℃)"))
    )
    infrared_min_seconds: Mapped[int] = mapped_column(
        default=600, info=label(_l("Infrared cabinet, least time (seconds)"))
    )
    dishwasher_min_celsius: Mapped[int] = mapped_column(
        default=85, info=label(_l("Dishwasher rinse, least temperature (℃)"))
    )
    dishwasher_min_seconds: Mapped[int] = mapped_column(
        default=40, info=label(_l("Dishwasher rinse, least time (seconds)"))
    )
    chlorine_min_mg_l: Mapped[int] = mapped_column(
        default=250, info=label(_l("Chlorine soak, least concentration (mg/L)"))
    )
    chlorine_min_seconds: Mapped[int] = mapped_column(
        default=300, info=label(_l("Chlorine soak, least time (seconds)"))
    )
    # A morning temperature from this value is a fever: the worker is not fit that day.
    fever_from_celsius: Mapped[float] = mapped_column(
        sa.Numeric(3, 1, asdecimal=False), default=37.3, info=label(_l("Fever from (℃)"))
    )
    # Parent accompanied meals (家长陪餐) expected per semester.
    parent_meals_per_term: Mapped[int] = mapped_column(
        default=2, info=label(_l("Parent accompanied meals per semester"))
    )
    # People who accept a delivery of bulk ingredients together.
    bulk_acceptors: Mapped[int] = mapped_column(default=2, info=label(_l("People accepting a bulk delivery")))
    # Purchase records are kept this long past the shelf life, or these years without one.
    delivery_keep_months: Mapped[int] = mapped_column(
        default=6, info=label(_l("Purchase records kept past shelf life (months)"))
    )
    delivery_keep_years: Mapped[int] = mapped_column(
        default=2, info=label(_l("Purchase records without shelf life kept (years)"))
    )
    # The storeroom board warns of a batch this many days before its last day of use.
    expiry_warning_days: Mapped[int] = mapped_column(
        default=3, server_default="3", info=label(_l("Expiry warning (days)"))
    )
    temperature_readings_per_day: Mapped[int] = mapped_column(
        default=2, server_default="2", info=label(_l("Fridge and freezer readings per day"))
    )
    # The nutrition plan: the daily report is due by this time; a month's difference between
    # entitlement and spending beyond this many yuan is explained before the principal signs.
    nutrition_report_cutoff: Mapped[time] = mapped_column(
        default=time(16, 0), server_default="16:00:00", info=label(_l("Nutrition-plan daily report due by"))
    )
    # A room scoring below this (of 100) in a week is coached (个别辅导).
    dorm_coaching_below: Mapped[int] = mapped_column(
        default=80, server_default="80", info=label(_l("Dormitory rooms coached below (points)"))
    )
    # Food-safety and satisfaction surveys a semester: one of students and teachers, one of
    # parents (the national default).
    surveys_per_semester: Mapped[int] = mapped_column(
        default=2, server_default="2", info=label(_l("Surveys each semester"))
    )
    # 光盘行动: leftovers at most this many kilograms per 100 diners (30 g a diner).
    leftover_target_kg_per_100: Mapped[Decimal] = mapped_column(
        sa.Numeric(5, 2),
        default=Decimal("3.00"),
        server_default="3.00",
        info=label(_l("Leftovers target (kg per 100 diners)")),
    )

    school: Mapped[School] = relationship(back_populates="settings", info=label(_l("School")))

    HELP = {
        "certificate_warning_days": _l("A certificate is shown as expiring this many days before it expires."),
        "rectification_cutoff": _l(
            "Rectification is never left overnight (整改不过夜): a problem is due by the end of the day it was "
            "found on; from this time an open one is escalated to the director and the principal."
        ),
        "ledger_lock_days": _l(
            "A day's ledger records lock at the cut-off time this many days later; a correction after that is "
            "an amendment with its reason."
        ),
        "ledger_keep_years": _l(
            "Ledger records are kept at least this many years (no national figure was found; 2 like purchase "
            "records without a shelf life)."
        ),
        "allow_self_morning_check": _l("Only in a one-person kitchen: its worker records their own morning check."),
        "sample_min_grams": _l(
            "Each dish's food sample weighs at least this much (125 g in 《学校食品安全与营养健康管理规定》 "
            "and 《餐饮服务食品安全操作规范》)."
        ),
        "sample_keep_hours": _l("Food samples are kept at least this long (48 hours in the same rules)."),
        "steam_min_celsius": _l("Steam or boiling: at least 100 ℃ for 10 minutes (《餐饮服务食品安全操作规范》)."),
        "infrared_min_celsius": _l("Infrared cabinet: at least 120 ℃ for 10 minutes (《餐饮服务食品安全操作规范》)."),
        "dishwasher_min_celsius": _l("Dishwasher rinse: at least 85 ℃ for 40 seconds (《餐饮服务食品安全操作规范》)."),
        "chlorine_min_mg_l": _l(
            "Chlorine (84) soak: at least 250 mg/L free chlorine for 5 minutes, then rinsed "
            "(《餐饮服务食品安全操作规范》)."
        ),
        "fever_from_celsius": _l("A morning temperature from this value counts as fever: the worker stays off duty."),
        "parent_meals_per_term": _l(
            "Parent accompanied meals expected each semester (provincial rules ask ≥2 in urban and ≥1 in rural "
            "schools; 《学校食品安全与营养健康管理规定》 asks for accompanied meals)."
        ),
        "bulk_acceptors": _l(
            "A delivery of bulk ingredients is accepted by at least this many people (2 in "
            "《学校食品安全与营养健康管理规定》)."
        ),
        "delivery_keep_months": _l(
            "Purchase acceptance records are kept this many months past the shelf life (6 months in "
            "《中华人民共和国食品安全法》 and 《餐饮服务食品安全操作规范》)."
        ),
        "delivery_keep_years": _l(
            "Purchase records of items without a shelf life are kept this many years (2 years in the same rules)."
        ),
        "expiry_warning_days": _l("The storeroom warns of a batch this many days before its last day of use."),
        "temperature_readings_per_day": _l(
            "Each fridge and freezer is read this many times a day (twice: morning and afternoon, unless set)."
        ),
        "nutrition_report_cutoff": _l("The day's nutrition-plan report is due by this time; a later one is flagged."),
        "surveys_per_semester": _l(
            "Surveys answered each semester: the rules ask for one of students and teachers and one of parents."
        ),
        "leftover_target_kg_per_100": _l(
            "The clean-plate campaign's target: leftovers of a meal at most this many kilograms per 100 diners."
        ),
        "dorm_coaching_below": _l(
            "A dormitory room whose week averages fewer points than this (of 100) is listed for coaching."
        ),
    }

    # The least (or, for fever, the most) value a school may set, and the rule that sets it: a
    # school may be stricter than the national figure, never looser.
    FLOORS = {
        "sample_min_grams": (125, "《学校食品安全与营养健康管理规定》《餐饮服务食品安全操作规范》"),
        "sample_keep_hours": (48, "《学校食品安全与营养健康管理规定》《餐饮服务食品安全操作规范》"),
        "steam_min_celsius": (100, "《餐饮服务食品安全操作规范》"),
        "steam_min_seconds": (600, "《餐饮服务食品安全操作规范》"),
        "infrared_min_celsius": (120, "《餐饮服务食品安全操作规范》"),
        "infrared_min_seconds": (600, "《餐饮服务食品安全操作规范》"),
        "dishwasher_min_celsius": (85, "《餐饮服务食品安全操作规范》"),
        "dishwasher_min_seconds": (40, "《餐饮服务食品安全操作规范》"),
        "chlorine_min_mg_l": (250, "《餐饮服务食品安全操作规范》"),
        "chlorine_min_seconds": (300, "《餐饮服务食品安全操作规范》"),
        "bulk_acceptors": (2, "《学校食品安全与营养健康管理规定》"),
        "delivery_keep_months": (6, "《中华人民共和国食品安全法》"),
        "delivery_keep_years": (2, "《中华人民共和国食品安全法》"),
        "surveys_per_semester": (2, "《中小学校园食品安全和膳食经费管理工作指引》"),
        "ledger_keep_years": (2, "《中华人民共和国食品安全法》"),
    }
    # Settings where stricter is lower.
    CEILINGS = {"fever_from_celsius": (Decimal("37.3"), "《学校食品安全与营养健康管理规定》")}

    def meals(self):
        """The meals served on a school day, in order."""
        served = {Meal.BREAKFAST: self.serves_breakfast, Meal.LUNCH: self.serves_lunch, Meal.DINNER: self.serves_dinner}
        return [meal for meal, yes in served.items() if yes]

    def meal_ends(self, meal):
        return getattr(self, f"{meal.value}_ends")

    def meal_at(self, clock):
        """The meal being served at ``clock`` (a time of day): the first not yet over, after the
        day's last its last (a school serves at least one: ck_school_settings_serves_a_meal)."""
        meals = self.meals()
        return next((meal for meal in meals if clock <= self.meal_ends(meal)), meals[-1])

    def disinfection_minimum(self, method):
        """(the least temperature in ℃ or chlorine in mg/L, the least time in seconds)"""
        measure = "chlorine_min_mg_l" if method.measures_concentration else f"{method.value}_min_celsius"
        return getattr(self, measure), getattr(self, f"{method.value}_min_seconds")


def school_of(record):
    """The record's school, also for a new record that only has school_id set."""
    return record.school or db.session.get(School, record.school_id)
