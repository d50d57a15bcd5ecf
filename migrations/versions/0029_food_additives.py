"""食品添加剂 "五专": the school's additives (fixed shop, locked cabinet, one person responsible,
own tools, a limit where GB 2760 sets one) and the ledger of their use, a day-locked ledger of
the dish's day, never back-dated from outside the portal.

Revision ID: 0029_food_additives
Revises: 0028_pesticide_tests
Create Date: 2026-12-06 10:30:00

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
revision = '0029_food_additives'
down_revision = '0028_pesticide_tests'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('additive',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('cabinet', sa.String(length=100), nullable=False),
    sa.Column('keeper_id', sa.Integer(), nullable=False),
    sa.Column('tools', sa.String(length=200), nullable=False),
    sa.Column('limit_g_per_kg', sa.Numeric(precision=8, scale=3), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['keeper_id'], ['user.id'], name=op.f('fk_additive_keeper_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_additive_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], name=op.f('fk_additive_supplier_id_supplier'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_additive')),
    sa.UniqueConstraint('school_id', 'name', name=op.f('uq_additive_school_id_name'))
    )
    with op.batch_alter_table('additive', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_additive_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_additive_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_additive_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('additive_use',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('additive_id', sa.Integer(), nullable=False),
    sa.Column('dish_id', sa.Integer(), nullable=False),
    sa.Column('grams', sa.Numeric(precision=8, scale=1), nullable=False),
    sa.Column('food_kg', sa.Numeric(precision=8, scale=1), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_by_id', sa.Integer(), nullable=False),
    sa.Column('locks_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('keep_until', sa.Date(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=False),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('grams > 0', name=op.f('ck_additive_use_grams_positive')),
    sa.CheckConstraint('food_kg IS NULL OR food_kg > 0', name=op.f('ck_additive_use_food_positive')),
    sa.ForeignKeyConstraint(['additive_id'], ['additive.id'], name=op.f('fk_additive_use_additive_id_additive'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['dish_id'], ['menu_dish.id'], name=op.f('fk_additive_use_dish_id_menu_dish'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_additive_use_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['used_by_id'], ['user.id'], name=op.f('fk_additive_use_used_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user.id'], name=op.f('fk_additive_use_withdrawn_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_additive_use'))
    )
    with op.batch_alter_table('additive_use', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_additive_use_additive_id'), ['additive_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_additive_use_dish_id'), ['dish_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_additive_use_locks_at'), ['locks_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_additive_use_school_id'), ['school_id'], unique=False)
    lock_ledger_tables({"additive_use": None})
    refuse_back_dated_records(("additive_use",))


def downgrade():
    allow_back_dated_records(("additive_use",), drop_function=False)
    unlock_ledger_tables(["additive_use"])
    op.drop_table('additive_use')
    op.drop_table('additive')
