"""Row scoping: the one place that decides which school's rows a user may see.

Used by admin views, blueprints, exports and the CLI. A county user (no school, county
role) reads across schools; everyone else sees their own school's rows only. A row of
another school is a 404, never a 403 that would confirm it exists.
"""

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user

from .extensions import db
from .models.school import School
from .models.tenancy import CountyWide
from .permissions import reads_all_schools


def school_column(model):
    return model.id if model is School else model.school_id


def scope(query, model, user=None):
    """Restrict a ``select()`` or legacy ``Query`` to rows ``user`` may see."""
    user = user if user is not None else current_user
    if reads_all_schools(user) or (issubclass(model, CountyWide) and user.is_authenticated):
        return query
    if not user.is_authenticated or user.school_id is None:
        return query.where(sa.false())
    return query.where(school_column(model) == user.school_id)


def is_visible(record, user=None):
    user = user if user is not None else current_user
    if reads_all_schools(user) or (isinstance(record, CountyWide) and user.is_authenticated):
        return True
    school_id = record.id if isinstance(record, School) else record.school_id
    return user.is_authenticated and school_id is not None and school_id == user.school_id


def parse_id(value):
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def get_or_404(model, record_id, user=None):
    record_id = parse_id(record_id)
    record = db.session.get(model, record_id) if record_id is not None else None
    if record is None or not is_visible(record, user):
        abort(404)
    return record


def chosen_school():
    """The school a page is about: the user's own, or for a county user the one named by
    ``?school=`` (None until they choose one)."""
    if not reads_all_schools(current_user):
        return current_user.school
    school_id = request.args.get("school")
    return get_or_404(School, school_id) if school_id else None
