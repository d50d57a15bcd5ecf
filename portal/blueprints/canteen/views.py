"""The canteen's day: the board (what is recorded and what is missing), one quick-entry
page per meal (menu, food samples, tableware disinfection) and the morning checks."""

from datetime import timedelta
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ...fields import responsible_choices
from ...labels import record_name
from ...login import current_actor as actor
from ...models.accompanied_meal import AccompaniedMeal, ParentMeal
from ...models.canteen import DisinfectionMethod, FoodSample, Meal, MenuDish, MorningCheck, TablewareDisinfection
from ...models.user import User
from ...outcome import attempt
from ...permissions import Permission, reads_all_schools, requires
from ...services import accompanied_meals, canteen, canteen_board, cooking, ledgers, morning_checks, purchasing
from ...services.calendar import monday_of
from ...tenancy import chosen_school, get_or_404
from ...timeutil import parse_day, school_today
from ..schools_page import requested_page_of_schools
from . import bp
from .forms import (
    AccompaniedMealForm,
    CoreTemperatureForm,
    DishForm,
    DisinfectionForm,
    MorningCheckForm,
    ParentMealForm,
    SampleForm,
)


def day_in_url(text, school):
    """A date from the URL; a malformed or out-of-range one is a 404, a missing one is today."""
    if not text:
        return school_today(school)
    day = parse_day(text)
    if day is None:
        abort(404)
    return day


def _meal(text):
    try:
        return Meal(text)
    except ValueError:
        abort(404)


@bp.route("/canteen")
@requires(Permission.LEDGER_READ)
def show_board():
    school = chosen_school()
    if school is None:
        return render_template(
            "choose_school.html",
            schools=requested_page_of_schools(),
            endpoint="canteen.show_board",
            page_title=_("Canteen today"),
        )
    day = day_in_url(request.args.get("day"), school)
    return render_template(
        "canteen/board.html",
        board=canteen_board.board(school, day),
        today=school_today(school),
        school=school,
        county=reads_all_schools(current_user),
        monday=monday_of(day),
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        delivery_flags=purchasing.flags,
        changes_text=ledgers.changes_text,
        record_name=lambda record: record_name(type(record).__name__),
    )


def _month(text, school):
    """The first day of the month in ?month=YYYY-MM; this month when missing, malformed or out of range."""
    return parse_day(f"{text}-01") or school_today(school).replace(day=1)


@bp.route("/canteen/calendar")
@requires(Permission.LEDGER_READ)
def show_calendar():
    school = chosen_school()
    if school is None:
        return redirect(url_for("canteen.show_board"))
    first = _month(request.args.get("month"), school)
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    days = canteen_board.month(school, first, last)
    weeks = [[None] * first.weekday() + days[: 7 - first.weekday()]]
    rest = days[7 - first.weekday() :]
    weeks += [rest[n : n + 7] for n in range(0, len(rest), 7)]
    return render_template(
        "canteen/calendar.html",
        school=school,
        first=first,
        weeks=weeks,
        county=reads_all_schools(current_user),
        previous_month=(first - timedelta(days=1)).strftime("%Y-%m"),
        next_month=(last + timedelta(days=1)).strftime("%Y-%m"),
    )


# --- one meal: menu, samples, disinfection ------------------------------------------------


def meal_page(day, meal, status=200, **forms):
    school = current_user.school
    board = canteen_board.board(school, day)
    meal_board = next((row for row in board.meals if row.meal is meal), None)
    sample_forms = {dish.id: SampleForm(prefix=f"dish{dish.id}") for dish in meal_board.dishes} if meal_board else {}
    sample_forms.update(forms.pop("sample_forms", {}))
    dishes = meal_board.dishes if meal_board else []
    core_forms = {dish.id: CoreTemperatureForm(prefix=f"core{dish.id}") for dish in dishes}
    core_forms.update(forms.pop("core_forms", {}))
    accompanied_form = forms.get("accompanied_form") or AccompaniedMealForm(prefix="accompanied")
    accompanied_form.responsible.choices = responsible_choices(school.id)
    return render_template(
        "canteen/meal.html",
        board=board,
        meal=meal,
        meal_board=meal_board,
        dish_form=forms.get("dish_form") or DishForm(),
        sample_forms=sample_forms,
        core_forms=core_forms,
        core_temperatures=cooking.core_temperatures_of(dishes),
        disinfection_form=forms.get("disinfection_form") or DisinfectionForm(),
        accompanied_form=accompanied_form,
        parent_form=forms.get("parent_form") or ParentMealForm(prefix="parent"),
        minima={method: school.settings.disinfection_minimum(method) for method in DisinfectionMethod},
        settings=school.settings,
        review_form=FlaskForm(),
    ), status


def _after(problem, day, meal, done_message, **forms):
    if problem:
        flash(problem, "error")
        return meal_page(day, meal, status=422, **forms)
    flash(done_message, "success")
    return redirect(url_for("canteen.record_meal", day=day.isoformat(), meal=meal.value))


@bp.route("/canteen/<day>/<meal>")
@requires(Permission.LEDGER_RECORD)
def record_meal(day, meal):
    return meal_page(day_in_url(day, current_user.school), _meal(meal))[0]


