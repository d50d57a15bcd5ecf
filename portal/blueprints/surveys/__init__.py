from flask import Blueprint

bp = Blueprint("surveys", __name__, template_folder="templates")

from . import public, views  # noqa: E402, F401 - the routes register themselves
