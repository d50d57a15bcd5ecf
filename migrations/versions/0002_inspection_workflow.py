"""Inspection workflow: calendar, cadence rules and assignments, versioned checklists,
photos, rectification tasks, sign-off, amendments, notifications; signed inspections frozen
by triggers on PostgreSQL and SQLite.

A later batch migration (SQLite) that recreates one of the frozen tables drops its
triggers: recreate them with create_freeze_triggers(). tests/test_signed_is_frozen.py
fails when they are missing.

Revision ID: 0002_inspection_workflow
Revises: 0001_foundation
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

from migrations.shared import create_freeze_triggers, drop_freeze_triggers

# revision identifiers, used by Alembic.
revision = '0002_inspection_workflow'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('holiday', 'makeup_day', 'canteen_closed', 'canteen_open', name='day_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_calendar_day_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_day')),
    sa.UniqueConstraint('school_id', 'day', name=op.f('uq_calendar_day_school_id_day'))
    )
    with op.batch_alter_table('calendar_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_day_school_id'), ['school_id'], unique=False)

    op.create_table('checklist_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_checklist_template_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_template')),
    sa.UniqueConstraint('school_id', 'name', name=op.f('uq_checklist_template_school_id_name'))
    )
    with op.batch_alter_table('checklist_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_template_school_id'), ['school_id'], unique=False)

    op.create_table('term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_term_ends_after_start')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_term_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_term'))
    )
    with op.batch_alter_table('term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_term_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_term_starts_on'), ['starts_on'], unique=False)

    op.create_table('cadence_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.Enum('county_admin', 'county_auditor', 'school_admin', 'principal', 'director', 'staff', name='cadence_role', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.Enum('day', 'week', name='cadence_period', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('required_count', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(role IS NULL) <> (user_id IS NULL)', name=op.f('ck_cadence_rule_role_or_user')),
    sa.CheckConstraint('required_count BETWEEN 1 AND 7', name=op.f('ck_cadence_rule_required_count_range')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_cadence_rule_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_template.id'], name=op.f('fk_cadence_rule_template_id_checklist_template'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_cadence_rule_user_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadence_rule'))
    )
    with op.batch_alter_table('cadence_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cadence_rule_school_id'), ['school_id'], unique=False)

    op.create_table('checklist_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'superseded', name='checklist_version_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_checklist_version_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_template.id'], name=op.f('fk_checklist_version_template_id_checklist_template'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_version')),
    sa.UniqueConstraint('template_id', 'number', name=op.f('uq_checklist_version_template_id_number'))
    )
    with op.batch_alter_table('checklist_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_version_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_version_template_id'), ['template_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('assignment_due', 'task_assigned', 'task_overdue', 'ready_for_sign_off', 'inspection_returned', name='notification_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('target_endpoint', sa.String(length=64), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_notification_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_notification_dedupe_key'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_school_id'), ['school_id'], unique=False)
        batch_op.create_index('ix_notification_unread', ['user_id', 'read_at'], unique=False)

    op.create_table('checklist_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rule_id'], ['rule.id'], name=op.f('fk_checklist_entry_rule_id_rule'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_checklist_entry_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['version_id'], ['checklist_version.id'], name=op.f('fk_checklist_entry_version_id_checklist_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_entry'))
    )
    with op.batch_alter_table('checklist_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_entry_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_entry_version_id'), ['version_id'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.Date(), nullable=False),
    sa.Column('window_end', sa.Date(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'excused', name='assignment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('excused_reason', sa.Text(), nullable=True),
    sa.Column('excused_by_id', sa.Integer(), nullable=True),
    sa.Column('excused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('planned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status <> 'done' OR inspection_id IS NOT NULL", name=op.f('ck_assignment_done_has_inspection')),
    sa.CheckConstraint("status <> 'excused' OR (excused_reason IS NOT NULL AND length(trim(excused_reason)) > 0 AND excused_by_id IS NOT NULL AND excused_at IS NOT NULL)", name=op.f('ck_assignment_excuse_has_reason')),
    sa.CheckConstraint('window_end >= window_start', name=op.f('ck_assignment_window_order')),
    sa.ForeignKeyConstraint(['excused_by_id'], ['user.id'], name=op.f('fk_assignment_excused_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_assignment_inspection_id_inspection'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rule_id'], ['cadence_rule.id'], name=op.f('fk_assignment_rule_id_cadence_rule'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_assignment_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment')),
    sa.UniqueConstraint('inspection_id', name=op.f('uq_assignment_inspection_id')),
    sa.UniqueConstraint('rule_id', 'window_start', 'slot', name=op.f('uq_assignment_rule_id_window_start_slot'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_rule_id'), ['rule_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_window_start'), ['window_start'], unique=False)

    op.create_table('inspection_amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(trim(reason)) > 0', name=op.f('ck_inspection_amendment_has_reason')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_inspection_amendment_author_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_inspection_amendment_inspection_id_inspection'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_inspection_amendment_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_amendment'))
    )
    with op.batch_alter_table('inspection_amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_amendment_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_amendment_school_id'), ['school_id'], unique=False)

    op.create_table('rectification_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=False),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('original_deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('extension_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'rectified', 'verified', name='task_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('rectification_note', sa.Text(), nullable=False),
    sa.Column('rectified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rectified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_back_count', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status <> 'verified' OR (verified_at IS NOT NULL AND verified_by_id IS NOT NULL)", name=op.f('ck_rectification_task_verified_has_who')),
    sa.CheckConstraint("status = 'open' OR (rectified_at IS NOT NULL AND rectified_by_id IS NOT NULL)", name=op.f('ck_rectification_task_rectified_has_who')),
    sa.CheckConstraint('deadline > found_at', name=op.f('ck_rectification_task_deadline_after_finding')),
    sa.CheckConstraint('verified_by_id IS NULL OR verified_by_id <> rectified_by_id', name=op.f('ck_rectification_task_verifier_not_rectifier')),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_rectification_task_finding_id_finding'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_rectification_task_inspection_id_inspection'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rectified_by_id'], ['user.id'], name=op.f('fk_rectification_task_rectified_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['responsible_id'], ['user.id'], name=op.f('fk_rectification_task_responsible_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_rectification_task_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['user.id'], name=op.f('fk_rectification_task_verified_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_task')),
    sa.UniqueConstraint('finding_id', name=op.f('uq_rectification_task_finding_id'))
    )
    with op.batch_alter_table('rectification_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_task_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_task_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_task_responsible_id'), ['responsible_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_task_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_task_status'), ['status'], unique=False)

    op.create_table('inspection_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.Enum('found', 'rectified', name='photo_stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_inspection_photo_finding_id_finding'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_inspection_photo_inspection_id_inspection'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['inspection_item.id'], name=op.f('fk_inspection_photo_item_id_inspection_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_inspection_photo_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_inspection_photo_stored_file_id_stored_file'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['task_id'], ['rectification_task.id'], name=op.f('fk_inspection_photo_task_id_rectification_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_photo'))
    )
    with op.batch_alter_table('inspection_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_photo_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_photo_school_id'), ['school_id'], unique=False)

    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checklist_version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('returned_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('signed_off_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('signed_off_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sign_off_comment', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_inspection_signed_off_by_id_user'), 'user', ['signed_off_by_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_inspection_checklist_version_id_checklist_version'), 'checklist_version', ['checklist_version_id'], ['id'], ondelete='RESTRICT')
        batch_op.drop_constraint(op.f('ck_inspection_inspection_kind'), type_='check')
        batch_op.create_check_constraint('inspection_kind', "kind IN ('principal_weekly', 'director_daily', 'scheduled', 'ad_hoc')")
        batch_op.create_check_constraint('signed_off_has_signer', "status <> 'signed_off' OR (signed_off_at IS NOT NULL AND signed_off_by_id IS NOT NULL)")
        batch_op.create_check_constraint('submitted_has_time', "status = 'draft' OR status = 'returned' OR submitted_at IS NOT NULL")

    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_foreign_key(batch_op.f('fk_inspection_item_rule_id_rule'), 'rule', ['rule_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.alter_column('version', server_default=None)

    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rectification_cutoff', sa.Time(), nullable=False, server_default='22:00:00'))
        batch_op.add_column(sa.Column('rectification_grace_hours', sa.Integer(), nullable=False, server_default='2'))
    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        batch_op.alter_column('rectification_cutoff', server_default=None)
        batch_op.alter_column('rectification_grace_hours', server_default=None)
        batch_op.create_check_constraint('rectification_grace_hours_range', 'rectification_grace_hours BETWEEN 1 AND 24')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))

    create_freeze_triggers()


def downgrade():
    drop_freeze_triggers()
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_school_settings_rectification_grace_hours_range'), type_='check')
        batch_op.drop_column('rectification_grace_hours')
        batch_op.drop_column('rectification_cutoff')

    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inspection_item_rule_id_rule'), type_='foreignkey')
        batch_op.drop_column('version')
        batch_op.drop_column('rule_id')

    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_inspection_submitted_has_time'), type_='check')
        batch_op.drop_constraint(op.f('ck_inspection_signed_off_has_signer'), type_='check')
        batch_op.drop_constraint(op.f('ck_inspection_inspection_kind'), type_='check')
        batch_op.create_check_constraint('inspection_kind', "kind IN ('principal_weekly', 'director_daily', 'ad_hoc')")
        batch_op.drop_constraint(batch_op.f('fk_inspection_checklist_version_id_checklist_version'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_inspection_signed_off_by_id_user'), type_='foreignkey')
        batch_op.drop_column('sign_off_comment')
        batch_op.drop_column('signed_off_by_id')
        batch_op.drop_column('signed_off_at')
        batch_op.drop_column('returned_reason')
        batch_op.drop_column('returned_at')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('checklist_version_id')

    with op.batch_alter_table('inspection_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_photo_school_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_photo_inspection_id'))

    op.drop_table('inspection_photo')
    with op.batch_alter_table('rectification_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_task_status'))
        batch_op.drop_index(batch_op.f('ix_rectification_task_school_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_task_responsible_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_task_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_task_deadline'))

    op.drop_table('rectification_task')
    with op.batch_alter_table('inspection_amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_amendment_school_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_amendment_inspection_id'))

    op.drop_table('inspection_amendment')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_window_start'))
        batch_op.drop_index(batch_op.f('ix_assignment_school_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_rule_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('checklist_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_entry_version_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_entry_school_id'))

    op.drop_table('checklist_entry')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_unread')
        batch_op.drop_index(batch_op.f('ix_notification_school_id'))

    op.drop_table('notification')
    with op.batch_alter_table('checklist_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_version_template_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_version_school_id'))

    op.drop_table('checklist_version')
    with op.batch_alter_table('cadence_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cadence_rule_school_id'))

    op.drop_table('cadence_rule')
    with op.batch_alter_table('term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_term_starts_on'))
        batch_op.drop_index(batch_op.f('ix_term_school_id'))

    op.drop_table('term')
    with op.batch_alter_table('checklist_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_template_school_id'))

    op.drop_table('checklist_template')
    with op.batch_alter_table('calendar_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_day_school_id'))

    op.drop_table('calendar_day')


# --- signed means frozen, in the database too ---------------------------------------------


