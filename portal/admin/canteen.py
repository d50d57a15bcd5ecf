"""The canteen's ledgers in the admin: the school admin and the director list, search,
export and correct them. Day-to-day entry is on the quick-entry pages (blueprints/canteen)."""

from flask import flash, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..extensions import db
from ..fields import CheckboxListField, SchoolDateTimeField, responsible_choices
from ..i18n import viewer_zone
from ..login import current_actor as actor
from ..models.canteen import SYMPTOMS
from ..models.ledger import LedgerRecord
from ..models.purchasing import Delivery
from ..models.user import User
from ..permissions import Permission
from ..services import accompanied_meals, audit, canteen, committee, hygiene, ingredients, ledgers, purchasing, records
from ..services.errors import DomainError
from ..tenancy import get_or_404
from .base import PortalModelView

LABELS = {
    "kg": _l("Leftovers (kg)"),
    "diners": _l("Diners"),
    "school_class": _l("Whose leftovers"),
    "class_id": _l("Whose leftovers"),
    "most_left_dish": _l("The dish left most"),
    "most_left_dish_id": _l("The dish left most"),
    "weighed_by": _l("Weighed by"),
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
    "items": _l("Items disinfected"),
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
    "leader": _l("Leader"),
    "dishes_tasted": _l("Dishes tasted"),
    "taste": _l("Taste"),
    "temperature": _l("Temperature"),
    "hygiene": _l("Hygiene"),
    "quantity": _l("Portion size"),
    "problems": _l("Problems found"),
    "responsible": _l("Who fixes"),
    "parent_name": _l("Parent"),
    "class_name": _l("Class"),
    "feedback": _l("Feedback"),
    "recorded_by": _l("Recorded by"),
    "room": _l("Room"),
    "room.name": _l("Room"),
    "kind": _l("Kind"),
    "disinfection_every_days": _l("Disinfected every (days)"),
    "prevention_every_days": _l("Four preventions checked every (days)"),
    "active": _l("In use"),
    "created_on": _l("Schedule starts"),
    "rodents_ok": _l("Rodents"),
    "flies_ok": _l("Flies and mosquitoes"),
    "insects_ok": _l("Insects"),
    "dust_ok": _l("Dust"),
    "licence_number": _l("Licence number"),
    "licence_expires_on": _l("Licence expires"),
    "address": _l("Address"),
    "contact": _l("Contact"),
    "supplier": _l("Supplier"),
    "supplier.name": _l("Supplier"),
    "bulk": _l("Bulk ingredients"),
    "result": _l("Result"),
    "rejection_reason": _l("Reason for rejection"),
    "licence_expired": _l("Licence expired"),
    "acceptors": _l("Accepted by"),
    "week_start": _l("Week of"),
    "draft": _l("From the records"),
    "risks_found": _l("Risks found"),
    "measures": _l("Measures"),
    "signed_by": _l("Signed by"),
    "signed_at": _l("Signed at"),
    "held_on": _l("Held on"),
    "attendees": _l("Attendees"),
    "issues": _l("Issues"),
    "decisions": _l("Decisions"),
}


class LedgerAdmin(PortalModelView):
    """The canteen's lists and ledgers. A ledger record (models/ledger.py) shows whether it
    is open, locked or withdrawn and its amended values beside the original; editing a
    locked one records an amendment with its reason instead of changing it."""

    read_permission = Permission.LEDGER_READ
    write_permission = Permission.LEDGER_MANAGE
    column_labels = LABELS | {"record_state": _l("Record"), "amendment_reason": _l("Reason for the amendment")}
    column_default_sort = ("id", True)
    form_args = {"day": {"validators": [InputRequired()]}}

    def __init__(self, model, **kwargs):
        if issubclass(model, LedgerRecord):
            self.column_list = (*self.column_list, "record_state")
            self.column_details_list = (*self.column_details_list, "record_state")
            self.form_extra_fields = (self.form_extra_fields or {}) | {
                "amendment_reason": TextAreaField(
                    _l("Reason for the amendment"),
                    [Optional()],
                    description=_l("Only for a locked record: the correction is kept beside the original."),
                )
            }
            self.form_columns = (*self.form_columns, "amendment_reason")
            self.column_formatters = dict(self.column_formatters or {}) | {"record_state": _record_state}
            self.column_formatters_detail = dict(self.column_formatters_detail or {}) | {"record_state": _record_state}
        super().__init__(model, **kwargs)

    def create_form(self, obj=None):
        return _without_amendment(super().create_form(obj))

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if not (isinstance(obj, LedgerRecord) and obj.is_locked()):
            return _without_amendment(form)
        if request.method == "GET":
            flash(
                _(
                    "This record's day is over and it is locked: what you save is kept as an amendment beside "
                    "the original, with the reason you give."
                ),
                "warning",
            )
        return form

    def get_list(self, *args, **kwargs):
        count, data = super().get_list(*args, **kwargs)
        if issubclass(self.model, LedgerRecord):
            corrected = {record.id: None for record in data} | ledgers.as_corrected(self.endpoint, data)
            g.setdefault("corrected", {})[self.endpoint] = corrected
        return count, data

    def _get_list_value(self, context, model, name, column_formatters, column_type_formatters):
        value = super()._get_list_value(context, model, name, column_formatters, column_type_formatters)
        corrected = _corrected(self.endpoint, model) if isinstance(model, LedgerRecord) else None
        if corrected is None:
            return value
        new = super()._get_list_value(context, corrected, name, column_formatters, column_type_formatters)
        if new == value:
            return value
        if context is None:  # an export: plain text
            return str(ledgers.amended_text(new, value))
        return Markup('{} <span class="text-muted small">{}</span>').format(
            new, _("(originally %(original)s)", original=value if value not in (None, "") else "—")
        )

    def update_model(self, form, model):
        if not (isinstance(model, LedgerRecord) and model.is_locked()):
            return super().update_model(form, model)
        before = audit.snapshot(model)
        try:
            with db.session.no_autoflush:  # the record is never written: only read back
                self.apply_form(form, model)
                after = audit.snapshot(model)
            db.session.rollback()  # the record keeps what was written on its day
            record = self.get_one(model.id)
            ledgers.amend(actor(), record, before, after, form.amendment_reason.data)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            self._report_failure(exc, form)
            return False
        flash(_("The record is locked: the correction is kept as an amendment beside the original."), "success")
        return True

    def delete(self, model):
        records.delete_record(actor(), model)


