"""The kinds of station, each registered by the blueprint whose form it opens (a fridge by the
storeroom's, a dormitory room by the dormitory's). This registry knows no kind; the poster pack
and the scan (blueprints/stations/) loop over it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StationKind:
    key: str
    model: type  # has models.station.Station's code (a public page: the school's public token)
    label: object  # what the place is: 冰箱/冰柜, 宿舍
    permission: object  # who records there
    # (the place) -> the address of its form with the place already chosen.
    record_url: object
    # (the place) -> what to record there and how often, for its poster.
    what_to_record: object
    # (school id) -> the school's places of this kind, in the poster pack's order.
    places_of: object
    # Narrows ``model`` to this kind's places, where two kinds share a table (the cabinets).
    only: object = None
    # A public page's endpoint, taking the school's public token: its poster is read without a
    # login, names the page rather than a place, and is not opened through /at/<code>.
    public_endpoint: str | None = None

    @property
    def code_attribute(self):
        return "public_token" if self.public_endpoint else "station_code"

    def title(self, place):
        """What a poster says at its top: the place, or the public page."""
        return self.label if self.public_endpoint else str(place)


KINDS = {}


def register(kind):
    if kind.key in KINDS:
        raise ValueError(f"a station kind is registered twice: {kind.key}")
    KINDS[kind.key] = kind
    return kind


def kinds():
    return list(KINDS.values())
