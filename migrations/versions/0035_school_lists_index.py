"""A school's lists read its own rows only: every school-owned table is indexed on (school_id, id)
in place of (school_id) alone, so a list newest first on a county server of 200 schools walks
one school's rows (the food samples list scanned 974,304 rows of the other schools before).
Indexes only: no table is rebuilt, so the ledgers' triggers stay as they are.

Revision ID: 0035_school_lists_index
Revises: 0034_routine_once
Create Date: 2026-12-06 12:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0035_school_lists_index'
down_revision = '0034_routine_once'
branch_labels = None
depends_on = None

TABLES = (
    'accompanied_meal', 'additive', 'additive_use', 'assignment', 'cadence_rule', 'calendar_day',
    'canteen_room', 'certificate', 'certificate_kind', 'checklist_entry', 'checklist_template',
    'checklist_version', 'cold_unit', 'committee_activity', 'committee_member', 'complaint',
    'core_temperature', 'daily_report', 'delivery', 'delivery_item', 'dispatch_meeting', 'dorm_bed',
    'dorm_check', 'dorm_coaching', 'dorm_room', 'dorm_standard_item', 'emergency_drill', 'enrolment_change',
    'evidence_export', 'finding', 'food_incident', 'food_sample', 'group_message', 'ingredient_rule',
    'inspection', 'inspection_amendment', 'inspection_evidence', 'inspection_item', 'inspection_photo',
    'ledger_amendment', 'leftover_weighing', 'menu_dish', 'morning_check', 'notification', 'parent_meal',
    'pesticide_test', 'prevention_check', 'reconciliation', 'rectification_task', 'reminder',
    'reminder_rule', 'reminder_settings', 'risk_report', 'room_disinfection', 'rule', 'rule_acknowledgement',
    'rule_version', 'school_class', 'stock_batch', 'stock_disposal', 'stock_issue', 'stock_item',
    'stocktake', 'stocktake_line', 'stored_file', 'student', 'subsidy_charge', 'supplier',
    'supplier_evaluation', 'survey', 'survey_action', 'survey_answer', 'survey_question', 'survey_response',
    'tableware_disinfection', 'temperature_reading', 'term', 'training_attendance', 'training_session',
)


def upgrade():
    for table in TABLES:
        op.drop_index(f'ix_{table}_school_id', table_name=table)
        op.create_index(f'ix_{table}_school_id_id', table, ['school_id', 'id'])


def downgrade():
    for table in TABLES:
        op.drop_index(f'ix_{table}_school_id_id', table_name=table)
        op.create_index(f'ix_{table}_school_id', table, ['school_id'])
