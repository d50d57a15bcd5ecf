# Copy to instance/config.py (make run creates one with random keys) and adjust.
# Every setting can also come from the environment as PORTAL_<NAME>, which wins over this file.

# Required: at least 32 random characters each, different from each other.
# python -c "import secrets; print(secrets.token_hex(32))"
SECRET_KEY = "change-me"
# Keys the audit trail's hashes. Keep it out of the database and its backups; never change it.
AUDIT_KEY = "change-me-too"

# Empty: the embedded SQLite file instance/portal.sqlite3. A county-wide deployment uses PostgreSQL:
# DATABASE_URL = "postgresql+psycopg://portal:password@127.0.0.1:5432/portal"

# Background work (`flask queue worker`): empty means a SQLite queue of its own,
# instance/queue.sqlite3. A county server uses Redis:
# QUEUE_URL = "redis://127.0.0.1:6379/0"
# QUEUE_WORKERS = 2   # jobs at once (freezing, exports)

# Behind https, send the session cookie over https only, and redirect http to https.
# SESSION_COOKIE_SECURE = True
# FORCE_HTTPS = True

# Behind nginx (one proxy): trust its X-Forwarded-For, and no other.
# PROXY_COUNT = 1

# A session ends after this long without use, and this long after its login.
# SESSION_IDLE_MINUTES = 480
# SESSION_MAX_DAYS = 7

# Minutes a password entry counts as recent for user and role management.
# FRESH_LOGIN_MINUTES = 15

# Wrong passwords allowed, as (attempts, seconds): a browser the account logged in on before has
# its own allowance; browsers it never used count per account, per address, per both.
# PASSWORD_LIMIT_DEVICE = (10, 900)
# PASSWORD_LIMIT_ACCOUNT = (10, 900)
# PASSWORD_LIMIT_ADDRESS = (50, 900)
# PASSWORD_LIMIT_ACCOUNT_AND_ADDRESS = (5, 300)

# Where limits per network address are counted: in each process by default; with several
# workers (a county server) in Redis, so that they count together.
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/1"
# Survey answers one network address may send to one survey (a class on the school's Wi-Fi
# shares one address), and when the results page shows a burst.
# SURVEY_ANSWERS_PER_ADDRESS = "60 per hour"
# SURVEY_BURST_ANSWERS = 10
# SURVEY_BURST_MINUTES = 10

# The most an uploaded workbook's parts may inflate to, in MB.
# WORKBOOK_LIMIT_MB = 20

# Upload limits in MB, and the most rows an admin export writes.
# UPLOAD_LIMIT_MATERIAL_MB = 20
# UPLOAD_LIMIT_SCAN_MB = 5
# Pictures above this many megapixels are refused before they are decoded.
# UPLOAD_MAX_MEGAPIXELS = 40
# EXPORT_MAX_ROWS = 5000
