"""Station codes: each fridge or freezer and each dormitory room carries a random code, printed as
a QR code on its poster, that opens its form on a logged-in phone. Filled here for the places
there are; columns added in place, no table rebuilt.

Revision ID: 0037_station_codes
Revises: 0036_names_in_pinyin
Create Date: 2026-12-06 16:40:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0037_station_codes'
down_revision = '0036_names_in_pinyin'
branch_labels = None
depends_on = None

TABLES = ('cold_unit', 'dorm_room')


def upgrade():
    connection = op.get_bind()
    for table in TABLES:
        op.add_column(table, sa.Column('station_code', sa.String(length=32), server_default='', nullable=False))
        rows = sa.table(table, sa.column('id'), sa.column('station_code'))
        for (row_id,) in connection.execute(sa.select(rows.c.id)).all():
            connection.execute(rows.update().where(rows.c.id == row_id).values(station_code=secrets.token_urlsafe(9)))
        op.create_index(f'ix_{table}_station_code', table, ['station_code'], unique=True)


def downgrade():
    for table in TABLES:
        op.drop_index(f'ix_{table}_station_code', table_name=table)
        op.drop_column(table, 'station_code')
