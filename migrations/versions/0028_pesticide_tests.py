"""农药残留快检: a rapid test of a delivery's vegetables or fruit (GB/T 5009.199—2003), positive
from an inhibition rate of 50 %, a positive batch returned or destroyed. A ledger: locked when
its day is over and never back-dated from outside the portal, by the database too.

Revision ID: 0028_pesticide_tests
Revises: 0027_survey_audiences
Create Date: 2026-12-06 10:00:00

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
revision = '0028_pesticide_tests'
down_revision = '0027_survey_audiences'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pesticide_test',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_item_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('method', sa.Enum('enzyme_inhibition', 'test_card', name='pesticide_test_method', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('inhibition_percent', sa.Numeric(precision=4, scale=1), nullable=True),
    sa.Column('positive', sa.Boolean(), nullable=False),
    sa.Column('action', sa.String(length=300), nullable=False),
    sa.Column('tested_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locks_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('keep_until', sa.Date(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=False),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('inhibition_percent IS NULL OR inhibition_percent BETWEEN 0 AND 100', name=op.f('ck_pesticide_test_inhibition_in_range')),
    sa.CheckConstraint("method <> 'enzyme_inhibition' OR (inhibition_percent IS NOT NULL AND positive = (inhibition_percent >= 50))", name=op.f('ck_pesticide_test_positive_from_the_rate')),
    sa.CheckConstraint('NOT positive OR length(trim(action)) > 0', name=op.f('ck_pesticide_test_positive_has_action')),
    sa.ForeignKeyConstraint(['delivery_item_id'], ['delivery_item.id'], name=op.f('fk_pesticide_test_delivery_item_id_delivery_item'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_pesticide_test_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['tested_by_id'], ['user.id'], name=op.f('fk_pesticide_test_tested_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user.id'], name=op.f('fk_pesticide_test_withdrawn_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pesticide_test'))
    )
    with op.batch_alter_table('pesticide_test', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pesticide_test_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_pesticide_test_delivery_item_id'), ['delivery_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pesticide_test_locks_at'), ['locks_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pesticide_test_school_id'), ['school_id'], unique=False)
        batch_op.create_index('uq_pesticide_test_standing_delivery_item_id', ['delivery_item_id'], unique=True, sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))
    lock_ledger_tables({"pesticide_test": ("delivery_item_id",)})
    refuse_back_dated_records(("pesticide_test",))


def downgrade():
    allow_back_dated_records(("pesticide_test",), drop_function=False)
    unlock_ledger_tables(["pesticide_test"])
    with op.batch_alter_table('pesticide_test', schema=None) as batch_op:
        batch_op.drop_index('uq_pesticide_test_standing_delivery_item_id', sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_pesticide_test_school_id'))
        batch_op.drop_index(batch_op.f('ix_pesticide_test_locks_at'))
        batch_op.drop_index(batch_op.f('ix_pesticide_test_delivery_item_id'))
        batch_op.drop_index(batch_op.f('ix_pesticide_test_day'))
    op.drop_table('pesticide_test')
