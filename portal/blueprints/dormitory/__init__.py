from flask import Blueprint

bp = Blueprint("dormitory", __name__, template_folder="templates")

from . import notices, station, views  # noqa: E402, F401 - the routes register themselves
