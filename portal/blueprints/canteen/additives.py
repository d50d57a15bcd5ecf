"""食品添加剂使用 on the day: the uses so far and the form the responsible person fills in as the
additive goes into a dish."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...login import current_actor as actor
from ...models.additive import Additive, AdditiveUse
from ...models.canteen import MenuDish
from ...outcome import attempt_on_form
from ...permissions import Permission, requires
from ...services import additives, canteen, ledgers
from ...tenancy import chosen_school, get_or_404
from ...timeutil import utcnow
from . import bp
from .forms import AdditiveUseForm
from .views import day_in_url


def _with_choices(form, school_id, day):
    form.additive.choices = [("", "")] + [(str(a.id), a.name) for a in additives.additives_of(school_id)]
    form.dish.choices = [("", "")] + [
        (str(dish.id), f"{dish.meal.label} {dish.name}") for dish in canteen.dishes_of(school_id, day)
    ]
    return form


def _page(school, day, form=None, status=200):
    listed = additives.additives_of(school.id)
    mine = [additive for additive in listed if additive.keeper_id == current_user.id]
    # The one additive in one's care is chosen already.
    form = form or AdditiveUseForm(additive=str(mine[0].id) if len(mine) == 1 else "")
    locks_at = ledgers.lock_moment(school, day)
    return render_template(
        "canteen/additives.html",
        day=day,
        uses=additives.uses_on(school.id, day),
        additives=listed,
        mine=mine,
        form=_with_choices(form, school.id, day),
        locked=locks_at <= utcnow(),
        locks_at=locks_at,
    ), status


@bp.route("/canteen/<day>/additives")
@requires(Permission.LEDGER_READ)
def record_additive_uses(day):
    school = chosen_school()
    if school is None:
        return redirect(url_for("canteen.show_board"))
    return _page(school, day_in_url(day, school))[0]


@bp.route("/canteen/<day>/additives", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def add_additive_use(day):
    day = day_in_url(day, current_user.school)
    form = _with_choices(AdditiveUseForm(), current_user.school_id, day)
    if form.validate_on_submit():
        use = AdditiveUse(
            additive=get_or_404(Additive, form.additive.data),
            dish=get_or_404(MenuDish, form.dish.data),
            grams=form.grams.data,
            food_kg=form.food_kg.data,
        )
        if attempt_on_form(form, lambda: additives.record_use(actor(), use)):
            flash(_("%(additive)s in %(dish)s is recorded.", additive=use.additive.name, dish=use.dish.name), "success")
            return redirect(url_for("canteen.record_additive_uses", day=day.isoformat()))
    return _page(current_user.school, day, form, status=422)
