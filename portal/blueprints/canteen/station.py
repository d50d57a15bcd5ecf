"""The canteen's stations (blueprints/stations/): each room's poster opens its disinfection and
four-preventions check, the food sample cabinet's the meal being served, the additive cabinet's
the day's additive uses; and the two public pages' posters (公示, 校园食安码) go in the same pack."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from ... import station_kinds
from ...extensions import db
from ...models.cabinet import Cabinet, CabinetPurpose
from ...models.hygiene import CanteenRoom
from ...models.school import School
from ...permissions import Permission
from ...services import cabinets, hygiene
from ...timeutil import school_now
from .public_pages import PAGES


def _today(place):
    return school_now(place.school).date().isoformat()


def _meal_being_served(cabinet):
    now = school_now(cabinet.school)
    meal = cabinet.school.settings.meal_at(now.time())
    return url_for("canteen.record_meal", day=now.date().isoformat(), meal=meal.value)


station_kinds.register(
    station_kinds.StationKind(
        key="canteen_room",
        model=CanteenRoom,
        label=_l("Canteen room"),
        permission=Permission.LEDGER_RECORD,
        record_url=lambda room: url_for("canteen.record_rooms", day=_today(room), room=room.id),
        what_to_record=lambda room: _l(
            "Its disinfection every %(disinfection)d days and its four-preventions check every %(check)d days.",
            disinfection=room.disinfection_every_days,
            check=room.prevention_every_days,
        ),
        places_of=hygiene.rooms_of,
    )
)

station_kinds.register(
    station_kinds.StationKind(
        key="sample_cabinet",
        model=Cabinet,
        only=Cabinet.purpose == CabinetPurpose.FOOD_SAMPLES,
        label=CabinetPurpose.FOOD_SAMPLES.label,
        permission=Permission.LEDGER_RECORD,
        record_url=_meal_being_served,
        what_to_record=lambda cabinet: _l(
            "A sample of every dish after each meal: at least %(grams)d g, kept %(hours)d hours.",
            grams=cabinet.school.settings.sample_min_grams,
            hours=cabinet.school.settings.sample_keep_hours,
        ),
        places_of=lambda school_id: cabinets.cabinets_of(school_id, CabinetPurpose.FOOD_SAMPLES),
    )
)

station_kinds.register(
    station_kinds.StationKind(
        key="additive_cabinet",
        model=Cabinet,
        only=Cabinet.purpose == CabinetPurpose.ADDITIVES,
        label=CabinetPurpose.ADDITIVES.label,
        permission=Permission.LEDGER_RECORD,
        record_url=lambda cabinet: url_for("canteen.record_additive_uses", day=_today(cabinet)),
        what_to_record=lambda _cabinet: _l(
            "Every use, when it is weighed out: the additive, its grams and the dish it goes into."
        ),
        places_of=lambda school_id: cabinets.cabinets_of(school_id, CabinetPurpose.ADDITIVES),
    )
)

for page, (endpoint, name, hint) in PAGES.items():
    station_kinds.register(
        station_kinds.StationKind(
            key=f"public_{page}",
            model=School,
            label=name,
            permission=None,  # read by anyone who scans it
            record_url=None,
            what_to_record=lambda _school, hint=hint: hint,
            places_of=lambda school_id: [db.session.get(School, school_id)],
            public_endpoint=endpoint,
        )
    )
