"""The canteen's ledgers in the admin: the school admin and the director list, search,
export and correct them. Day-to-day entry is on the quick-entry pages (blueprints/canteen)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectMultipleField
from wtforms.validators import InputRequired, Optional

from ..fields import SchoolDateTimeField
from ..login import current_actor as actor
from ..models.canteen import SYMPTOMS
from ..permissions import Permission
from ..services import canteen, records
from .base import PortalModelView

LABELS = {
    "day": _l("Date"),
    "meal": _l("Meal"),
    "name": _l("Dish"),
    "dish": _l("Dish"),
    "dish.name": _l("Dish"),
    "dish.day": _l("Date"),
    "grams": _l("Weight (g)"),
    "container_label": _l("Container label"),
    "retained_at": _l("Kept at"),
    "retained_by": _l("Kept by"),
    "reviewed_by": _l("Reviewed by"),
    "discarded_at": _l("Discarded at"),
    "discarded_by": _l("Discarded by"),
    "method": _l("Method"),
    "temperature_c": _l("Temperature (℃)"),
    "concentration_mg_l": _l("Concentration (mg/L)"),
    "duration_seconds": _l("Time (seconds)"),
    "items": _l("Items"),
    "done_by": _l("Done by"),
    "recorded_at": _l("Recorded at"),
    "worker": _l("Worker"),
    "worker.display_name": _l("Worker"),
    "symptoms": _l("Symptoms"),
    "symptom_list": _l("Symptoms"),
    "fit": _l("Fit for work"),
    "on_duty": _l("On duty"),
    "action_taken": _l("Action taken"),
    "checked_by": _l("Checked by"),
    "checked_at": _l("Checked at"),
}


class LedgerAdmin(PortalModelView):
    read_permission = Permission.LEDGER_READ
    write_permission = Permission.LEDGER_MANAGE
    column_labels = LABELS
    column_default_sort = ("id", True)
    form_overrides = {"day": DateField}
    form_args = {"day": {"validators": [InputRequired()]}}

    def delete(self, model):
        records.delete_record(actor(), model)


class MenuDishAdmin(LedgerAdmin):
    column_list = ("day", "meal", "name")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_searchable_list = ("name",)
    column_filters = ("day", "meal")
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        canteen.save_dish(actor(), model, before)

    def delete(self, model):
        canteen.delete_dish(actor(), model)


class FoodSampleAdmin(LedgerAdmin):
    column_list = ("dish.day", "dish", "grams", "container_label", "retained_at", "retained_by", "discarded_at")
    column_details_list = (
        "dish",
        "grams",
        "container_label",
        "retained_at",
        "retained_by",
        "reviewed_by",
        "discarded_at",
        "discarded_by",
    )
    column_export_list = column_details_list
    form_columns = column_details_list
    column_searchable_list = ("container_label", "dish.name")
    column_filters = ("dish.day",)
    form_overrides = {"retained_at": SchoolDateTimeField, "discarded_at": SchoolDateTimeField}
    form_args = {
        "retained_at": {"validators": [InputRequired()]},
        "discarded_at": {"validators": [Optional()]},
    }

    def save(self, form, model, before):
        canteen.save_sample(actor(), model, before)


class TablewareDisinfectionAdmin(LedgerAdmin):
    column_list = ("day", "meal", "method", "temperature_c", "concentration_mg_l", "duration_seconds", "done_by")
    column_details_list = (*column_list, "items", "recorded_at")
    column_export_list = column_details_list
    form_columns = (
        "day",
        "meal",
        "method",
        "temperature_c",
        "concentration_mg_l",
        "duration_seconds",
        "items",
        "done_by",
    )
    column_filters = ("day", "meal", "method")
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        canteen.save_disinfection(actor(), model, before)


def _symptom_names(view, context, model, name):
    return "、".join(str(SYMPTOMS[key]) for key in model.symptom_keys)


class MorningCheckAdmin(LedgerAdmin):
    column_list = ("day", "worker", "temperature_c", "symptoms", "fit", "on_duty", "action_taken")
    column_details_list = (*column_list, "checked_by", "checked_at")
    column_export_list = column_details_list
    form_columns = ("day", "worker", "temperature_c", "symptom_list", "fit", "on_duty", "action_taken")
    form_extra_fields = {
        "symptom_list": SelectMultipleField(_l("Symptoms"), choices=lambda: list(SYMPTOMS.items())),
    }
    column_formatters = {"symptoms": _symptom_names}
    column_formatters_export = column_formatters
    column_formatters_detail = column_formatters
    column_searchable_list = ("worker.display_name",)
    column_filters = ("day", "fit", "on_duty")
    column_default_sort = ("day", True)

    def on_form_prefill(self, form, id):
        form.symptom_list.data = self.get_one(id).symptom_keys

    def apply_form(self, form, model):
        for name, field in form._fields.items():
            if name != "symptom_list":
                field.populate_obj(model, name)
        model.symptoms = " ".join(form.symptom_list.data or [])

    def save(self, form, model, before):
        canteen.save_morning_check(actor(), model, before)
