"""The school calendar, cadence rules and planned assignments."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, NumberRange

from ..login import current_actor as actor
from ..models import Assignment, CadenceRule, CalendarDay, Term
from ..permissions import Permission
from ..services import planning
from .base import PortalModelView
from .registry import register_view


class TermAdmin(PortalModelView):
    read_permission = Permission.INSPECTION_READ
    write_permission = Permission.CALENDAR_MANAGE

    column_list = ("name", "starts_on", "ends_on")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_default_sort = ("starts_on", True)
    form_args = {"starts_on": {"validators": [InputRequired()]}, "ends_on": {"validators": [InputRequired()]}}

    def save(self, form, model, before):
        planning.save_term(actor(), model, before)

    def delete(self, model):
        planning.delete_calendar_record(actor(), model)


class CalendarDayAdmin(PortalModelView):
    read_permission = Permission.INSPECTION_READ
    write_permission = Permission.CALENDAR_MANAGE

    column_list = ("day", "kind", "note")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_filters = ("kind", "day")
    column_default_sort = ("day", True)
    column_descriptions = {
        "kind": _l("Monday to Friday inside a term is a school day with the canteen open; list only the exceptions."),
    }
    form_args = {"day": {"validators": [InputRequired()]}}
    list_template = "admin/calendar_days_list.html"  # links the national holidays' proposal

    def save(self, form, model, before):
        planning.save_day(actor(), model, before)

    def delete(self, model):
        planning.delete_calendar_record(actor(), model)


class CadenceRuleAdmin(PortalModelView):
    read_permission = Permission.INSPECTION_READ
    write_permission = Permission.CALENDAR_MANAGE
    allow_delete = False  # assignments point at it: make it inactive instead

    column_list = ("name", "role", "user", "period", "required_count", "template", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    form_args = {"required_count": {"validators": [InputRequired(), NumberRange(min=1, max=7)]}}

    def save(self, form, model, before):
        planning.save_rule(actor(), model, before)


class AssignmentAdmin(PortalModelView):
    """Planned inspections, read-only: they change by planning, doing and excusing."""

    read_permission = Permission.INSPECTION_READ
    allow_create = allow_edit = allow_delete = False

    column_list = ("rule", "window_start", "window_end", "slot", "status", "inspection", "excused_reason")
    column_details_list = (*column_list, "excused_by", "excused_at", "planned_at")
    column_export_list = column_list
    form_columns = ()
    column_filters = ("status", "window_start", "rule.name")
    column_default_sort = ("window_start", True)


register_view(AssignmentAdmin, Assignment, "assignments", _l("Planned inspections"))
register_view(CadenceRuleAdmin, CadenceRule, "cadence_rules", _l("Inspection cadence"))
register_view(TermAdmin, Term, "terms", _l("Terms"))
register_view(CalendarDayAdmin, CalendarDay, "calendar_days", _l("Holidays and make-up days"))
