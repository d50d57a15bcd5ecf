"""Station codes (models/station.py): the place a scanned code names, and a code replaced."""

import re

import sqlalchemy as sa

from .. import station_kinds
from ..extensions import db
from ..models.station import new_station_code
from . import audit

CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def find(code):
    """(kind, place) of a station code, or None. A code is a short random text of URL-safe
    letters (models/station.py): anything else (too long, a NUL, a made-up or a replaced code)
    names nothing. A public page's token is not a station code: it opens its page alone."""
    if not CODE.fullmatch(code or ""):
        return None
    for kind in station_kinds.kinds():
        if kind.public_endpoint:
            continue
        query = sa.select(kind.model).where(kind.model.station_code == code)
        place = db.session.scalar(query if kind.only is None else query.where(kind.only))
        if place is not None:
            return kind, place
    return None


def places_of(school_id):
    """[(kind, place)] of every registered kind, for the poster pack and its page."""
    return [(kind, place) for kind in station_kinds.kinds() for place in kind.places_of(school_id)]


def replace_code(actor, kind, place):
    """A new code for the place: the old poster opens nothing any more (a public page's: both
    public pages' posters, which share the school's token)."""
    setattr(place, kind.code_attribute, new_station_code())
    db.session.flush()
    school_id = place.id if kind.public_endpoint else place.school_id
    audit.record(actor, f"{type(place).__tablename__}.code_replaced", place, school_id=school_id)
