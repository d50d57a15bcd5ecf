"""A place where a record is made (a fridge, a dormitory room) carries a station code, printed on
its poster as a QR code: scanning it with a logged-in phone opens that place's form. The code is
random, names no school and no record, opens nothing without a login, and can be replaced when a
poster is torn down or photographed (services/stations.py)."""

import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from .types import label


def new_station_code():
    return secrets.token_urlsafe(9)


class Station:
    station_code: Mapped[str] = mapped_column(
        sa.String(32),
        default=new_station_code,
        server_default="",
        index=True,
        unique=True,
        info=label(_l("Station code")),
    )
