"""One survey may ask several audiences (《中小学校园食品安全和膳食经费管理工作指引》 counts a survey of
students, staff and parents for each): survey.audience becomes a column per audience, at least
one of them set.

Revision ID: 0027_survey_audiences
Revises: 0026_subsidy_share
Create Date: 2026-12-06 09:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027_survey_audiences'
down_revision = '0026_subsidy_share'
branch_labels = None
depends_on = None

AUDIENCES = ("students", "teachers", "parents")


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        for audience in AUDIENCES:
            batch_op.add_column(sa.Column(f'asks_{audience}', sa.Boolean(), server_default=sa.false(), nullable=False))
    for audience in AUDIENCES:
        op.execute(f"UPDATE survey SET asks_{audience} = (audience = '{audience}')")
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f('ck_survey_asks_someone'), 'asks_students OR asks_teachers OR asks_parents'
        )
        batch_op.drop_constraint(batch_op.f('ck_survey_survey_audience'), type_='check')
        batch_op.drop_column('audience')


def downgrade():
    audience = sa.Enum(*AUDIENCES, name='survey_audience', native_enum=False, create_constraint=True)
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', audience, nullable=True))
    # A survey of several audiences keeps the first of them.
    op.execute(
        "UPDATE survey SET audience = CASE WHEN asks_students THEN 'students' "
        "WHEN asks_teachers THEN 'teachers' ELSE 'parents' END"
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.alter_column('audience', nullable=False)
        batch_op.drop_constraint(batch_op.f('ck_survey_asks_someone'), type_='check')
        for column in AUDIENCES:
            batch_op.drop_column(f'asks_{column}')
