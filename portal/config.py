"""Configuration: defaults -> instance/config.py -> PORTAL_* environment -> test mapping."""

import os

MIN_SECRET_KEY_LENGTH = 32


class DefaultConfig:
    # Set SECRET_KEY in instance/config.py or PORTAL_SECRET_KEY; the app refuses to start without one.
    SECRET_KEY = None
    # Keys the audit trail's hashes (HMAC). Keep it outside the database, apart from
    # SECRET_KEY, and never change it: set it in instance/config.py or PORTAL_AUDIT_KEY.
    AUDIT_KEY = None
    # Empty means the embedded SQLite file instance/portal.sqlite3.
    DATABASE_URL = ""
    SQLITE_BUSY_TIMEOUT_MS = 5000

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Schools often serve plain http on a LAN; set True behind https.
    SESSION_COOKIE_SECURE = False
    # Re-authentication is needed for user management when the last password entry is older.
    FRESH_LOGIN_MINUTES = 15
    # A session ends after this long without a request, and this long after its login.
    SESSION_IDLE_MINUTES = 8 * 60
    SESSION_MAX_DAYS = 7
    # Behind https: redirect http to https and send Strict-Transport-Security.
    FORCE_HTTPS = False

    # "default" is argon2-cffi's RFC 9106 low-memory profile; tests use "cheap".
    PASSWORD_HASH_PROFILE = "default"  # noqa: S105 - a profile name, not a password
    MIN_PASSWORD_LENGTH = 8

    # Wrong passwords allowed, as (attempts, seconds), wherever a password is checked (see
    # portal/throttle.py). A browser the account logged in on before has its own allowance;
    # browsers it never used count per account, per address, and per account and address.
    PASSWORD_THROTTLE = True
    PASSWORD_LIMIT_DEVICE = (10, 15 * 60)
    PASSWORD_LIMIT_ACCOUNT = (10, 15 * 60)
    PASSWORD_LIMIT_ADDRESS = (50, 15 * 60)
    PASSWORD_LIMIT_ACCOUNT_AND_ADDRESS = (5, 5 * 60)
    # How long a browser stays a known device of an account after its last login.
    DEVICE_COOKIE_DAYS = 365
    # Behind a reverse proxy: how many proxies set X-Forwarded-For. 0 trusts no header, so
    # every client has the address it connects from (set it to 1 behind nginx).
    PROXY_COUNT = 0

    # Where rate limits (Flask-Limiter) are counted: "memory://" counts in each process (a
    # school PC's one server); a county or city server whose several workers must count
    # together sets Redis, e.g. redis://127.0.0.1:6379/1.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    # Survey answers stored from one network address for one survey. A class answering on
    # the school's Wi-Fi shares one address: leave room for it.
    SURVEY_ANSWERS_PER_ADDRESS = "60 per hour"
    # Complaints (校园食安码) stored from one network address for one school.
    COMPLAINTS_PER_ADDRESS = "10 per hour"
    # The results page shows where this many answers came from one address within so many minutes.
    SURVEY_BURST_ANSWERS = 10
    SURVEY_BURST_MINUTES = 10

    # A hard cap on any request body; per-field limits below give friendlier messages.
    MAX_CONTENT_LENGTH = 40 * 1024 * 1024
    UPLOAD_LIMIT_MATERIAL_MB = 20
    UPLOAD_LIMIT_SCAN_MB = 5
    UPLOAD_LIMIT_PHOTO_MB = 15
    # Pictures larger than this are refused before they are decoded (a phone's camera makes
    # 12 to 50 megapixels; 40 keeps memory per upload bounded).
    UPLOAD_MAX_MEGAPIXELS = 40
    # An uploaded workbook (the roster, the bed list) is refused when its parts would inflate
    # to more than this: a register export of 3,000 students inflates to 0.8 MB, one of
    # 20,000 (the most rows read) to 5.4 MB.
    WORKBOOK_LIMIT_MB = 20

    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = {"zh_Hans_CN": "简体中文", "en": "English"}

    # Set MAIL_SERVER to email notifications (from `flask inspections tick`); without it
    # the portal notifies in-app only.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_SENDER = "portal@localhost"
    # The address people reach the portal at, for links in emails and group chat messages.
    PORTAL_BASE_URL = ""
    # Group robots (WeCom, DingTalk) are reached at their own hosts; a county network's relay
    # can be named per platform: {"wecom": "https://relay.example.cn"}.
    GROUP_CHAT_ORIGINS = {}

    EXPORT_MAX_ROWS = 5000

    # Background work (portal/queue.py): empty means a SQLite file of its own in the instance
    # folder (a school PC); redis://127.0.0.1:6379/0 on a county server; "immediate" runs every
    # job at once where it is asked for (the tests).
    QUEUE_URL = ""
    # Jobs the worker runs at once (freezing, exports): the others wait their turn.
    QUEUE_WORKERS = 2
    # The routine (portal/routine.py) runs once in each period of this many minutes, however
    # many servers run a queue worker.
    ROUTINE_MINUTES = 5
    # The county's tables show this many schools a page (a city may have 2,000).
    COUNTY_SCHOOLS_PER_PAGE = 100
    # Within one export, the summary sections render side by side in this many processes.
    EVIDENCE_RENDER_PROCESSES = 2
    # The longest period one export covers, in days.
    EVIDENCE_MAX_DAYS = 400
    # Largest file the verification page accepts, in MB.
    EVIDENCE_VERIFY_LIMIT_MB = 300
    # The most a bundle's attached manifest may inflate to when it is read back, in MB.
    EVIDENCE_MANIFEST_LIMIT_MB = 50
    ADMIN_PAGE_SIZE = 20
    FLASK_ADMIN_SWATCH = "default"
    FLASK_ADMIN_FLUID_LAYOUT = True


def load(app, test_config=None):
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.from_mapping(test_config)

    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app)
    app.config.setdefault("UPLOAD_FOLDER", os.path.join(app.instance_path, "uploads"))
    app.config.setdefault("EVIDENCE_FOLDER", os.path.join(app.instance_path, "evidence"))
    app.config.setdefault("EVIDENCE_FONT_DIR", os.path.join(os.path.dirname(app.root_path), "vendor", "fonts"))
    _require_secret_key("SECRET_KEY", app.config.get("SECRET_KEY"))
    _require_secret_key("AUDIT_KEY", app.config.get("AUDIT_KEY"))
    if app.config["AUDIT_KEY"] == app.config["SECRET_KEY"]:
        raise RuntimeError("AUDIT_KEY must differ from SECRET_KEY: whoever holds one must not hold the other.")


def database_url(app):
    url = app.config.get("DATABASE_URL") or ""
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "portal.sqlite3")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _require_secret_key(name, value):
    if not value or len(str(value)) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(
            f"{name} is missing or shorter than "
            f"{MIN_SECRET_KEY_LENGTH} characters. Set it in instance/config.py or as "
            f"PORTAL_{name}, for example: "
            "python -c 'import secrets; print(secrets.token_hex(32))'"
        )
