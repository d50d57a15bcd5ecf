"""光盘行动: the day's leftovers weighed per meal (the school's, or a class's), the day's figure
against the target, the week's class ranking, the dishes left most and the semester's curve."""

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...login import current_actor as actor
from ...models.canteen import Meal, MenuDish
from ...models.clean_plate import LeftoverWeighing
from ...models.school_class import SchoolClass
from ...outcome import attempt
from ...permissions import Permission, requires
from ...services import canteen, clean_plate, school_classes
from ...services.calendar import current_term, monday_of
from ...tenancy import chosen_school, get_or_404
from . import bp
from .forms import LeftoverForm
from .views import day_in_url


def _form(school, day, form=None):
    form = form or LeftoverForm()
    form.meal.choices = [(meal.value, meal.label) for meal in school.settings.meals()]
    form.school_class.choices = [("", _("The whole school"))] + [
        (str(c.id), c.name) for c in school_classes.classes_of(school.id) if c.active
    ]
    form.most_left_dish.choices = [("", _("None stood out"))] + [
        (str(dish.id), f"{dish.meal.label} {dish.name}") for dish in canteen.dishes_of(school.id, day)
    ]
    return form


def _page(school, day, form=None, status=200):
    term = current_term(school.id, day)
    semester = (term.starts_on, min(term.ends_on, day)) if term else (day - timedelta(days=120), day)
    figures = clean_plate.daily_figures(school, *semester)
    return render_template(
        "canteen/clean_plate.html",
        school=school,
        day=day,
        form=_form(school, day, form) if current_user.can(Permission.LEDGER_RECORD) else None,
        today=next((f for f in figures if f.day == day), None),
        weighings=clean_plate.weighings_between(school.id, day, day),
        ranking=clean_plate.class_ranking(school.id, monday_of(day)),
        dishes=clean_plate.dishes_left_most(school.id, *semester),
        figures=figures,
        chart=clean_plate.semester_chart(figures) if figures else None,
    ), status


@bp.route("/canteen/clean-plate", defaults={"day": ""})
@bp.route("/canteen/<day>/clean-plate")
@requires(Permission.LEDGER_READ)
def show_clean_plate(day):
    school = chosen_school()
    if school is None:
        return redirect(url_for("leftover_weighings.index_view"))
    return _page(school, day_in_url(day, school))[0]


@bp.route("/canteen/<day>/clean-plate", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def record_leftovers(day):
    school = current_user.school
    day = day_in_url(day, school)
    form = _form(school, day, LeftoverForm())
    if not form.validate_on_submit():
        return _page(school, day, form, status=422)
    weighing = LeftoverWeighing(day=day, meal=Meal(form.meal.data), kg=form.kg.data, diners=form.diners.data)
    if form.school_class.data:
        weighing.school_class = get_or_404(SchoolClass, form.school_class.data)
    if form.most_left_dish.data:
        weighing.most_left_dish = get_or_404(MenuDish, form.most_left_dish.data)
    problem = attempt(lambda: clean_plate.record_weighing(actor(), weighing))
    if problem:
        flash(problem, "error")
        return _page(school, day, form, status=422)
    flash(_("The leftovers are recorded: %(value)s kg per 100 diners.", value=weighing.per_100), "success")
    return redirect(url_for("canteen.show_clean_plate", day=day.isoformat()))
