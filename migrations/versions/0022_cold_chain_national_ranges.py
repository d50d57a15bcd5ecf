"""A fridge or freezer's range is never looser than 《餐饮服务食品安全操作规范》's: refrigerated
within 0–8 ℃ (the food-sample fridge too), frozen at −12 ℃ or colder. A unit set looser is
brought to the national limit first.

Revision ID: 0022_cold_chain_national_ranges
Revises: 0021_no_back_dated_records
Create Date: 2026-12-06 06:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_cold_chain_national_ranges'
down_revision = '0021_no_back_dated_records'
branch_labels = None
depends_on = None

REFRIGERATED = "kind = 'freezer' OR (lowest_c IS NOT NULL AND lowest_c >= 0 AND highest_c IS NOT NULL AND highest_c <= 8)"
FROZEN = "kind <> 'freezer' OR (highest_c IS NOT NULL AND highest_c <= -12)"


def upgrade():
    op.execute(
        "UPDATE cold_unit SET lowest_c = 0 WHERE kind <> 'freezer' AND (lowest_c IS NULL OR lowest_c < 0)"
    )
    op.execute(
        "UPDATE cold_unit SET highest_c = 8 WHERE kind <> 'freezer' AND (highest_c IS NULL OR highest_c > 8)"
    )
    op.execute(
        "UPDATE cold_unit SET highest_c = -12 WHERE kind = 'freezer' AND (highest_c IS NULL OR highest_c > -12)"
    )
    op.execute(
        "UPDATE cold_unit SET lowest_c = NULL WHERE kind = 'freezer' AND lowest_c IS NOT NULL AND lowest_c >= highest_c"
    )
    with op.batch_alter_table('cold_unit', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_cold_unit_refrigerated_national_range'), sa.text(REFRIGERATED))
        batch_op.create_check_constraint(batch_op.f('ck_cold_unit_frozen_national_range'), sa.text(FROZEN))


def downgrade():
    with op.batch_alter_table('cold_unit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cold_unit_frozen_national_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_cold_unit_refrigerated_national_range'), type_='check')
