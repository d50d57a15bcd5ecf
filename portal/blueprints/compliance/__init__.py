from flask import Blueprint

bp = Blueprint("compliance", __name__, template_folder="templates")

from . import national_holidays, views  # noqa: E402,F401
