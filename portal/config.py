"""Configuration: defaults -> instance/config.py -> PORTAL_* environment -> test mapping."""

import os

MIN_SECRET_KEY_LENGTH = 32


class DefaultConfig:
    # Set SECRET_KEY in instance/config.py or PORTAL_SECRET_KEY; the app refuses to start without one.
    SECRET_KEY = None
    # Empty means the embedded SQLite file instance/portal.sqlite3.
    DATABASE_URL = ""
    SQLITE_BUSY_TIMEOUT_MS = 5000

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Schools often serve plain http on a LAN; set True behind https.
    SESSION_COOKIE_SECURE = False
    # Re-authentication is needed for user management when the last password entry is older.
    FRESH_LOGIN_MINUTES = 15

    # "default" is argon2-cffi's RFC 9106 low-memory profile; tests use "cheap".
    PASSWORD_HASH_PROFILE = "default"  # noqa: S105 - a profile name, not a password
    MIN_PASSWORD_LENGTH = 8

    # Failed logins: per account and address, per account, per address.
    LOGIN_LIMIT_ACCOUNT_AND_ADDRESS = "5 per 5 minutes"
    LOGIN_LIMIT_ACCOUNT = "20 per 15 minutes"
    LOGIN_LIMIT_ADDRESS = "50 per 15 minutes"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = False

    # A hard cap on any request body; per-field limits below give friendlier messages.
    MAX_CONTENT_LENGTH = 40 * 1024 * 1024
    UPLOAD_LIMIT_MATERIAL_MB = 20
    UPLOAD_LIMIT_SCAN_MB = 5
    UPLOAD_LIMIT_PHOTO_MB = 15

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
    # The address people reach the portal at, for links in emails.
    PORTAL_BASE_URL = ""

    EXPORT_MAX_ROWS = 5000

    # Evidence: exports run in a process of their own (xhtml2pdf renders one document at a
    # time per process); at most this many at once, the others wait their turn.
    EVIDENCE_MAX_RUNNING = 2
    # Within one export, the summary sections render side by side in this many processes.
    EVIDENCE_RENDER_PROCESSES = 2
    # The longest period one export covers, in days.
    EVIDENCE_MAX_DAYS = 400
    # Largest file the verification page accepts, in MB.
    EVIDENCE_VERIFY_LIMIT_MB = 300
    # Tests run exports in-process instead of in a child process.
    EVIDENCE_INLINE = False
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
    _require_secret_key(app.config.get("SECRET_KEY"))


def database_url(app):
    url = app.config.get("DATABASE_URL") or ""
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "portal.sqlite3")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _require_secret_key(secret_key):
    if not secret_key or len(str(secret_key)) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(
            "SECRET_KEY is missing or shorter than "
            f"{MIN_SECRET_KEY_LENGTH} characters. Set it in instance/config.py or as "
            "PORTAL_SECRET_KEY, for example: "
            "python -c 'import secrets; print(secrets.token_hex(32))'"
        )
