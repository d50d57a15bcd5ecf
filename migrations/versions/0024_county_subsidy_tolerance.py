"""The tolerance that decides 不少支不超支 is the county's, with its history, beside the rate it
goes with (subsidy_rate.tolerance_yuan, ¥100 as before); the school setting that let a school
set the tolerance its own figures are judged by is gone.

Revision ID: 0024_county_subsidy_tolerance
Revises: 0023_surveys_by_audience
Create Date: 2026-12-06 06:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_county_subsidy_tolerance'
down_revision = '0023_surveys_by_audience'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('subsidy_rate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tolerance_yuan', sa.Integer(), server_default='100', nullable=False))
        batch_op.create_check_constraint(
            batch_op.f('ck_subsidy_rate_tolerance_in_range'), 'tolerance_yuan BETWEEN 0 AND 10000'
        )
    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_school_settings_subsidy_tolerance_not_negative'), type_='check')
        batch_op.drop_column('subsidy_tolerance_yuan')


def downgrade():
    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subsidy_tolerance_yuan', sa.Integer(), server_default='100', nullable=False))
        batch_op.create_check_constraint(
            batch_op.f('ck_school_settings_subsidy_tolerance_not_negative'), 'subsidy_tolerance_yuan >= 0'
        )
    with op.batch_alter_table('subsidy_rate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_subsidy_rate_tolerance_in_range'), type_='check')
        batch_op.drop_column('tolerance_yuan')
