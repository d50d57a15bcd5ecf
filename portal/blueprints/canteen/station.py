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
from ...timeutil import school_now, school_today
from .public_pages import PAGES


def _today(place):
    return school_today(place.school).isoformat()


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


def _cabinet(key, purpose, record_url, what_to_record):
    """The cabinets of one purpose: two kinds share the cabinets' table."""
    return station_kinds.StationKind(
        key=key,
        model=Cabinet,
        only=Cabinet.purpose == purpose,
        label=purpose.label,
        permission=Permission.LEDGER_RECORD,
        record_url=record_url,
        what_to_record=what_to_record,
        places_of=lambda school_id: cabinets.cabinets_of(school_id, purpose),
    )


station_kinds.register(
    _cabinet(
        "sample_cabinet",
        CabinetPurpose.FOOD_SAMPLES,
        _meal_being_served,
        lambda cabinet: _l(
            "A sample of every dish after each meal: at least %(grams)d g, kept %(hours)d hours.",
            grams=cabinet.school.settings.sample_min_grams,
            hours=cabinet.school.settings.sample_keep_hours,
        ),
    )
)

station_kinds.register(
    _cabinet(
        "additive_cabinet",
        CabinetPurpose.ADDITIVES,
        lambda cabinet: url_for("canteen.record_additive_uses", day=_today(cabinet)),
        lambda _cabinet: _l("Every use, when it is weighed out: the additive, its grams and the dish it goes into."),
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
