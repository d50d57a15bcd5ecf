"""食品安全事故 / 疑似食物中毒 reports: the offices told against the 2 hours, the follow-up, and
the principal's signature, after which the report is frozen (the database refuses a change of
a signed report, on both databases; the check constraints refuse a signature before the
follow-up and before both offices were told).

Revision ID: 0030_food_incidents
Revises: 0029_food_additives
Create Date: 2026-12-06 11:00:00

"""
import sqlalchemy as sa
from alembic import op

from migrations.shared import no_truncate

# revision identifiers, used by Alembic.
revision = '0030_food_incidents'
down_revision = '0029_food_additives'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('food_incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('ill_count', sa.Integer(), nullable=False),
    sa.Column('what_happened', sa.Text(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.Column('sealed', sa.Text(), nullable=False),
    sa.Column('education_told_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('market_told_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('follow_up', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('ill_count >= 1', name=op.f('ck_food_incident_someone_ill')),
    sa.CheckConstraint('(signed_at IS NULL) = (signed_by_id IS NULL)', name=op.f('ck_food_incident_signed_has_signer')),
    sa.CheckConstraint('signed_at IS NULL OR length(trim(follow_up)) > 0', name=op.f('ck_food_incident_signed_after_follow_up')),
    sa.CheckConstraint('signed_at IS NULL OR (education_told_at IS NOT NULL AND market_told_at IS NOT NULL)', name=op.f('ck_food_incident_signed_after_both_told')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_food_incident_recorded_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_food_incident_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['user.id'], name=op.f('fk_food_incident_signed_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_food_incident'))
    )
    with op.batch_alter_table('food_incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_food_incident_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_food_incident_school_id'), ['school_id'], unique=False)
    _freeze_signed()


def _freeze_signed():
    """A signed report does not change (0005's function on PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER food_incident_signed BEFORE UPDATE OR DELETE ON food_incident "
            "FOR EACH ROW EXECUTE FUNCTION portal_refuse_change_of_signed_record()"
        )
        no_truncate("food_incident")
        return
    refuse = "SELECT RAISE(ABORT, 'a signed incident report cannot change');"
    replaced = (
        "EXISTS (SELECT 1 FROM food_incident AS existing WHERE existing.id = NEW.id "
        "AND existing.signed_at IS NOT NULL)"
    )
    for name, event, when in (
        ("food_incident_signed_update", "UPDATE ON food_incident", "OLD.signed_at IS NOT NULL"),
        ("food_incident_signed_delete", "DELETE ON food_incident", "OLD.signed_at IS NOT NULL"),
        ("food_incident_signed_replace", "INSERT ON food_incident", replaced),
    ):
        op.execute(f"CREATE TRIGGER {name} BEFORE {event} WHEN {when} BEGIN {refuse} END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS food_incident_signed ON food_incident")
        op.execute("DROP TRIGGER IF EXISTS food_incident_no_truncate ON food_incident")
    else:
        for name in ("update", "delete", "replace"):
            op.execute(f"DROP TRIGGER IF EXISTS food_incident_signed_{name}")
    op.drop_table('food_incident')
