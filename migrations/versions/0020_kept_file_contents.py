"""A stored file keeps what the portal read from it (a roster's rows and problems), so that a
workbook is read once, not on every view of its preview.

Revision ID: 0020_kept_file_contents
Revises: 0019_survey_addresses
Create Date: 2026-12-06 02:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_kept_file_contents'
down_revision = '0019_survey_addresses'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contents', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_column('contents')
