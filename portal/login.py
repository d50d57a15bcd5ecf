"""Flask-Login wiring: sessions that can be revoked, and freshness that expires."""

import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user

from .extensions import db, login_manager
from .models.user import User

FRESH_AT = "fresh_at"


class AnonymousUser(AnonymousUserMixin):
    school_id = None
    school = None
    locale = None
    roles = frozenset()

    def can(self, permission):
        return False

    def has_role(self, *roles):
        return False


@login_manager.user_loader
def load_user(session_token):
    """The session stores the user's session token, not the id: rotating the token
    (logout, password change, deactivation) ends every copy of the session cookie."""
    user = db.session.scalar(sa.select(User).where(User.session_token == session_token))
    if user is None or not user.active:
        return None
    return user


def current_actor():
    """The logged-in user as a plain object, for services and the audit trail."""
    return current_user._get_current_object()


def mark_fresh():
    session[FRESH_AT] = time.time()


def expire_freshness():
    """Flask-Login keeps a session fresh forever; here it lasts FRESH_LOGIN_MINUTES."""
    fresh_at = session.get(FRESH_AT, 0)
    if session.get("_fresh") and time.time() - fresh_at > current_app.config["FRESH_LOGIN_MINUTES"] * 60:
        session["_fresh"] = False


def is_safe_redirect(target):
    """Only paths of this site: rejects //evil.com, /\\evil.com, schemes and hosts."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


# While an administrator's password stands, only these pages open.
OPEN_WITH_A_RESET_PASSWORD = frozenset({"auth.change_password", "auth.logout", "auth.set_language", "static"})


def require_own_password():
    """Someone else set this password: the owner chooses their own before anything else."""
    if not current_user.is_authenticated or not current_user.password_reset_required:
        return None
    if request.endpoint in OPEN_WITH_A_RESET_PASSWORD or (request.endpoint or "").endswith(".static"):
        return None
    flash(_l("An administrator set your password. Choose your own password to continue."), "warning")
    return redirect(url_for("auth.change_password"))


def init_app(app):
    login_manager.init_app(app)
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.refresh_view = "auth.reauthenticate"
    login_manager.needs_refresh_message = _l("Please enter your password again to continue.")
    login_manager.needs_refresh_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(expire_freshness)
    app.before_request(require_own_password)
