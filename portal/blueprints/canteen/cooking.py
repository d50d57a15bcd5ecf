"""A dish's core temperature, measured on the meal page. A reading below 70 ℃ comes back with
what to do: the reading moves to "before cooking again" and the cook enters the new one."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from ...login import current_actor as actor
from ...models.canteen import MenuDish
from ...outcome import attempt_on_form
from ...permissions import Permission, requires
from ...services import cooking
from ...tenancy import get_or_404
from . import bp
from .forms import CoreTemperatureForm
from .views import meal_page


@bp.route("/canteen/dishes/<dish_id>/core-temperature", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def record_core_temperature(dish_id):
    dish = get_or_404(MenuDish, dish_id)
    form = CoreTemperatureForm(prefix=f"core{dish.id}")
    if form.validate_on_submit():

        def record():
            cooking.record_core_temperature(actor(), dish, form.celsius.data, form.first_celsius.data)

        if attempt_on_form(form, record):
            flash(_("The core temperature is recorded."), "success")
            return redirect(url_for("canteen.record_meal", day=dish.day.isoformat(), meal=dish.meal.value))
        if form.first_celsius.data is None and form.celsius.errors and form.celsius.data is not None:
            # Below the line: the reading is kept as the first one; the next is the new reading.
            form.first_celsius.raw_data, form.celsius.raw_data = form.celsius.raw_data, [""]
    return meal_page(dish.day, dish.meal, status=422, core_forms={dish.id: form})
