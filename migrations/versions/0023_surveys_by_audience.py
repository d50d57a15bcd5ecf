"""Each semester needs at least two surveys, one of students or staff and one of parents
(《中小学校园食品安全和膳食经费管理工作指引》): a school may ask for more, never fewer. A school
set below two is brought to two.

Revision ID: 0023_surveys_by_audience
Revises: 0022_cold_chain_national_ranges
Create Date: 2026-12-06 06:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_surveys_by_audience'
down_revision = '0022_cold_chain_national_ranges'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE school_settings SET surveys_per_semester = 2 WHERE surveys_per_semester < 2")
    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_school_settings_surveys_per_semester_range'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_school_settings_surveys_per_semester_range'), 'surveys_per_semester BETWEEN 2 AND 20'
        )


def downgrade():
    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_school_settings_surveys_per_semester_range'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_school_settings_surveys_per_semester_range'), 'surveys_per_semester BETWEEN 0 AND 20'
        )
