"""Each school's day summarised for the county (models/day_summary.py): the county's
compliance table reads a few rows per school instead of every inspection, task and reading of
the range. New tables and an index (the inspection windows by their last day); the routine
(or `flask inspections summarise`) fills them.

Revision ID: 0039_day_summaries
Revises: 0038_cabinets_and_room_stations
Create Date: 2026-12-06 22:10:28.996566

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0039_day_summaries'
down_revision = '0038_cabinets_and_room_stations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('day_summary',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('inspections_missed', sa.Integer(), nullable=False),
    sa.Column('readings_missing', sa.Integer(), nullable=False),
    sa.Column('tasks_found', sa.Integer(), nullable=False),
    sa.Column('tasks_rectified', sa.Integer(), nullable=False),
    sa.Column('tasks_same_day', sa.Integer(), nullable=False),
    sa.Column('tasks_extended', sa.Integer(), nullable=False),
    sa.Column('week_counted', sa.Integer(), nullable=False),
    sa.Column('risk_report_missing', sa.Integer(), nullable=False),
    sa.Column('weekly_meeting_missing', sa.Integer(), nullable=False),
    sa.Column('month_counted', sa.Integer(), nullable=False),
    sa.Column('dispatch_meeting_missing', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_day_summary_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('school_id', 'day', name=op.f('pk_day_summary'))
    )
    op.create_table('summary_progress',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('through', sa.Date(), nullable=False),
    sa.Column('summarised_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_summary_progress_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('school_id', name=op.f('pk_summary_progress'))
    )
    op.create_table('rule_day_summary',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('missed', sa.Integer(), nullable=False),
    sa.Column('excused', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rule_id'], ['cadence_rule.id'], name=op.f('fk_rule_day_summary_rule_id_cadence_rule'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_rule_day_summary_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('school_id', 'day', 'rule_id', name=op.f('pk_rule_day_summary'))
    )
    op.create_index('ix_rule_day_summary_sums', 'rule_day_summary', ['school_id', 'day'], unique=False, postgresql_include=['rule_id', 'done', 'missed', 'excused'])
    op.create_index('ix_assignment_window_end', 'assignment', ['window_end'], unique=False)


def downgrade():
    op.drop_index('ix_assignment_window_end', table_name='assignment')
    op.drop_index('ix_rule_day_summary_sums', table_name='rule_day_summary')
    op.drop_table('rule_day_summary')
    op.drop_table('summary_progress')
    op.drop_table('day_summary')
