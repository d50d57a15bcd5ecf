"""The routine once per period however many servers run a queue worker: the first worker to
write the period's row runs it (portal/queue.py claim_period), any other stops.

Revision ID: 0034_routine_once
Revises: 0033_complaints
Create Date: 2026-12-06 12:15:13.794952

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0034_routine_once'
down_revision = '0033_complaints'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('routine_run',
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('runner', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('period_start', name=op.f('pk_routine_run'))
    )


def downgrade():
    op.drop_table('routine_run')
