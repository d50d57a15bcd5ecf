"""People in 拼音 order: users and students keep their name's pinyin (the order of every list of
people) and its initials (a search for "wxy" finds 王晓燕), filled here for the people there are
and by the models on every save (models/person_name.py). Columns added in place: no table is
rebuilt. On PostgreSQL the initials get a trigram index, as every admin search column has.

Revision ID: 0036_names_in_pinyin
Revises: 0035_school_lists_index
Create Date: 2026-12-06 16:20:00

"""
import sqlalchemy as sa
from alembic import op

from portal.pinyin import initials, sort_key

# revision identifiers, used by Alembic.
revision = '0036_names_in_pinyin'
down_revision = '0035_school_lists_index'
branch_labels = None
depends_on = None

PEOPLE = {'user': 'display_name', 'student': 'name'}


def upgrade():
    connection = op.get_bind()
    for table, name in PEOPLE.items():
        op.add_column(table, sa.Column('name_pinyin', sa.String(length=200), server_default='', nullable=False))
        op.add_column(table, sa.Column('name_initials', sa.String(length=64), server_default='', nullable=False))
        op.create_index(f'ix_{table}_name_pinyin', table, ['name_pinyin'])
        op.create_index(f'ix_{table}_name_initials', table, ['name_initials'])
        rows = sa.table(table, sa.column('id'), sa.column(name), sa.column('name_pinyin'), sa.column('name_initials'))
        for row_id, value in connection.execute(sa.select(rows.c.id, rows.c[name])).all():
            connection.execute(
                rows.update()
                .where(rows.c.id == row_id)
                .values(name_pinyin=sort_key(value), name_initials=initials(value))
            )
        if connection.dialect.name == 'postgresql':
            op.execute(f'CREATE INDEX "trgm_{table}_name_initials" ON "{table}" USING gin ("name_initials" gin_trgm_ops)')


def downgrade():
    for table in PEOPLE:
        if op.get_bind().dialect.name == 'postgresql':
            op.execute(f'DROP INDEX "trgm_{table}_name_initials"')
        op.drop_index(f'ix_{table}_name_initials', table_name=table)
        op.drop_index(f'ix_{table}_name_pinyin', table_name=table)
        op.drop_column(table, 'name_initials')
        op.drop_column(table, 'name_pinyin')
