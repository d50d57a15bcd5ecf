"""Error pages in the user's language. Nothing reaches the user as a bare 500."""

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from .extensions import db
from .models.ledger import LockedRecordError
from .services.ledgers import LOCKED


def _page(status, title, message):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(
            400,
            _("The form has expired"),
            _("For your safety the form could not be sent. Go back, reload the page and send it again."),
        )

    @app.errorhandler(LockedRecordError)
    def locked_record(error):
        db.session.rollback()
        return _page(409, _("The record is locked"), str(LOCKED))

    @app.errorhandler(400)
    def bad_request(error):
        return _page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(403)
    def forbidden(error):
        return _page(403, _("Not allowed"), _("Your role does not allow this page or action."))

    @app.errorhandler(404)
    def not_found(error):
        return _page(404, _("Not found"), _("This page or record does not exist."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _page(405, _("Not allowed"), _("This page cannot be used this way."))

    @app.errorhandler(413)
    def too_large(error):
        return _page(
            413,
            _("The upload is too large"),
            _("Go back: what you typed is still in the form. Choose a smaller file and send it again."),
        )

    @app.errorhandler(429)
    def too_many(error):
        return _page(429, _("Too many requests"), _("Please wait a moment and try again."))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _page(500, _("Something went wrong"), _("The error was logged. Please try again later."))
