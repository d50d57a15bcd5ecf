from flask import Blueprint

bp = Blueprint("canteen", __name__, template_folder="templates")

from . import (  # noqa: E402,F401
    additives,
    clean_plate,
    committee,
    complaints,
    cooking,
    deliveries,
    drills,
    food_safety,
    incidents,
    pesticide,
    public_pages,
    rooms,
    station,
    suppliers,
    views,
)
