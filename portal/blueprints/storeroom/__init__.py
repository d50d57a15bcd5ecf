from flask import Blueprint

bp = Blueprint("storeroom", __name__, template_folder="templates")

from . import station, stocktake, temperatures, unit_month, views  # noqa: E402,F401