def _record_state(view, context, model, name):
    if model.is_withdrawn:
        return _("Withdrawn: %(reason)s", reason=model.withdrawal_reason)
    if model.is_locked():
        return _("Locked")
    withdraw = url_for("ledgers.withdraw_record", key=view.endpoint, record_id=model.id)
    return Markup('{} · <a href="{}">{}</a>').format(
        _("Open until %(when)s", when=_moment_text(model.locks_at)), withdraw, _("Withdraw")
    )


def _moment_text(moment):
    return moment.astimezone(viewer_zone()).strftime("%Y-%m-%d %H:%M")


def _without_amendment(form):
    if "amendment_reason" in form:
        del form.amendment_reason
    return form


def _corrected(ledger_key, record):
    """The record read through its amendments, or None; loaded once per list page."""
    known = g.setdefault("corrected", {}).setdefault(ledger_key, {})
    if record.id not in known:
        known |= ledgers.as_corrected(ledger_key, [record]) or {record.id: None}
    return known[record.id]


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
        canteen.save_morning_check(actor(), model, before)


class ProblemToTaskAdmin(LedgerAdmin):
    """A ledger where a problem found becomes a rectification task for someone chosen here."""

    form_extra_fields = {
        "responsible": SelectField(_l("Who fixes"), choices=lambda: responsible_choices(current_user.school_id))
    }

    def responsible(self, form):
        return get_or_404(User, form.responsible.data) if form.responsible.data else None


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


