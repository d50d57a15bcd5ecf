"""No record for a locked day from outside the portal: an INSERT into a day-locked ledger whose
record is locked already (its day is over) is refused unless the portal's own connection
writes it (and audits it), on both databases.

Revision ID: 0021_no_back_dated_records
Revises: 0020_kept_file_contents
Create Date: 2026-12-06 03:00:00

"""
from migrations.shared import allow_back_dated_records, refuse_back_dated_records

# revision identifiers, used by Alembic.
revision = '0021_no_back_dated_records'
down_revision = '0020_kept_file_contents'
branch_labels = None
depends_on = None

# Every ledger that locks with its day, as of this revision.
TABLES = (
    "accompanied_meal", "committee_activity", "core_temperature", "daily_report", "delivery",
    "dorm_check", "dorm_coaching", "enrolment_change", "food_sample", "leftover_weighing",
    "menu_dish", "morning_check", "parent_meal", "prevention_check", "room_disinfection",
    "stock_batch", "stock_disposal", "stock_issue", "subsidy_charge", "survey_action",
    "tableware_disinfection", "temperature_reading",
)


def upgrade():
    refuse_back_dated_records(TABLES)


def downgrade():
    allow_back_dated_records(TABLES)
