# Copy to instance/config.py (make run creates one with a random SECRET_KEY) and adjust.
# Every setting can also come from the environment as PORTAL_<NAME>, which wins over this file.

# Required: at least 32 random characters. python -c "import secrets; print(secrets.token_hex(32))"
SECRET_KEY = "change-me"

# Empty: the embedded SQLite file instance/portal.sqlite3. A county-wide deployment uses PostgreSQL:
# DATABASE_URL = "postgresql+psycopg://portal:password@127.0.0.1:5432/portal"

# Behind https, send the session cookie over https only.
# SESSION_COOKIE_SECURE = True

# Minutes a password entry counts as recent for user and role management.
# FRESH_LOGIN_MINUTES = 15

# Failed-login limits (per account and address, per account, per address).
# LOGIN_LIMIT_ACCOUNT_AND_ADDRESS = "5 per 5 minutes"
# LOGIN_LIMIT_ACCOUNT = "20 per 15 minutes"
# LOGIN_LIMIT_ADDRESS = "50 per 15 minutes"

# Upload limits in MB, and the most rows an admin export writes.
# UPLOAD_LIMIT_MATERIAL_MB = 20
# UPLOAD_LIMIT_SCAN_MB = 5
# EXPORT_MAX_ROWS = 5000
