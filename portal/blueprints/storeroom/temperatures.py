"""Fridge and freezer temperatures: each unit's readings of the day, one form per reading due."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...fields import responsible_choices
from ...login import current_actor as actor
from ...models.cold_chain import ColdUnit, TemperatureReading
from ...models.user import User
from ...outcome import attempt
from ...permissions import Permission, requires
from ...services import cold_chain
from ...tenancy import get_or_404
from ...timeutil import school_today
from ..canteen.views import day_in_url
from . import bp
from .forms import ReadingForm


def _reading_form(unit_id, round_, form=None):
    form = form or ReadingForm(prefix=f"unit{unit_id}-{round_}")
    form.responsible.choices = responsible_choices(current_user.school_id)
    return form


def _page(day, forms=None, status=200, only=None):
    school = current_user.school
    units = cold_chain.units_of(school.id)
    chosen = [unit for unit in units if str(unit.id) == str(only)]  # a station's code opened it
    units = chosen or units
    readings = cold_chain.readings_on(school.id, day)
    rounds = range(1, school.settings.temperature_readings_per_day + 1)
    forms = forms or {}
    for unit in units:
        due = next((n for n in rounds if n not in readings.get(unit.id, {})), None)
        if due is not None:  # one reading at a time: the afternoon's after the morning's
            forms.setdefault((unit.id, due), _reading_form(unit.id, due))
    return render_template(
        "storeroom/temperatures.html",
        day=day,
        units=units,
        readings=readings,
        rounds=rounds,
        forms=forms,
        one_unit=bool(chosen),
    ), status


@bp.route("/storeroom/temperatures")
@requires(Permission.LEDGER_RECORD)
def record_temperatures_today():
    return redirect(url_for("storeroom.record_temperatures", day=school_today(current_user.school).isoformat()))


@bp.route("/storeroom/<day>/temperatures")
@requires(Permission.LEDGER_RECORD)
def record_temperatures(day):
    return _page(day_in_url(day, current_user.school), only=request.args.get("unit"))[0]


@bp.route("/storeroom/<day>/temperatures/<unit_id>/<int:round_>", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def record_temperature(day, unit_id, round_):
    day, unit = day_in_url(day, current_user.school), get_or_404(ColdUnit, unit_id)
    form = _reading_form(unit.id, round_, ReadingForm(prefix=f"unit{unit.id}-{round_}"))
    if not form.validate_on_submit():
        return _page(day, forms={(unit.id, round_): form}, status=422)
    reading = TemperatureReading(
        day=day, unit=unit, round=round_, temperature_c=form.temperature_c.data, action=form.action.data or ""
    )
    responsible = get_or_404(User, form.responsible.data) if form.responsible.data else None
    problem = attempt(lambda: cold_chain.record_reading(actor(), reading, responsible=responsible))
    if problem:
        flash(problem, "error")
        return _page(day, forms={(unit.id, round_): form}, status=422)
    flash(_("%(unit)s: %(value)s ℃ is recorded.", unit=unit.name, value=form.temperature_c.data), "success")
    return redirect(url_for("storeroom.record_temperatures", day=day.isoformat()))
