"""Stations at the canteen's rooms and cabinets: each canteen room carries a station code (filled
here for the rooms there are, like 0037), and the food sample and food additive cabinets are a
table of their own, each with its code.

Revision ID: 0038_cabinets_and_room_stations
Revises: 0037_station_codes
Create Date: 2026-12-06 18:40:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0038_cabinets_and_room_stations'
down_revision = '0037_station_codes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cabinet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('purpose', sa.Enum('food_samples', 'additives', name='cabinet_purpose', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('station_code', sa.String(length=32), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_cabinet_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cabinet')),
    sa.UniqueConstraint('school_id', 'name', name=op.f('uq_cabinet_school_id_name'))
    )
    op.create_index('ix_cabinet_name', 'cabinet', ['name'], unique=False)
    op.create_index('ix_cabinet_school_id_id', 'cabinet', ['school_id', 'id'], unique=False)
    op.create_index('ix_cabinet_station_code', 'cabinet', ['station_code'], unique=True)

    connection = op.get_bind()
    op.add_column('canteen_room', sa.Column('station_code', sa.String(length=32), server_default='', nullable=False))
    rooms = sa.table('canteen_room', sa.column('id'), sa.column('station_code'))
    for (room_id,) in connection.execute(sa.select(rooms.c.id)).all():
        connection.execute(rooms.update().where(rooms.c.id == room_id).values(station_code=secrets.token_urlsafe(9)))
    op.create_index('ix_canteen_room_station_code', 'canteen_room', ['station_code'], unique=True)


def downgrade():
    op.drop_index('ix_canteen_room_station_code', table_name='canteen_room')
    op.drop_column('canteen_room', 'station_code')
    op.drop_index('ix_cabinet_station_code', table_name='cabinet')
    op.drop_index('ix_cabinet_school_id_id', table_name='cabinet')
    op.drop_index('ix_cabinet_name', table_name='cabinet')
    op.drop_table('cabinet')
