"""Per-endpoint request size limits. Registered before CSRF protection, which reads the
form (and would apply the general MAX_CONTENT_LENGTH) before any view-level hook runs."""

from flask import current_app, request

# Endpoints that take larger files than MAX_CONTENT_LENGTH, and the setting (MB) for each.
LARGER_LIMITS = {"evidence.verify_evidence_file": "EVIDENCE_VERIFY_LIMIT_MB"}


def apply_endpoint_limit():
    setting = LARGER_LIMITS.get(request.endpoint or "")
    if setting:
        request.max_content_length = current_app.config[setting] * 1024 * 1024


def init_app(app):
    app.before_request(apply_endpoint_limit)
