from flask import Blueprint

bp = Blueprint("nutrition", __name__, template_folder="templates")

from . import reports, subsidy, views  # noqa: E402,F401
