from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")

from . import complaints, notice  # noqa: E402, F401 - the routes register themselves
