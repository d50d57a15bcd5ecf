"""Withdrawing a ledger record entered by mistake, before its day is locked."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...evidence.tables import TABLES
from ...login import current_actor as actor
from ...models.registry import DAY, KINDS
from ...outcome import attempt
from ...permissions import Permission, requirement_for, requires
from ...services import ledgers
from ...tenancy import get_or_404
from . import bp
from .forms import WithdrawForm


@bp.route("/ledgers/<key>/<record_id>/withdraw", methods=["GET", "POST"])
@requires(Permission.LEDGER_MANAGE)
def withdraw_record(key, record_id):
    ledger = KINDS.get(key)
    # A ledger the user may not read (the nutrition roster's) is not there for them.
    if ledger is None or ledger.locks != DAY or not current_user.can(requirement_for(current_app, f"{key}.index_view")):
        abort(404)
    record = get_or_404(ledger.model, record_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        problem = attempt(lambda: ledgers.withdraw(actor(), record, form.reason.data))
        if problem is None:
            flash(_("The record is withdrawn; it stays on record with the reason."), "success")
            return redirect(url_for(f"{key}.index_view"))
        flash(problem, "error")
    status = 422 if form.is_submitted() else 200
    school = record.school
    facts = [(column.heading, column.value(record, school)) for column in TABLES[key].columns]
    return render_template("ledgers/withdraw.html", ledger=ledger, record=record, facts=facts, form=form), status
