"""The base of every ledger's admin view: the school admin and the director list, search,
export and correct the records. A ledger record shows whether it is open, locked or
withdrawn; a locked one is corrected by an amendment."""

from flask import flash, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..errors import DomainError
from ..extensions import db
from ..fields import responsible_choices
from ..i18n import viewer_zone
from ..login import current_actor as actor
from ..models.ledger import LedgerRecord
from ..models.user import User
from ..permissions import Permission
from ..services import audit, ledgers, records
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


class ProblemToTaskAdmin(LedgerAdmin):
    """A ledger where a problem found becomes a rectification task for someone chosen here."""

    form_extra_fields = {
        "responsible": SelectField(_l("Who fixes"), choices=lambda: responsible_choices(current_user.school_id))
    }

    def responsible(self, form):
        return get_or_404(User, form.responsible.data) if form.responsible.data else None


class SignedRecordAdmin(LedgerAdmin):
    """Read-only here: drafted, completed and signed on their own pages; signed is frozen."""

    write_permission = None
    column_default_sort = ("id", True)
