"""Languages and time zones: Simplified Chinese first, English second; school time."""

from datetime import time, timedelta

from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_decimal, format_time, get_locale, gettext
from flask_login import current_user

from .extensions import babel
from .timeutil import zone

SESSION_KEY = "locale"


def select_locale():
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get(SESSION_KEY) in languages:
        return session[SESSION_KEY]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def viewer_zone():
    """The zone the viewer reads and types times in: their school's, or the default."""
    school = current_user.school if has_request_context() and current_user.is_authenticated else None
    return zone(school)


def select_timezone():
    # A name: flask-babel converts it to pytz for its own formatting. Our own
    # conversions use viewer_zone() (zoneinfo), which datetime.replace() gets right.
    return viewer_zone().key


def html_lang():
    return "zh-CN" if str(get_locale()).startswith("zh") else "en"


def date_filter(value):
    return format_date(value, "long") if value else ""


def month_filter(value):
    """The month of a date, as a reader of the locale writes it (2026年10月, October 2026)."""
    return format_date(value, "yMMMM") if value else ""


def datetime_filter(value, school=None):
    """An aware UTC datetime in the viewer's school time, or in ``school``'s when given
    (evidence rendered in the background, where nobody is logged in)."""
    if not value:
        return ""
    if school is not None:
        local = value.astimezone(zone(school))
        return f"{format_date(local.date(), 'long')} {local:%H:%M}"
    return f"{format_date(value, 'long')} {format_time(value, 'HH:mm')}"


def deadline_text(value, school=None):
    """A due moment in school time; one at midnight is the end of the day before, as notices
    write it (2026年12月10日 24:00, not 12月11日 00:00 for a certificate valid through the 10th)."""
    local = value.astimezone(zone(school) if school is not None else viewer_zone())
    if local.time() == time(0):
        return f"{format_date(local.date() - timedelta(days=1), 'long')} 24:00"
    return datetime_filter(value, school)


def duration_text(seconds):
    """A time as the forms ask for it: whole minutes in minutes, anything shorter in seconds."""
    if seconds % 60 == 0:
        return gettext("%(minutes)d minutes", minutes=seconds // 60)
    return gettext("%(seconds)d seconds (%(minutes)s minutes)", seconds=seconds, minutes=f"{seconds / 60:.1f}")


def amount_filter(value):
    """A measured amount as people write it: 125.5, and 130 rather than 130.0."""
    return format_decimal(value, "0.#") if value is not None else ""


def label_filter(value):
    return getattr(value, "label", value if value is not None else "")


def init_app(app):
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["deadline"] = deadline_text
    app.jinja_env.filters["month"] = month_filter
    app.jinja_env.filters["label"] = label_filter
    app.jinja_env.filters["amount"] = amount_filter
    app.jinja_env.filters["duration"] = duration_text

    @app.context_processor
    def language_context():
        return {
            "html_lang": html_lang(),
            "languages": current_app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            # Evidence is rendered outside any request (a background export).
            "request_path": request.full_path.rstrip("?") if has_request_context() else "/",
        }
