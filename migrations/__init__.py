"""Alembic, through Flask-Migrate; shared.py holds what the revisions share."""
