"""Evidence: frozen inspection PDFs and the export log of period bundles.

Revision ID: 0003_evidence
Revises: 0002_inspection_workflow
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_evidence'
down_revision = '0002_inspection_workflow'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.Enum('pdf', 'xlsx', name='export_format', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('period_first', sa.Date(), nullable=False),
    sa.Column('period_last', sa.Date(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='export_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('progress_done', sa.Integer(), nullable=False),
    sa.Column('progress_total', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('storage_key', sa.String(length=255), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status <> 'done' OR (sha256 IS NOT NULL AND size IS NOT NULL)", name=op.f('ck_evidence_export_done_has_hash')),
    sa.CheckConstraint('period_last >= period_first', name=op.f('ck_evidence_export_period_order')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_evidence_export_requested_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_evidence_export_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_export'))
    )
    with op.batch_alter_table('evidence_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_export_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_export_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_export_status'), ['status'], unique=False)

    op.create_table('inspection_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['inspection_amendment.id'], name=op.f('fk_inspection_evidence_amendment_id_inspection_amendment'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_inspection_evidence_inspection_id_inspection'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_inspection_evidence_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_evidence')),
    sa.UniqueConstraint('inspection_id', 'amendment_id', name=op.f('uq_inspection_evidence_inspection_id_amendment_id')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_inspection_evidence_storage_key'))
    )
    with op.batch_alter_table('inspection_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_evidence_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_evidence_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_evidence_sha256'), ['sha256'], unique=False)



def downgrade():
    with op.batch_alter_table('inspection_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_evidence_sha256'))
        batch_op.drop_index(batch_op.f('ix_inspection_evidence_school_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_evidence_inspection_id'))

    op.drop_table('inspection_evidence')
    with op.batch_alter_table('evidence_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_export_status'))
        batch_op.drop_index(batch_op.f('ix_evidence_export_sha256'))
        batch_op.drop_index(batch_op.f('ix_evidence_export_school_id'))

    op.drop_table('evidence_export')
