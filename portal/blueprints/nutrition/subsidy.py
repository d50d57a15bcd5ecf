"""The month's subsidy reconciliation (explained by the clerk, signed by the principal), the
school year's balance, and the county's view of every school's month."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...login import current_actor as actor
from ...models.nutrition import SpendingCategory, SubsidyCharge
from ...models.school import School
from ...outcome import attempt
from ...permissions import Permission, reads_all_schools, requires
from ...services import enrolment, food_share, ledgers, subsidy, subsidy_county
from ...tenancy import chosen_school
from ...timeutil import parse_day, school_today, utcnow
from ..canteen.forms import SignForm
from . import bp
from .forms import ChargeForm, ExplainForm


def _month(text, school):
    month = parse_day(f"{text}-01")
    if month is None or month > school_today(school):
        abort(404)
    return month


def _page(school, month, form=None, status=200, charge_form=None):
    reconciliation = subsidy.figures(school, month)
    today = school_today(school)
    return render_template(
        "nutrition/reconciliation.html",
        school=school,
        month=month,
        reconciliation=reconciliation,
        share=food_share.share_of(school.id, month, subsidy.month_end(month)),
        over=subsidy.month_end(month) < school_today(school),
        form=form or ExplainForm(explanation=reconciliation.explanation),
        sign_form=SignForm(),
        unchecked=enrolment.unchecked_in(school.id, month, subsidy.month_end(month)),
        charges=subsidy.charges_between(school.id, month, subsidy.month_end(month)),
        charge_form=charge_form or ChargeForm(day=today if month == today.replace(day=1) else None),
        # A charge is a ledger record of its day: once the month's last day is locked, none can be added.
        takes_charges=ledgers.lock_moment(school, subsidy.month_end(month)) > utcnow(),
        this_month=today.strftime("%Y-%m"),
        county=reads_all_schools(current_user),
        previous_month=(month - timedelta(days=1)).replace(day=1).strftime("%Y-%m"),
    ), status


@bp.route("/nutrition/reconciliation")
@requires(Permission.LEDGER_READ)
def show_last_month():
    school = chosen_school()
    if school is None:
        return redirect(url_for("nutrition.show_county"))
    last_month = (school_today(school).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return redirect(url_for("nutrition.show_reconciliation", month=last_month, school=request.args.get("school")))


@bp.route("/nutrition/reconciliation/<month>")
@requires(Permission.LEDGER_READ)
def show_reconciliation(month):
    school = chosen_school()
    if school is None:
        return redirect(url_for("nutrition.show_county"))
    return _page(school, _month(month, school))[0]


@bp.route("/nutrition/reconciliation/<month>", methods=["POST"])
@requires(Permission.STUDENT_MANAGE)
def explain_reconciliation(month):
    school = current_user.school
    month = _month(month, school)
    form = ExplainForm()
    if not form.validate_on_submit():
        return _page(school, month, form, status=422)
    problem = attempt(lambda: subsidy.explain(actor(), month, form.explanation.data))
    if problem:
        flash(problem, "error")
        return _page(school, month, form, status=422)
    flash(_("The explanation is saved."), "success")
    return redirect(url_for("nutrition.show_reconciliation", month=month.strftime("%Y-%m")))


@bp.route("/nutrition/reconciliation/<month>/charges", methods=["POST"])
@requires(Permission.STUDENT_MANAGE)
def charge_to_subsidy(month):
    school = current_user.school
    month = _month(month, school)
    form = ChargeForm()
    if not form.validate_on_submit():
        return _page(school, month, status=422, charge_form=form)
    charge = SubsidyCharge(
        day=form.day.data,
        category=SpendingCategory(form.category.data),
        amount=form.amount.data,
        description=form.description.data,
        voucher=form.voucher.data or "",
    )
    problem = attempt(lambda: subsidy.save_charge(actor(), charge))
    if problem:
        flash(problem, "error")
        return _page(school, month, status=422, charge_form=form)
    flash(_("The spending is charged to the subsidy."), "success")
    return redirect(url_for("nutrition.show_reconciliation", month=charge.day.strftime("%Y-%m")))


@bp.route("/nutrition/reconciliation/<month>/sign", methods=["POST"])
@requires(Permission.SUBSIDY_SIGN)
def sign_reconciliation(month):
    school = current_user.school
    month = _month(month, school)
    form = SignForm()
    if not form.validate_on_submit():
        flash(_("Enter your password to sign."), "error")
        return _page(school, month, status=422)
    problem = attempt(lambda: subsidy.sign(actor(), month, form.password.data))
    if problem:
        flash(problem, "error")
        return _page(school, month, status=422)
    flash(_("The month is signed and frozen."), "success")
    return redirect(url_for("nutrition.show_reconciliation", month=month.strftime("%Y-%m")))


@bp.route("/nutrition/balance")
@requires(Permission.LEDGER_READ)
def show_balance():
    school = chosen_school()
    if school is None:
        return redirect(url_for("nutrition.show_county"))
    today = school_today(school)
    year = parse_day(f"{request.args.get('year')}-09-01") or subsidy.school_year_of(today)
    return render_template(
        "nutrition/balance.html",
        school=school,
        balance=subsidy_county.balance(school.id, year, today),
        county=reads_all_schools(current_user),
    )


@bp.route("/nutrition/county")
@requires(Permission.LEDGER_READ)
def show_county():
    if not reads_all_schools(current_user):
        return redirect(url_for("nutrition.show_last_month"))
    schools = db.session.scalars(db.select(School).options(selectinload(School.settings)).order_by(School.name)).all()
    today = max((school_today(school) for school in schools), default=None)
    month = parse_day(f"{request.args.get('month')}-01") if request.args.get("month") else None
    month = month or (today.replace(day=1) if today else None)
    rows = subsidy_county.county(schools, month, today) if month else []
    return render_template(
        "nutrition/county.html",
        rows=rows,
        month=month,
        previous_month=(month - timedelta(days=1)).strftime("%Y-%m") if month else None,
        next_month=(subsidy.month_end(month) + timedelta(days=1)).strftime("%Y-%m") if month else None,
    )
