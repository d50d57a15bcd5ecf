"""Each dormitory room is a station: its poster's code opens the room's check of the day
(blueprints/stations/)."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from ... import station_kinds
from ...models.dormitory import DormRoom
from ...permissions import Permission
from ...services import dormitory

station_kinds.register(
    station_kinds.StationKind(
        key="dorm_room",
        model=DormRoom,
        label=_l("Dormitory room"),
        permission=Permission.DORM_CHECK,
        record_url=lambda room: url_for("dormitory.show_check_form", room_id=room.id),
        what_to_record=lambda _room: _l("The room's check, every school day, against the school's standard."),
        places_of=dormitory.rooms_of,
    )
)
