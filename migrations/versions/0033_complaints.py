"""校园食安码 complaints (answered means frozen, on both databases) and 公示, the school's public
page: the school's public token (filled for the schools there are) and what it publishes.

Revision ID: 0033_complaints
Revises: 0032_supplier_evaluation
Create Date: 2026-12-06 11:52:56.069980

"""
import secrets

import sqlalchemy as sa
from alembic import op

from migrations.shared import freeze_signed_records, unfreeze_signed_records


# revision identifiers, used by Alembic.
revision = '0033_complaints'
down_revision = '0032_supplier_evaluation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('public_notice',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('published_from', sa.Date(), nullable=True),
    sa.Column('shows_menu', sa.Boolean(), nullable=False),
    sa.Column('shows_funds', sa.Boolean(), nullable=False),
    sa.Column('shows_meals', sa.Boolean(), nullable=False),
    sa.Column('shows_survey', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_public_notice_school_id_school'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_public_notice_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('school_id', name=op.f('pk_public_notice'))
    )
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('contact', sa.String(length=40), nullable=False),
    sa.Column('device', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(signed_at IS NULL) = (signed_by_id IS NULL)', name=op.f('ck_complaint_answered_has_who')),
    sa.CheckConstraint('length(trim(text)) > 0', name=op.f('ck_complaint_says_something')),
    sa.CheckConstraint('signed_at IS NULL OR length(trim(answer)) > 0', name=op.f('ck_complaint_answered_with_words')),
    sa.ForeignKeyConstraint(['photo_id'], ['stored_file.id'], name=op.f('fk_complaint_photo_id_stored_file'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_complaint_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['user.id'], name=op.f('fk_complaint_signed_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_device'), ['device'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_school_id'), ['school_id'], unique=False)

    freeze_signed_records('complaint')
    _give_schools_a_public_token()


def _give_schools_a_public_token():
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_token', sa.String(length=32), nullable=True))
    connection = op.get_bind()
    for (school_id,) in connection.execute(sa.text("SELECT id FROM school")).all():
        connection.execute(
            sa.text("UPDATE school SET public_token = :token WHERE id = :id"),
            {"token": secrets.token_urlsafe(16), "id": school_id},
        )
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.alter_column('public_token', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_school_public_token'), ['public_token'])



def downgrade():
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_school_public_token'), type_='unique')
        batch_op.drop_column('public_token')

    unfreeze_signed_records('complaint')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_school_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_device'))
        batch_op.drop_index(batch_op.f('ix_complaint_day'))

    op.drop_table('complaint')
    op.drop_table('public_notice')
