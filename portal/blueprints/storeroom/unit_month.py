"""A fridge or freezer's month of readings as a chart with its allowed band, and as a table."""

from datetime import timedelta

from flask import render_template, request

from ...models.cold_chain import ColdUnit
from ...permissions import Permission, requires
from ...services import cold_chain
from ...services.calendar import days_between
from ...services.subsidy import month_end
from ...tenancy import get_or_404
from ...timeutil import parse_day, school_today
from . import bp


@bp.route("/storeroom/units/<unit_id>/month")
@requires(Permission.LEDGER_READ)
def show_unit_month(unit_id):
    unit = get_or_404(ColdUnit, unit_id)
    today = school_today(unit.school)
    month = parse_day(f"{request.args.get('month', '')}-01") or today.replace(day=1)
    last = month_end(month)
    rounds = range(1, unit.school.settings.temperature_readings_per_day + 1)
    readings = cold_chain.readings_between(unit, month, last)
    return render_template(
        "storeroom/unit_month.html",
        unit=unit,
        month=month,
        days=days_between(month, min(last, today)),
        readings=readings,
        rounds=rounds,
        chart=cold_chain.readings_chart(unit, readings, month, last, rounds),
        previous_month=(month - timedelta(days=1)).strftime("%Y-%m"),
        next_month=(last + timedelta(days=1)).strftime("%Y-%m"),
    )
