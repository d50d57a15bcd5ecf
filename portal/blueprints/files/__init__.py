from flask import Blueprint

bp = Blueprint("files", __name__)

from . import views  # noqa: E402,F401
