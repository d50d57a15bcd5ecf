"""Suppliers' evaluation and exit: every supplier with its latest score, and each supplier's page
with the semester's deliveries' record, its evaluations, the form for the next and the exit."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...login import current_actor as actor
from ...models.purchasing import Supplier
from ...models.supplier_review import CRITERIA, PASSES_FROM
from ...outcome import attempt_on_form
from ...permissions import Permission, reads_all_schools, requires
from ...services import supplier_review
from ...tenancy import chosen_school, get_or_404
from ...timeutil import school_today
from . import bp
from .supplier_forms import EvaluationForm, ExitForm


@bp.route("/canteen/suppliers")
@requires(Permission.LEDGER_READ)
def list_suppliers():
    school = chosen_school()
    if school is None:
        return redirect(url_for("canteen.show_board"))
    return render_template(
        "canteen/suppliers.html",
        rows=supplier_review.suppliers_with_last_evaluation(school.id),
        today=school_today(school),
        passes_from=PASSES_FROM,
    )


def _page(supplier, status=200, evaluation_form=None, exit_form=None):
    first, last = supplier_review.semester_of(supplier.school)
    return render_template(
        "canteen/supplier.html",
        supplier=supplier,
        record=supplier_review.delivery_record(supplier, first, last),
        first=first,
        last=last,
        evaluations=supplier_review.evaluations_of(supplier),
        criteria=CRITERIA,
        passes_from=PASSES_FROM,
        evaluation_form=evaluation_form or EvaluationForm(),
        exit_form=exit_form or ExitForm(exited_on=school_today(supplier.school)),
        county=reads_all_schools(current_user),
        today=school_today(supplier.school),
    ), status


@bp.route("/canteen/suppliers/<supplier_id>")
@requires(Permission.LEDGER_READ)
def show_supplier(supplier_id):
    return _page(get_or_404(Supplier, supplier_id))[0]


@bp.route("/canteen/suppliers/<supplier_id>/evaluations", methods=["POST"])
@requires(Permission.LEDGER_MANAGE)
def evaluate_supplier(supplier_id):
    supplier = get_or_404(Supplier, supplier_id)
    form = EvaluationForm()
    if form.validate_on_submit():
        scores = {key: form[key].data for key, _name, _most in CRITERIA}
        done = []
        if attempt_on_form(
            form, lambda: done.append(supplier_review.evaluate(actor(), supplier, scores, form.note.data))
        ):
            flash(_("%(supplier)s scored %(total)d.", supplier=supplier.name, total=done[0].total), "success")
            return redirect(url_for("canteen.show_supplier", supplier_id=supplier.id))
    return _page(supplier, status=422, evaluation_form=form)


@bp.route("/canteen/suppliers/<supplier_id>/exit", methods=["POST"])
@requires(Permission.LEDGER_MANAGE)
def exit_supplier(supplier_id):
    supplier = get_or_404(Supplier, supplier_id)
    form = ExitForm()
    if form.validate_on_submit() and attempt_on_form(
        form, lambda: supplier_review.exit_supplier(actor(), supplier, form.exited_on.data, form.exit_reason.data)
    ):
        flash(
            _("%(supplier)s delivers no more from %(day)s.", supplier=supplier.name, day=supplier.exited_on), "success"
        )
        return redirect(url_for("canteen.show_supplier", supplier_id=supplier.id))
    return _page(supplier, status=422, exit_form=form)
