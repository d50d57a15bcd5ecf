"""Survey answers keep a keyed hash of the network address they came from, so that many
answers from one address show on the results page.

Revision ID: 0019_survey_addresses
Revises: 0018_core_temperatures
Create Date: 2026-12-06 02:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_survey_addresses'
down_revision = '0018_core_temperatures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_column('address')
