"""The endpoint guard, with the one role -> permission table (models/access.py) and its checks.

Every endpoint declares what it needs: blueprint views with ``@requires(...)``,
``@public`` or ``@login_required_only``; Flask-Admin views through their
``read_permission`` / ``write_permission`` (registered by ``portal.admin``).
``enforce_endpoint_permission`` runs before every request and refuses an endpoint that
declared nothing (fail closed). Templates, admin views and tests ask the same
``has_permission``.
"""

import enum

from flask import abort, current_app, request
from flask_login import current_user

from .extensions import login_manager
from .models.access import (  # noqa: F401 - the table and its checks, asked through this module
    DESIGNATION_PERMISSIONS,
    GRANTABLE_DESIGNATIONS,
    GRANTABLE_ROLES,
    READ_EVERYTHING,
    ROLE_PERMISSIONS,
    Permission,
    grantable_designations,
    grantable_roles,
    has_permission,
    may_manage,
    permissions_of,
    reads_all_schools,
    roles_with,
)

# --- endpoint declarations -------------------------------------------------------------


class Access(enum.Enum):
    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    # Declared, and refused to everyone (a read-only admin view's edit page).
    NOBODY = "nobody"


_ATTRIBUTE = "required_permission"


def requires(permission):
    def decorate(view):
        setattr(view, _ATTRIBUTE, Permission(permission))
        return view

    return decorate


def public(view):
    setattr(view, _ATTRIBUTE, Access.PUBLIC)
    return view


def login_required_only(view):
    setattr(view, _ATTRIBUTE, Access.AUTHENTICATED)
    return view


def register_endpoint(app, endpoint, requirement):
    """For endpoints that are not plain view functions (Flask-Admin's)."""
    app.extensions.setdefault("endpoint_permissions", {})[endpoint] = requirement


def requirement_for(app, endpoint):
    """What ``endpoint`` declared, or None when it declared nothing."""
    if endpoint == "static" or endpoint.endswith(".static"):
        return Access.PUBLIC
    registered = app.extensions.get("endpoint_permissions", {})
    if endpoint in registered:
        return registered[endpoint]
    view = app.view_functions.get(endpoint)
    return getattr(view, _ATTRIBUTE, None)


def enforce_endpoint_permission():
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404 handler answers
    requirement = requirement_for(current_app, endpoint)
    if requirement is None:
        current_app.logger.error("endpoint %s declares no permission: refused", endpoint)
        abort(403)
    if requirement is Access.PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if requirement is Access.AUTHENTICATED:
        return None
    if requirement is Access.NOBODY or not current_user.can(requirement):
        abort(403)
    return None


def require_permission(permission):
    """For checks inside a view (a button that needs more than the page does)."""
    if not current_user.can(permission):
        abort(403)


def init_app(app):
    app.before_request(enforce_endpoint_permission)

    @app.context_processor
    def permission_helpers():
        return {"can": lambda permission: current_user.can(permission), "Permission": Permission}