@bp.route("/canteen/<day>/<meal>/dishes", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def add_dish(day, meal):
    day, meal = day_in_url(day, current_user.school), _meal(meal)
    form = DishForm()
    if not form.validate_on_submit():
        return meal_page(day, meal, status=422, dish_form=form)
    dish = MenuDish(day=day, meal=meal, name=form.name.data)
    problem = attempt(lambda: canteen.save_dish(actor(), dish, None))
    return _after(problem, day, meal, _("The dish is on the menu."), dish_form=form)


@bp.route("/canteen/dishes/<dish_id>/sample", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def record_sample(dish_id):
    dish = get_or_404(MenuDish, dish_id)
    form = SampleForm(prefix=f"dish{dish.id}")
    if not form.validate_on_submit():
        return meal_page(dish.day, dish.meal, status=422, sample_forms={dish.id: form})
    problem = attempt(
        lambda: canteen.record_sample(
            actor(), dish, float(form.grams.data), form.container_label.data, retained_at=form.retained_at.utc_value()
        )
    )
    return _after(problem, dish.day, dish.meal, _("The food sample is recorded."), sample_forms={dish.id: form})


@bp.route("/canteen/samples/<sample_id>/review", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def review_sample(sample_id):
    sample = get_or_404(FoodSample, sample_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    problem = attempt(lambda: canteen.review_sample(actor(), sample))
    return _after(problem, sample.dish.day, sample.dish.meal, _("The food sample is reviewed."))


@bp.route("/canteen/<day>/<meal>/disinfection", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def record_disinfection(day, meal):
    day, meal = day_in_url(day, current_user.school), _meal(meal)
    form = DisinfectionForm()
    if not form.validate_on_submit():
        return meal_page(day, meal, status=422, disinfection_form=form)
    method = DisinfectionMethod(form.method.data)
    record = TablewareDisinfection(
        day=day,
        meal=meal,
        method=method,
        duration_seconds=int(form.minutes.data * 60),
        items=form.items.data or "",
    )
    setattr(record, method.measure_field, form.measure.data)
    problem = attempt(lambda: canteen.save_disinfection(actor(), record, None))
    return _after(problem, day, meal, _("The disinfection is recorded."), disinfection_form=form)


@bp.route("/canteen/<day>/<meal>/accompanied", methods=["POST"])
@requires(Permission.MEAL_ACCOMPANY)
def record_accompanied_meal(day, meal):
    day, meal = day_in_url(day, current_user.school), _meal(meal)
    form = AccompaniedMealForm(prefix="accompanied")
    form.responsible.choices = responsible_choices(current_user.school_id)
    if not form.validate_on_submit():
        return meal_page(day, meal, status=422, accompanied_form=form)
    record = AccompaniedMeal(
        day=day,
        meal=meal,
        leader=actor(),
        dishes_tasted=form.dishes_tasted.data or "",
        taste=form.taste.data,
        temperature=form.temperature.data,
        hygiene=form.hygiene.data,
        quantity=form.quantity.data,
        problems=form.problems.data or "",
    )
    responsible = get_or_404(User, form.responsible.data) if form.responsible.data else None
    problem = attempt(lambda: accompanied_meals.save_accompanied_meal(actor(), record, None, responsible=responsible))
    return _after(problem, day, meal, _("The accompanied meal is recorded."), accompanied_form=form)


@bp.route("/canteen/<day>/<meal>/parents", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def record_parent_meal(day, meal):
    day, meal = day_in_url(day, current_user.school), _meal(meal)
    form = ParentMealForm(prefix="parent")
    if not form.validate_on_submit():
        return meal_page(day, meal, status=422, parent_form=form)
    record = ParentMeal(
        day=day,
        meal=meal,
        parent_name=form.parent_name.data,
        class_name=form.class_name.data,
        feedback=form.feedback.data or "",
    )
    problem = attempt(lambda: accompanied_meals.save_parent_meal(actor(), record, None))
    return _after(problem, day, meal, _("The parent's accompanied meal is recorded."), parent_form=form)


# --- morning checks -----------------------------------------------------------------------


def _morning_page(day, status=200, forms=None):
    board = canteen_board.board(current_user.school, day)
    forms = forms or {}
    for row in board.unchecked:
        forms.setdefault(row.worker.id, MorningCheckForm(prefix=f"worker{row.worker.id}"))
    return render_template("canteen/morning.html", board=board, forms=forms), status


@bp.route("/canteen/<day>/morning")
@requires(Permission.LEDGER_RECORD)
def record_morning_checks(day):
    return _morning_page(day_in_url(day, current_user.school))[0]


@bp.route("/canteen/<day>/morning/<worker_id>", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def check_worker(day, worker_id):
    day = day_in_url(day, current_user.school)
    worker = get_or_404(User, worker_id)
    form = MorningCheckForm(prefix=f"worker{worker.id}")
    if not form.validate_on_submit():
        return _morning_page(day, status=422, forms={worker.id: form})
    check = MorningCheck(
        day=day,
        worker=worker,
        temperature_c=float(form.temperature_c.data or Decimal(0)),
        symptoms=" ".join(form.symptoms.data or []),
        fit=form.fit.data,
        on_duty=form.on_duty.data,
        action_taken=form.action_taken.data or "",
    )
    problem = attempt(lambda: morning_checks.save_morning_check(actor(), check, None))
    if problem:
        flash(problem, "error")
        return _morning_page(day, status=422, forms={worker.id: form})
    flash(_("%(name)s is checked.", name=worker.display_name), "success")
    return redirect(url_for("canteen.record_morning_checks", day=day.isoformat()))
