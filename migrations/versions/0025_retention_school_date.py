"""A ledger record's retention ends on the school's own date, in the database's guard as in
the portal: PostgreSQL reads the school's time zone; SQLite, which has none, lets the latest
date any school can have decide (the portal checks the school's date exactly). Before, both
used the UTC date, which refused a deletion the portal allowed from midnight to 08:00 in
Shanghai on the record's last day of retention.

Revision ID: 0025_retention_school_date
Revises: 0024_county_subsidy_tolerance
Create Date: 2026-12-06 07:00:00

"""
from alembic import op

from migrations.shared import POSTGRESQL_LEDGER_FUNCTION, refuse_deletion_within_retention

# revision identifiers, used by Alembic.
revision = '0025_retention_school_date'
down_revision = '0024_county_subsidy_tolerance'
branch_labels = None
depends_on = None

# Every ledger table, as of this revision.
TABLES = (
    "accompanied_meal", "committee_activity", "core_temperature", "daily_report", "delivery",
    "dorm_check", "dorm_coaching", "enrolment_change", "food_sample", "leftover_weighing",
    "menu_dish", "morning_check", "parent_meal", "prevention_check", "room_disinfection",
    "stock_batch", "stock_disposal", "stock_issue", "subsidy_charge", "survey_action",
    "tableware_disinfection", "temperature_reading",
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_LEDGER_FUNCTION)  # CREATE OR REPLACE: every table's trigger calls it
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_kept_delete")
        refuse_deletion_within_retention(table)


def downgrade():
    """Nothing to undo: the guard by the school's date is the right one at any revision."""
