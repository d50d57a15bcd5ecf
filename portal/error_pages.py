"""Error pages in the user's language. Nothing reaches the user as a bare 500."""

import errno
import sqlite3

import sqlalchemy as sa
from flask import current_app, g, render_template
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
        if error.response is not None:  # a limit that answers with its own page (a survey's)
            return error.response
        return _page(429, _("Too many requests"), _("Please wait a moment and try again."))

    @app.errorhandler(OSError)
    @app.errorhandler(sqlite3.OperationalError)  # the queue's own SQLite file
    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InternalError)
    def storage_error(error):
        """A disk that is full or read-only, or a database too busy to answer: a page that
        says so (503), nothing half-written (the transaction is rolled back, files are
        written whole or not at all), and the form still in the browser behind it."""
        db.session.rollback()
        g.reading = True  # the page itself only reads: never BEGIN IMMEDIATE on a disk that refuses
        cause = cannot_save(error)
        if cause is None:
            raise error
        current_app.logger.error("cannot save: %s", error)
        if cause == "busy":
            return _page(
                503,
                _("The server is busy"),
                _("Too many people are saving at once. Go back and send the form again in a moment."),
            )
        return _page(
            503,
            _("The server cannot save right now"),
            _(
                "Its disk is full or cannot be written to. Nothing was saved. Please tell the administrator; "
                "go back, and what you typed is still in the form."
            ),
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _page(500, _("Something went wrong"), _("The error was logged. Please try again later."))


# What the databases and the operating system say when nothing more can be written.
FULL_OR_READ_ONLY = (
    "database or disk is full",
    "disk i/o error",
    "readonly database",
    # SQLite cannot open the file or make its journal beside it: a read-only file system.
    "unable to open database file",
    "read-only transaction",
    "no space left on device",
    "could not extend file",
    "could not write",
)
NO_SPACE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT}


def cannot_save(error):
    """ "full" for a full or read-only disk, "busy" for a locked SQLite database, else None."""
    if isinstance(error, OSError) and error.errno in NO_SPACE_ERRNOS:
        return "full"
    text = str(getattr(error, "orig", error)).lower()
    if any(words in text for words in FULL_OR_READ_ONLY):
        return "full"
    if "database is locked" in text:
        return "busy"
    return None
