"""Schools (county admins) and each school's settings (school admins)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TimeField
from wtforms.validators import InputRequired, NumberRange

from ..login import current_actor as actor
from ..models import School
from ..models.school import SchoolSettings
from ..permissions import Permission
from ..services import schools
from ..timeutil import DEFAULT_TIMEZONE, SCHOOL_TIMEZONES
from .base import PortalModelView
from .registry import register_view

TIMEZONE_NAMES = {"Asia/Shanghai": _l("Beijing time"), "Asia/Urumqi": _l("Xinjiang time (Urumqi)")}
TIMEZONE_CHOICES = [(zone, TIMEZONE_NAMES[zone]) for zone in SCHOOL_TIMEZONES]


class SchoolAdmin(PortalModelView):
    read_permission = Permission.SCHOOL_MANAGE
    write_permission = Permission.SCHOOL_MANAGE
    allow_delete = False

    column_list = ("name", "county", "timezone", "created_at")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = ("name", "county", "timezone")
    column_searchable_list = ("name", "county")
    column_sortable_list = ("name", "county", "created_at")
    form_overrides = {"timezone": SelectField}
    form_args = {"timezone": {"default": DEFAULT_TIMEZONE, "choices": lambda: TIMEZONE_CHOICES}}
    column_formatters = {"timezone": lambda view, context, model, name: dict(TIMEZONE_CHOICES).get(model.timezone)}
    column_formatters_detail = column_formatters

    def save(self, form, model, before):
        schools.save_school(actor(), model, before)


class SchoolSettingsAdmin(PortalModelView):
    read_permission = Permission.SCHOOL_SETTINGS
    write_permission = Permission.SCHOOL_SETTINGS
    allow_create = False
    allow_delete = False
    allow_export = False

    column_list = ("school", "certificate_warning_days", "rectification_cutoff", "ledger_lock_days")
    form_columns = (
        "certificate_warning_days",
        "rectification_cutoff",
        "ledger_lock_days",
        "ledger_keep_years",
        "allow_self_morning_check",
        "serves_breakfast",
        "breakfast_ends",
        "serves_lunch",
        "lunch_ends",
        "serves_dinner",
        "dinner_ends",
        "sample_min_grams",
        "sample_keep_hours",
        "steam_min_celsius",
        "steam_min_seconds",
        "infrared_min_celsius",
        "infrared_min_seconds",
        "dishwasher_min_celsius",
        "dishwasher_min_seconds",
        "chlorine_min_mg_l",
        "chlorine_min_seconds",
        "fever_from_celsius",
        "parent_meals_per_term",
        "bulk_acceptors",
        "delivery_keep_months",
        "delivery_keep_years",
        "expiry_warning_days",
        "temperature_readings_per_day",
        "nutrition_report_cutoff",
        "dorm_coaching_below",
        "leftover_target_kg_per_100",
        "surveys_per_semester",
    )
    column_details_list = ("school", *form_columns)
    column_export_list = ()
    form_overrides = dict.fromkeys(
        ("rectification_cutoff", "breakfast_ends", "lunch_ends", "dinner_ends", "nutrition_report_cutoff"), TimeField
    )
    column_descriptions = SchoolSettings.HELP
    form_args = {
        "certificate_warning_days": {"validators": [InputRequired(), NumberRange(min=1, max=365)]},
        "rectification_cutoff": {"validators": [InputRequired()]},
        "ledger_lock_days": {"validators": [InputRequired(), NumberRange(min=0, max=7)]},
        "ledger_keep_years": {"validators": [InputRequired(), NumberRange(min=1, max=30)]},
        "breakfast_ends": {"validators": [InputRequired()]},
        "lunch_ends": {"validators": [InputRequired()]},
        "dinner_ends": {"validators": [InputRequired()]},
        "sample_min_grams": {"validators": [InputRequired(), NumberRange(min=1, max=1000)]},
        "sample_keep_hours": {"validators": [InputRequired(), NumberRange(min=1, max=720)]},
        "fever_from_celsius": {"validators": [InputRequired(), NumberRange(min=36.5, max=42)]},
        "parent_meals_per_term": {"validators": [InputRequired(), NumberRange(min=0, max=100)]},
        "bulk_acceptors": {"validators": [InputRequired(), NumberRange(min=1, max=5)]},
        "delivery_keep_months": {"validators": [InputRequired(), NumberRange(min=1, max=120)]},
        "delivery_keep_years": {"validators": [InputRequired(), NumberRange(min=1, max=30)]},
        "expiry_warning_days": {"validators": [InputRequired(), NumberRange(min=0, max=60)]},
        "temperature_readings_per_day": {"validators": [InputRequired(), NumberRange(min=1, max=6)]},
        "nutrition_report_cutoff": {"validators": [InputRequired()]},
        "dorm_coaching_below": {"validators": [InputRequired(), NumberRange(min=1, max=100)]},
        "leftover_target_kg_per_100": {"validators": [InputRequired(), NumberRange(min=0.01, max=100)]},
        "surveys_per_semester": {"validators": [InputRequired(), NumberRange(min=2, max=20)]},
    } | {
        name: {"validators": [InputRequired(), NumberRange(min=1, max=10000)]}
        for name in form_columns
        if name.endswith(("_celsius", "_seconds", "_mg_l")) and name != "fever_from_celsius"
    }

    def save(self, form, model, before):
        schools.save_settings(actor(), model, before)


register_view(SchoolAdmin, School, "schools", _l("Schools"))
register_view(SchoolSettingsAdmin, SchoolSettings, "school_settings", _l("School settings"))
