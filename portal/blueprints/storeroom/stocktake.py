"""The month's stocktake: begun from the book, counted by the keeper (a difference needs its
reason), signed by the keeper, then by the director; signed is frozen."""

from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...login import current_actor as actor
from ...outcome import attempt
from ...permissions import Permission, reads_all_schools, requires
from ...services import stocktakes, storeroom
from ...tenancy import chosen_school
from ...timeutil import parse_day, school_today
from ..canteen.forms import SignForm
from . import bp


def _month(text, school):
    month = parse_day(f"{text}-01")
    if month is None or month > school_today(school):
        abort(404)
    return month


def _page(school, month, typed=None, status=200):
    stocktake = stocktakes.of_month(school.id, month)
    lines = {}
    for line in stocktake.lines if stocktake else []:
        lines.setdefault(line.batch.item, []).append(line)
    return render_template(
        "storeroom/stocktake.html",
        school=school,
        month=month,
        stocktake=stocktake,
        lines=sorted(lines.items(), key=lambda pair: pair[0].name),
        typed=typed or {},
        moved=stocktakes.moved_since(stocktake) if stocktake else {},
        cannot_be_signed=dict(stocktakes.cannot_be_signed(stocktake)) if stocktake and not stocktake.is_signed else {},
        earlier_counts=stocktakes.earlier_counts(stocktake) if stocktake else [],
        form=SignForm(),
        county=reads_all_schools(current_user),
        amount=storeroom.amount,
    ), status


@bp.route("/storeroom/stocktake")
@requires(Permission.LEDGER_READ)
def show_stocktake_this_month():
    school = chosen_school()
    if school is None:
        return redirect(url_for("storeroom.show_storeroom"))
    month = school_today(school).strftime("%Y-%m")
    return redirect(url_for("storeroom.show_stocktake", month=month, school=request.args.get("school")))


@bp.route("/storeroom/stocktake/<month>")
@requires(Permission.LEDGER_READ)
def show_stocktake(month):
    school = chosen_school()
    if school is None:
        return redirect(url_for("storeroom.show_storeroom"))
    return _page(school, _month(month, school))[0]


def _done(school, month, problem, message):
    if problem:
        flash(problem, "error")
        return _page(school, month, status=422)
    flash(message, "success")
    return redirect(url_for("storeroom.show_stocktake", month=month.strftime("%Y-%m")))


@bp.route("/storeroom/stocktake/<month>/start", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def start_stocktake(month):
    school = current_user.school
    month = _month(month, school)
    problem = attempt(lambda: stocktakes.start(actor(), month))
    return _done(school, month, problem, _("The stocktake has begun: enter what you count."))


def _own_stocktake(text):
    """(school, month, its stocktake) of the user's school for a URL's month; 404 when none."""
    school = current_user.school
    month = _month(text, school)
    stocktake = stocktakes.of_month(school.id, month)
    if stocktake is None:
        abort(404)
    return school, month, stocktake


@bp.route("/storeroom/stocktake/<month>/restart", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def restart_stocktake(month):
    school, month, stocktake = _own_stocktake(month)
    problem = attempt(lambda: stocktakes.restart(actor(), stocktake))
    return _done(school, month, problem, _("The count begins again from today's book; the earlier one is kept below."))


def _typed_counts(stocktake):
    """{line id: (counted, reason)} from the form, and {line id: (text typed, reason)} to show
    again; a count that is no number is None (the service says so, naming the batch)."""
    counts, typed = {}, {}
    for line in stocktake.lines:
        text = (request.form.get(f"counted-{line.id}") or "").strip()
        reason = request.form.get(f"reason-{line.id}", "")[:300]
        if not text and not reason:
            continue
        try:
            counted = Decimal(text).quantize(Decimal("0.01")) if len(text) < 20 else None
        except InvalidOperation:
            counted = None
        if counted is not None and not counted.is_finite():
            counted = None
        counts[line.id], typed[line.id] = (counted, reason), (text, reason)
    return counts, typed


@bp.route("/storeroom/stocktake/<month>/count", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def count_stocktake(month):
    school, month, stocktake = _own_stocktake(month)
    counts, typed = _typed_counts(stocktake)
    problem = attempt(lambda: stocktakes.count(actor(), stocktake, counts))
    if problem:
        flash(problem, "error")
        return _page(school, month, typed=typed, status=422)
    flash(_("The count is saved."), "success")
    return redirect(url_for("storeroom.show_stocktake", month=month.strftime("%Y-%m")))


def _sign(month, sign, message):
    school, month, stocktake = _own_stocktake(month)
    form = SignForm()
    if not form.validate_on_submit():
        flash(_("Enter your password to sign."), "error")
        return _page(school, month, status=422)
    problem = attempt(lambda: sign(actor(), stocktake, form.password.data))
    return _done(school, month, problem, message)


@bp.route("/storeroom/stocktake/<month>/keeper-sign", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def sign_stocktake_as_keeper(month):
    return _sign(month, stocktakes.sign_as_keeper, _("You signed the count; the director signs next."))


@bp.route("/storeroom/stocktake/<month>/sign", methods=["POST"])
@requires(Permission.STOCKTAKE_SIGN)
def sign_stocktake(month):
    return _sign(month, stocktakes.sign, _("The stocktake is signed: the book now follows the count."))
