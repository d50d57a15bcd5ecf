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
    "worker.display_name": _l("Worker"),
    "symptom_list": _l("Symptoms"),
    "responsible": _l("Who fixes"),
    "room.name": _l("Room"),
    "supplier.name": _l("Supplier"),
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
    open_until = _("Open until %(when)s", when=_moment_text(model.locks_at))
    if not current_user.can(Permission.LEDGER_MANAGE):  # no link to what answers 403
        return open_until
    withdraw = url_for("ledgers.withdraw_record", key=view.endpoint, record_id=model.id)
    return Markup('{} · <a href="{}">{}</a>').format(open_until, withdraw, _("Withdraw"))


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
