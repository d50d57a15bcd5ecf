"""Running a service from a view: commit when it worked, roll back and say why when not."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..services.errors import DomainError

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
