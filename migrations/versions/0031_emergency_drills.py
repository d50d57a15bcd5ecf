"""应急演练: drills of the school's food-safety emergency plan (a posted rule), with who took part
and what was found (a rectification task). A day-locked ledger, never back-dated from outside
the portal.

Revision ID: 0031_emergency_drills
Revises: 0030_food_incidents
Create Date: 2026-12-06 11:30:00

"""
import sqlalchemy as sa
from alembic import op

from migrations.shared import (
    allow_back_dated_records,
    lock_ledger_tables,
    refuse_back_dated_records,
    unlock_ledger_tables,
)

# revision identifiers, used by Alembic.
revision = '0031_emergency_drills'
down_revision = '0030_food_incidents'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('emergency_drill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('scenario', sa.Text(), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('participant_count', sa.Integer(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locks_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('keep_until', sa.Date(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=False),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('participant_count >= 2', name=op.f('ck_emergency_drill_more_than_one_person')),
    sa.ForeignKeyConstraint(['plan_id'], ['rule.id'], name=op.f('fk_emergency_drill_plan_id_rule'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_emergency_drill_recorded_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_emergency_drill_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user.id'], name=op.f('fk_emergency_drill_withdrawn_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_drill'))
    )
    with op.batch_alter_table('emergency_drill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emergency_drill_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_emergency_drill_locks_at'), ['locks_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_emergency_drill_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_emergency_drill_school_id'), ['school_id'], unique=False)
    lock_ledger_tables({"emergency_drill": None})
    refuse_back_dated_records(("emergency_drill",))


def downgrade():
    allow_back_dated_records(("emergency_drill",), drop_function=False)
    unlock_ledger_tables(["emergency_drill"])
    op.drop_table('emergency_drill')