class SurveyActionAdmin(LedgerAdmin):
    """Recorded on the survey's page; listed and exported here."""

    write_permission = None
    column_labels = LedgerAdmin.column_labels | {
        "survey": _l("Survey"),
        "survey_id": _l("Survey"),
        "action": _l("What the canteen did"),
        "dish": _l("The dish it concerns"),
    }
    column_list = ("day", "survey", "action", "dish", "recorded_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("day",)
    column_default_sort = ("day", True)


class CanteenRoomAdmin(LedgerAdmin):
    column_list = ("name", "kind", "disinfection_every_days", "prevention_every_days", "active")
    column_details_list = (*column_list, "created_on")
    column_export_list = column_details_list
    form_columns = column_list
    column_default_sort = ("name", False)

    def save(self, form, model, before):
        hygiene.save_room(actor(), model, before)


class RoomDisinfectionAdmin(LedgerAdmin):
    column_list = ("day", "room", "method", "done_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = column_list
    column_filters = ("day", "room.name")
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        hygiene.save_room_disinfection(actor(), model, before)


class PreventionCheckAdmin(ProblemToTaskAdmin):
    column_labels = LedgerAdmin.column_labels | {"checked_by": _l("Checker")}
    column_list = ("day", "room", "rodents_ok", "flies_ok", "insects_ok", "dust_ok", "problems")
    column_details_list = (*column_list, "checked_by", "recorded_at")
    column_export_list = column_details_list
    form_columns = (*column_list, "responsible")
    column_filters = ("day", "room.name")
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        hygiene.save_prevention_check(actor(), model, before, responsible=self.responsible(form))


class SupplierAdmin(LedgerAdmin):
    column_list = ("name", "licence_number", "licence_expires_on", "contact", "active")
    column_details_list = (*column_list, "address")
    column_export_list = column_details_list
    form_columns = ("name", "licence_number", "licence_expires_on", "address", "contact", "active")
    form_args = {"licence_expires_on": {"validators": [Optional()]}}
    column_searchable_list = ("name", "licence_number")
    column_default_sort = ("name", False)

    def save(self, form, model, before):
        purchasing.save_supplier(actor(), model, before)

    def delete(self, model):
        records.delete_record(actor(), model)


class IngredientRuleAdmin(LedgerAdmin):
    """The school's lists of bulk ingredients, foods that need a quarantine certificate and
    banned or high-risk foods, from the national defaults; the school adds its own."""

    column_list = ("kind", "name", "keywords", "bulk_from_kg", "reason", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_filters = ("kind", "active")
    column_searchable_list = ("name", "keywords")
    column_default_sort = ("kind", False)
    column_labels = LABELS | {
        "kind": _l("List"),
        "name": _l("Food or ingredient"),
        "keywords": _l("Words in a dish or item name"),
        "bulk_from_kg": _l("Bulk from (kg)"),
        "reason": _l("Why"),
        "active": _l("In use"),
    }
    column_descriptions = {
        "keywords": _l("Separated by 、 A dish or delivery item whose name holds one of them matches."),
        "bulk_from_kg": _l("Bulk ingredients only: from this many kg; in bags, barrels or boxes any quantity."),
    }

    def save(self, form, model, before):
        ingredients.save_rule(actor(), model, before)


def _item_list(view, context, model, name):
    return "；".join(
        f"{item.name} {item.specification} {item.quantity}{item.unit}".replace("  ", " ") for item in model.items
    )


class DeliveryAdmin(LedgerAdmin):
    """Deliveries are entered with their items and tickets on the quick-entry page; here
    they are listed, exported, corrected and, once old enough, deleted."""

    column_labels = LedgerAdmin.column_labels | {"items": _l("Goods")}
    allow_create = False
    column_list = ("day", "supplier", "bulk", "result", "licence_expired", "acceptors", "items")
    column_details_list = (*column_list, "rejection_reason", "recorded_by", "recorded_at")
    column_export_list = column_details_list
    form_columns = ("day", "supplier", "bulk", "result", "rejection_reason", "acceptors")
    column_formatters = {"items": _item_list}
    column_formatters_export = column_formatters
    column_formatters_detail = column_formatters
    list_loading = (selectinload(Delivery.items),)  # the acceptors are joined by Flask-Admin
    column_filters = ("day", "result", "licence_expired", "supplier.name")
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        purchasing.save_delivery(actor(), model, before)

    def delete(self, model):
        purchasing.delete_delivery(actor(), model)


class SignedRecordAdmin(LedgerAdmin):
    """Read-only here: drafted, completed and signed on their own pages; signed is frozen."""

    write_permission = None
    column_default_sort = ("id", True)


class RiskReportAdmin(SignedRecordAdmin):
    column_list = ("week_start", "risks_found", "measures", "signed_by", "signed_at")
    column_details_list = ("week_start", "draft", "risks_found", "measures", "signed_by", "signed_at")
    column_export_list = column_details_list
    form_columns = ()


class DispatchMeetingAdmin(SignedRecordAdmin):
    column_list = ("held_on", "attendees", "issues", "decisions", "signed_by", "signed_at")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = ()


class CommitteeMemberAdmin(LedgerAdmin):
    """The parents on the committee, year by year: their telephones are read by the school's
    office and the county only."""

    read_permission = Permission.COMMITTEE_READ
    write_permission = Permission.COMMITTEE_MANAGE
    allow_delete = False  # a member who leaves is made inactive: past activities name them
    column_labels = LedgerAdmin.column_labels | {
        "school_year": _l("School year (its September)"),
        "name": _l("Parent"),
        "class_name": _l("Child's class"),
        "contact": _l("Telephone"),
        "chair": _l("Chair"),
        "active": _l("Active"),
    }
    column_list = ("school_year", "name", "class_name", "contact", "chair", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_searchable_list = ("name",)
    column_default_sort = ("school_year", True)

    def save(self, form, model, before):
        committee.save_member(actor(), model, before)


class CommitteeActivityAdmin(LedgerAdmin):
    """Recorded on the committee's page; listed and exported here."""

    write_permission = None
    column_labels = LedgerAdmin.column_labels | {
        "kind": _l("What the committee did"),
        "present": _l("Members present"),
        "findings": _l("Findings"),
    }
    column_list = ("day", "kind", "present", "findings", "recorded_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("day", "kind")
    column_default_sort = ("day", True)
    column_formatters = {"present": lambda view, context, model, name: model.present_names}
    column_formatters_export = column_formatters
