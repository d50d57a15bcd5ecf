from flask import Blueprint

bp = Blueprint("canteen", __name__, template_folder="templates")

from . import additives, clean_plate, committee, cooking, deliveries, food_safety, incidents, pesticide, rooms, views  # noqa: E402,F401
