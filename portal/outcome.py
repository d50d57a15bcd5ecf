"""Running a service from a view: commit when it worked, roll back and say why when not."""

from flask import flash
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .errors import DomainError
from .extensions import db

STALE = _l("Someone else saved this at the same time. Reload the page and try again.")
CONFLICT = _l("The record conflicts with an existing one or is still in use.")


def attempt(service_call):
    """Returns None when the change was committed, or the message to show the user."""
    try:
        service_call()
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return exc.message
    except StaleDataError:
        db.session.rollback()
        return STALE
    except IntegrityError:  # a unique rule the service did not foresee (two people, one moment)
        db.session.rollback()
        return CONFLICT
    return None


def attempt_on_form(form, service_call):
    """``attempt``, with a refusal shown beside the field it names (``row-field`` inside a
    FormField), else flashed. True when the change was committed."""
    refusals = []

    def call():
        try:
            service_call()
        except DomainError as exc:
            refusals.append(exc)
            raise

    problem = attempt(call)
    if problem is None:
        return True
    field = _field(form, refusals[0].field) if refusals else None
    if field is None:
        flash(problem, "error")
    else:
        field.errors = [*field.errors, problem]
    return False


def _field(form, name):
    for part in (name or "").split("-") if name else ():
        form = getattr(form, part, None)
        if form is None:
            return None
        form = getattr(form, "form", form)  # a FormField's rows
    return form if name else None
