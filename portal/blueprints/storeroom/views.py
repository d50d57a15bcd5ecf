"""The storeroom: what is on hand (expiring and expired stock first), putting accepted
deliveries away, issuing to the kitchen per meal, disposing of expired stock, and the daily
food cost."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...login import current_actor as actor
from ...models.canteen import Meal
from ...models.purchasing import Delivery, DeliveryItem
from ...models.storeroom import StockBatch, StockItem
from ...models.user import User
from ...outcome import attempt
from ...permissions import Permission, reads_all_schools, requires
from ...services import daily_reports, food_cost, rectification, stock_items, storeroom
from ...services.canteen import meal_is_over
from ...tenancy import chosen_school, get_or_404
from ...timeutil import parse_day, school_today
from ..canteen.views import day_in_url
from ..schools_page import requested_page_of_schools
from . import bp
from .forms import DisposalForm, IssueForm, PutAwayForm

NEW_ITEM = ""


def _witness_choices(school_id):
    return [("", "")] + [
        (str(person.id), person.display_name)
        for person in rectification.responsible_candidates(school_id)
        if person.id != current_user.id
    ]


def _disposal_form(batch_id, form=None, on_hand=None):
    form = form or DisposalForm(prefix=f"dispose{batch_id}", quantity=on_hand)
    form.witness.choices = _witness_choices(current_user.school_id)
    return form


@bp.route("/storeroom")
@requires(Permission.LEDGER_READ)
def show_storeroom():
    school = chosen_school()
    if school is None:
        return render_template(
            "choose_school.html",
            schools=requested_page_of_schools(),
            endpoint="storeroom.show_storeroom",
            page_title=_("Storeroom"),
        )
    return _storeroom_page(school)


def _storeroom_page(school, forms=None, status=200):
    today = school_today(school)
    stock = storeroom.stock_by_item(school.id)
    rows = [row for item_stock in stock for row in item_stock.batches]
    expired = storeroom.expired(rows, today)
    forms = forms or {}
    for row in expired:
        forms.setdefault(row.batch.id, _disposal_form(row.batch.id, on_hand=row.on_hand))
    return render_template(
        "storeroom/storeroom.html",
        school=school,
        today=today,
        stock=stock,
        expired=expired,
        expiring=storeroom.expiring(rows, today, school.settings.expiry_warning_days),
        awaiting=len(storeroom.awaiting_put_away(school.id, today)),
        forms=forms,
        county=reads_all_schools(current_user),
        amount=storeroom.amount,
    ), status


@bp.route("/storeroom/batches/<batch_id>/dispose", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def dispose_stock(batch_id):
    batch = get_or_404(StockBatch, batch_id)
    form = _disposal_form(batch.id, DisposalForm(prefix=f"dispose{batch.id}"))
    school = current_user.school
    if not form.validate_on_submit():
        return _storeroom_page(school, forms={batch.id: form}, status=422)
    witness = get_or_404(User, form.witness.data)
    problem = attempt(lambda: storeroom.dispose(actor(), batch, form.quantity.data, form.method.data, witness))
    if problem:
        flash(problem, "error")
        return _storeroom_page(school, forms={batch.id: form}, status=422)
    flash(_("%(item)s: the disposal is recorded.", item=batch.item.name), "success")
    return redirect(url_for("storeroom.show_storeroom"))


# --- stock in ---------------------------------------------------------------------------------


def _put_away_form(goods_id, items, form=None):
    form = form or PutAwayForm(prefix=f"goods{goods_id}")
    form.item.choices = [(NEW_ITEM, _("By the name of the goods"))] + [
        (str(item.id), f"{item.name}（{item.unit}）") for item in items
    ]
    return form


def _stock_in_page(day, forms=None, status=200):
    school = current_user.school
    waiting = storeroom.awaiting_put_away(school.id, day)
    deliveries = {}
    for goods in waiting:
        deliveries.setdefault(goods.delivery, []).append(goods)
    items = stock_items.items_of(school.id)
    forms = forms or {}
    for goods in waiting:
        forms.setdefault(goods.id, _put_away_form(goods.id, items))
    put_away_today = db.session.scalars(
        db.select(StockBatch)
        .where(StockBatch.school_id == school.id, StockBatch.day == day, StockBatch.standing())
        .order_by(StockBatch.id)
    ).all()
    return render_template(
        "storeroom/stock_in.html",
        day=day,
        deliveries=deliveries,
        forms=forms,
        put_away_today=put_away_today,
        last_day_of_use=storeroom.last_day_of_use,
        amount=storeroom.amount,
    ), status


@bp.route("/storeroom/<day>/in")
@requires(Permission.LEDGER_RECORD)
def record_stock_in(day):
    return _stock_in_page(_today_or_earlier(day))[0]


def _today_or_earlier(text):
    """Stock moves today, or on a day of the last week entered late (its ledger may still be open)."""
    school = current_user.school
    day = day_in_url(text, school)
    if day > school_today(school) or day < school_today(school) - timedelta(days=7):
        abort(404)
    return day


@bp.route("/storeroom/<day>/in/deliveries/<delivery_id>", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def put_away_delivery(day, delivery_id):
    day = _today_or_earlier(day)
    delivery = get_or_404(Delivery, delivery_id)
    storeroom_name = request.form.get("storeroom", "")
    batches = []
    problem = attempt(
        lambda: batches.extend(storeroom.put_away_all(actor(), delivery, storeroom=storeroom_name, day=day))
    )
    if problem:
        flash(problem, "error")
        return _stock_in_page(day, status=422)
    flash(_("%(n)d items are in the storeroom.", n=len(batches)), "success")
    return redirect(url_for("storeroom.record_stock_in", day=day.isoformat()))


@bp.route("/storeroom/<day>/in/goods/<goods_id>", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def put_away_goods(day, goods_id):
    day = _today_or_earlier(day)
    goods = get_or_404(DeliveryItem, goods_id)
    form = _put_away_form(
        goods.id, stock_items.items_of(current_user.school_id), PutAwayForm(prefix=f"goods{goods.id}")
    )
    if not form.validate_on_submit():
        return _stock_in_page(day, forms={goods.id: form}, status=422)
    item = get_or_404(StockItem, form.item.data) if form.item.data != NEW_ITEM else None
    problem = attempt(lambda: storeroom.put_away(actor(), goods, item=item, storeroom=form.storeroom.data, day=day))
    if problem:
        flash(problem, "error")
        return _stock_in_page(day, forms={goods.id: form}, status=422)
    flash(_("%(goods)s is in the storeroom.", goods=goods.name), "success")
    return redirect(url_for("storeroom.record_stock_in", day=day.isoformat()))


# --- stock out --------------------------------------------------------------------------------

FIRST_IN_FIRST_OUT = ""


def _issue_form(school, day, form=None):
    form = form or IssueForm(meal=_next_meal(school, day))
    rows = storeroom.on_hand(school.id)
    totals = {}
    for row in rows:
        if not row.batch.expired_on(day):
            totals.setdefault(row.batch.item, []).append(row)
    form.meal.choices = [(meal.value, meal.label) for meal in school.settings.meals()]
    form.item.choices = [("", "")] + [
        (str(item.id), f"{item.name}（{storeroom.amount(sum(r.on_hand for r in batches), item.unit)}）")
        for item, batches in sorted(totals.items(), key=lambda pair: pair[0].name)
    ]
    form.batch.choices = [(FIRST_IN_FIRST_OUT, _("First in, first out"))] + [
        (
            str(row.batch.id),
            f"{row.batch.item.name} {row.batch.day:%m-%d} {storeroom.amount(row.on_hand, row.batch.item.unit)}",
        )
        for batches in totals.values()
        for row in batches
    ]
    return form


def _next_meal(school, day):
    meals = school.settings.meals()
    return next((meal.value for meal in meals if not meal_is_over(school, day, meal)), meals[-1].value)


def _stock_out_page(day, form=None, status=200):
    school = current_user.school
    issues = storeroom.issues_on(school.id, day)
    by_meal = {}
    for record in issues:
        by_meal.setdefault(record.meal, []).append(record)
    cost = next(iter(food_cost.per_day(school.id, day, day)), None)
    return render_template(
        "storeroom/stock_out.html",
        day=day,
        form=_issue_form(school, day, form),
        by_meal=by_meal,
        cost=cost,
        amount=storeroom.amount,
    ), status


@bp.route("/storeroom/<day>/out")
@requires(Permission.LEDGER_RECORD)
def record_stock_out(day):
    return _stock_out_page(_today_or_earlier(day))[0]


@bp.route("/storeroom/<day>/out", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def issue_stock(day):
    day = _today_or_earlier(day)
    form = IssueForm()
    _issue_form(current_user.school, day, form)
    if not form.validate_on_submit():
        return _stock_out_page(day, form, status=422)
    item = get_or_404(StockItem, form.item.data)
    batch = get_or_404(StockBatch, form.batch.data) if form.batch.data != FIRST_IN_FIRST_OUT else None
    issued = []
    problem = attempt(
        lambda: issued.extend(
            storeroom.issue(
                actor(),
                item,
                day,
                Meal(form.meal.data),
                form.quantity.data,
                batch=batch,
                reason=form.reason.data,
                for_staff=form.for_staff.data,
            )
        )
    )
    if problem:
        flash(problem, "error")
        return _stock_out_page(day, form, status=422)
    flash(
        _("%(item)s %(quantity)s issued.", item=item.name, quantity=storeroom.amount(form.quantity.data, item.unit)),
        "success",
    )
    return redirect(url_for("storeroom.record_stock_out", day=day.isoformat()))


# --- the daily food cost ----------------------------------------------------------------------


@bp.route("/storeroom/food-cost")
@requires(Permission.LEDGER_READ)
def show_food_cost():
    school = chosen_school()
    if school is None:
        return redirect(url_for("storeroom.show_storeroom"))
    first = parse_day(f"{request.args.get('month')}-01") or school_today(school).replace(day=1)
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    days = food_cost.per_day(school.id, first, last)
    diners = {report.day: report.diners for report in daily_reports.reports_between(school.id, first, last)}
    return render_template(
        "storeroom/food_cost.html",
        diners=diners,
        school=school,
        first=first,
        days=days,
        meals=school.settings.meals(),
        total=sum((day.total for day in days), 0),
        county=reads_all_schools(current_user),
        previous_month=(first - timedelta(days=1)).strftime("%Y-%m"),
        next_month=(last + timedelta(days=1)).strftime("%Y-%m"),
    )
