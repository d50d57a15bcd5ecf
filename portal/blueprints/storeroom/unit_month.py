"""A fridge or freezer's month of readings as a chart with its allowed band, and as a table."""

from datetime import timedelta

from flask import render_template, request
from flask_babel import gettext as _

from ... import charts
from ...models.cold_chain import ColdUnit
from ...permissions import Permission, requires
from ...services import cold_chain
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
    days = [month + timedelta(days=n) for n in range((month_end(month) - month).days + 1)]
    readings = cold_chain.readings_between(unit, month, days[-1])
    rounds = range(1, unit.school.settings.temperature_readings_per_day + 1)
    series = [(_("Reading %(n)d", n=n), [_value(readings.get(day, {}).get(n)) for day in days]) for n in rounds]
    limits = [(_("Lowest (℃)"), unit.lowest_c), (_("Highest (℃)"), unit.highest_c)]
    chart = charts.line_chart(
        f"{unit.name} {month:%Y-%m} ℃",
        [str(day.day) for day in days],
        series,
        [(name, float(value)) for name, value in limits if value is not None],
    )
    return render_template(
        "storeroom/unit_month.html",
        unit=unit,
        month=month,
        days=[day for day in days if day <= today],
        readings=readings,
        rounds=rounds,
        chart=chart,
        previous_month=(month - timedelta(days=1)).strftime("%Y-%m"),
        next_month=(days[-1] + timedelta(days=1)).strftime("%Y-%m"),
    )


def _value(reading):
    return float(reading.temperature_c) if reading is not None else None
