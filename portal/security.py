"""What every response and session carries: security headers, the client's real address
behind a proxy, and sessions that end when idle or old.

- Headers by Flask-Talisman: a Content-Security-Policy that allows the portal's own
  scripts, styles, images and fonts and nothing inline (Flask-Admin's inline handlers are
  given their behaviour by static/js/portal-admin.js), no framing by anyone, nosniff, a
  same-origin referrer. HTTPS is not forced: schools often serve plain http on their LAN
  (set SESSION_COOKIE_SECURE and FORCE_HTTPS behind https).
- Behind a reverse proxy every client would have the proxy's address (and share its
  password allowance); PROXY_COUNT trusts X-Forwarded-For from that many proxies only.
- A session ends after SESSION_IDLE_MINUTES without a request and SESSION_MAX_DAYS after
  its login, whichever comes first.
"""

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

LOGGED_IN_AT = "logged_in_at"
SEEN_AT = "seen_at"

talisman = Talisman()


def init_app(app):
    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "microphone": "()", "camera": "(self)"},
    )
    app.before_request(end_old_sessions)


def start_session():
    """At login: the clocks of the new session start."""
    session[LOGGED_IN_AT] = session[SEEN_AT] = time.time()


def end_old_sessions():
    if not current_user.is_authenticated:
        return None
    now = time.time()
    idle = now - session.get(SEEN_AT, 0) > current_app.config["SESSION_IDLE_MINUTES"] * 60
    old = now - session.get(LOGGED_IN_AT, 0) > current_app.config["SESSION_MAX_DAYS"] * 86400
    if idle or old:
        logout_user()
        session.clear()
        flash(_l("Your session ended after a time without use. Please log in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if now - session.get(SEEN_AT, 0) > 60:  # a minute's precision spares rewriting the cookie on every request
        session[SEEN_AT] = now
    return None
