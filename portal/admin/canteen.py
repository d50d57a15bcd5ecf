"""The canteen's daily ledgers in the admin: listed, searched, exported and corrected here;
day-to-day entry is on the quick-entry pages (blueprints/canteen)."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, Optional

from ..fields import CheckboxListField, SchoolDateTimeField
from ..login import current_actor as actor
from ..models.canteen import SYMPTOMS
from ..services import accompanied_meals, canteen, cooking, morning_checks
from .ledger import LedgerAdmin, ProblemToTaskAdmin
from .registry import register_ledger_view


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
    column_list = (
        "dish.day",
        "dish",
        "grams",
        "container_label",
        "retained_at",
        "retained_by",
        "reviewed_by",
        "discarded_at",
    )
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


class CoreTemperatureAdmin(LedgerAdmin):
    """Measured on the meal page; listed, exported and corrected here."""

    column_list = ("dish.day", "dish", "celsius", "first_celsius", "measured_at", "measured_by")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = ("dish", "celsius", "first_celsius", "measured_at", "measured_by")
    form_overrides = {"measured_at": SchoolDateTimeField}
    column_filters = ("dish.day",)
    column_default_sort = ("id", True)

    def save(self, form, model, before):
        cooking.save_core_temperature(actor(), model, before)


class PesticideTestAdmin(LedgerAdmin):
    """Tested on the deliveries page; listed and exported here, corrected by withdrawal."""

    write_permission = None
    column_list = ("day", "delivery_item", "method", "inhibition_percent", "positive", "action", "tested_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("day", "positive")
    column_default_sort = ("day", True)


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
        "symptom_list": CheckboxListField(_l("Symptoms"), choices=lambda: list(SYMPTOMS.items())),
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
        morning_checks.save_morning_check(actor(), model, before)


class AccompaniedMealAdmin(ProblemToTaskAdmin):
    column_list = ("day", "meal", "leader", "taste", "temperature", "hygiene", "quantity", "problems")
    column_details_list = (*column_list, "dishes_tasted", "recorded_at")
    column_export_list = column_details_list
    form_columns = (
        "day",
        "meal",
        "leader",
        "dishes_tasted",
        "taste",
        "temperature",
        "hygiene",
        "quantity",
        "problems",
        "responsible",
    )
    column_filters = ("day", "meal")
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        accompanied_meals.save_accompanied_meal(actor(), model, before, responsible=self.responsible(form))


class ParentMealAdmin(LedgerAdmin):
    column_list = ("day", "meal", "parent_name", "class_name", "feedback")
    column_details_list = (*column_list, "recorded_by", "recorded_at")
    column_export_list = column_details_list
    form_columns = ("day", "meal", "parent_name", "class_name", "feedback")
    column_searchable_list = ("parent_name", "class_name")
    column_filters = ("day",)
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        accompanied_meals.save_parent_meal(actor(), model, before)


class LeftoverWeighingAdmin(LedgerAdmin):
    """Weighed on the clean-plate page; listed and exported here. Weights and diners are
    never edited (a wrong weighing is withdrawn and weighed again)."""

    write_permission = None
    column_list = ("day", "meal", "school_class", "kg", "diners", "most_left_dish", "weighed_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("day", "meal")
    column_default_sort = ("day", True)


register_ledger_view(MenuDishAdmin, "menu_dishes")
register_ledger_view(FoodSampleAdmin, "food_samples")
register_ledger_view(CoreTemperatureAdmin, "core_temperatures")
register_ledger_view(PesticideTestAdmin, "pesticide_tests")
register_ledger_view(TablewareDisinfectionAdmin, "tableware_disinfections")
register_ledger_view(MorningCheckAdmin, "morning_checks")
register_ledger_view(AccompaniedMealAdmin, "accompanied_meals")
register_ledger_view(ParentMealAdmin, "parent_meals")
register_ledger_view(LeftoverWeighingAdmin, "leftover_weighings")
