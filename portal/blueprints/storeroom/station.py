"""Each fridge and freezer is a station: its poster's code opens the day's readings with that
unit alone (blueprints/stations/)."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from ... import station_kinds
from ...models.cold_chain import ColdUnit
from ...permissions import Permission
from ...services import cold_chain
from ...timeutil import school_today

station_kinds.register(
    station_kinds.StationKind(
        key="cold_unit",
        model=ColdUnit,
        label=_l("Fridge or freezer"),
        permission=Permission.LEDGER_RECORD,
        record_url=lambda unit: url_for(
            "storeroom.record_temperatures", day=school_today(unit.school).isoformat(), unit=unit.id
        ),
        what_to_record=lambda unit: _l(
            "Its temperature, %(n)d times each canteen day; it should hold %(range)s.",
            n=unit.school.settings.temperature_readings_per_day,
            range=unit.range_text,
        ),
        places_of=cold_chain.units_of,
    )
)
