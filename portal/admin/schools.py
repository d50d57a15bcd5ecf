"""Schools (county admins) and each school's settings (school admins)."""

from flask_babel import lazy_gettext as _l
from wtforms import TimeField
from wtforms.validators import InputRequired, NumberRange

from ..login import current_actor as actor
from ..models.school import SchoolSettings
from ..permissions import Permission
from ..services import schools
from .base import PortalModelView


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
    column_labels = {
        "name": _l("School"),
        "county": _l("County"),
        "timezone": _l("Time zone"),
        "created_at": _l("Created"),
    }
    form_args = {"timezone": {"default": "Asia/Shanghai"}}

    def save(self, form, model, before):
        schools.save_school(actor(), model, before)


class SchoolSettingsAdmin(PortalModelView):
    read_permission = Permission.SCHOOL_SETTINGS
    write_permission = Permission.SCHOOL_SETTINGS
    allow_create = False
    allow_delete = False
    allow_export = False

    column_list = ("school", "certificate_warning_days", "rectification_cutoff", "rectification_grace_hours")
    column_details_list = column_list
    column_export_list = ()
    form_columns = ("certificate_warning_days", "rectification_cutoff", "rectification_grace_hours")
    column_labels = {
        "school": _l("School"),
        "certificate_warning_days": _l("Certificate warning (days)"),
        "rectification_cutoff": _l("Daily rectification cut-off"),
        "rectification_grace_hours": _l("Grace after the cut-off (hours)"),
    }
    form_overrides = {"rectification_cutoff": TimeField}
    column_descriptions = SchoolSettings.HELP
    form_args = {
        "certificate_warning_days": {"validators": [InputRequired(), NumberRange(min=1, max=365)]},
        "rectification_cutoff": {"validators": [InputRequired()]},
        "rectification_grace_hours": {"validators": [InputRequired(), NumberRange(min=1, max=24)]},
    }

    def save(self, form, model, before):
        schools.save_settings(actor(), model, before)
