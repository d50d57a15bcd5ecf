"""Suppliers' evaluation each semester against a scored list, and their exit with its reason
(the 指引's 考核评价和退出机制): an exited supplier delivers no more. The evaluation is a
day-locked ledger, never back-dated from outside the portal.

Revision ID: 0032_supplier_evaluation
Revises: 0031_emergency_drills
Create Date: 2026-12-06 12:00:00

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
revision = '0032_supplier_evaluation'
down_revision = '0031_emergency_drills'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('supplier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exited_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('exit_reason', sa.Text(), server_default='', nullable=False))
    op.create_table('supplier_evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('delivery_record', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evaluated_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locks_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('keep_until', sa.Date(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=False),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('total BETWEEN 0 AND 100', name=op.f('ck_supplier_evaluation_total_in_range')),
    sa.ForeignKeyConstraint(['evaluated_by_id'], ['user.id'], name=op.f('fk_supplier_evaluation_evaluated_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_supplier_evaluation_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], name=op.f('fk_supplier_evaluation_supplier_id_supplier'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user.id'], name=op.f('fk_supplier_evaluation_withdrawn_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_evaluation'))
    )
    with op.batch_alter_table('supplier_evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_evaluation_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_evaluation_locks_at'), ['locks_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_evaluation_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_evaluation_supplier_id'), ['supplier_id'], unique=False)
    lock_ledger_tables({"supplier_evaluation": None})
    refuse_back_dated_records(("supplier_evaluation",))


def downgrade():
    allow_back_dated_records(("supplier_evaluation",), drop_function=False)
    unlock_ledger_tables(["supplier_evaluation"])
    op.drop_table('supplier_evaluation')
    with op.batch_alter_table('supplier', schema=None) as batch_op:
        batch_op.drop_column('exit_reason')
        batch_op.drop_column('exited_on')
