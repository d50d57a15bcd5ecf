"""The subsidy answers for the eligible students' share of the food issued: the daily report
says how many of the day's diners were staff and students without the subsidy, a stock issue
can be food for the staff's meals, and a month's reconciliation keeps the others' share.

The columns are added in place (ALTER TABLE ... ADD COLUMN, on SQLite too): a batch rebuild of
these ledger tables would drop their lock and back-dating triggers.

Revision ID: 0026_subsidy_share
Revises: 0025_retention_school_date
Create Date: 2026-12-06 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026_subsidy_share'
down_revision = '0025_retention_school_date'
branch_labels = None
depends_on = None

COUNTS = ("staff_diners", "other_student_diners")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for column in COUNTS:
            op.add_column('daily_report', sa.Column(column, sa.Integer(), nullable=True))
            op.create_check_constraint(f'ck_daily_report_{column}_not_negative', 'daily_report', f'{column} >= 0')
    else:  # SQLite takes a column's CHECK only as it is added
        for column in COUNTS:
            op.execute(
                f"ALTER TABLE daily_report ADD COLUMN {column} INTEGER "
                f"CONSTRAINT ck_daily_report_{column}_not_negative CHECK ({column} >= 0)"
            )
    op.add_column('stock_issue', sa.Column('for_staff', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column(
        'reconciliation', sa.Column('others_share', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False)
    )


def downgrade():
    op.drop_column('reconciliation', 'others_share')
    op.drop_column('stock_issue', 'for_staff')
    for column in COUNTS:
        if op.get_bind().dialect.name == "postgresql":
            op.drop_constraint(f'ck_daily_report_{column}_not_negative', 'daily_report', type_='check')
        op.drop_column('daily_report', column)
