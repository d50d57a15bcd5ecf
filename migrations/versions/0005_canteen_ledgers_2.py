"""Canteen ledgers, second part: accompanied meals (leader and parent), rooms with their
disinfection and four-preventions checks, suppliers and deliveries, the weekly risk report and
the monthly dispatch meeting; rectification tasks that come from a ledger instead of an
inspection.

Revision ID: 0005_canteen_ledgers_2
Revises: 0004_canteen_ledgers
Create Date: 2026-11-24 00:50:06.684785

"""

import sqlalchemy as sa
from alembic import op

from migrations.shared import create_freeze_triggers, drop_freeze_triggers

SIGNED_TABLES = ("risk_report", "dispatch_meeting")


def create_signed_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
CREATE OR REPLACE FUNCTION portal_refuse_change_of_signed_record() RETURNS trigger AS $$
BEGIN
    IF OLD.signed_at IS NOT NULL THEN
        RAISE EXCEPTION '% % is signed and cannot change', TG_TABLE_NAME, OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""
        )
        for table in SIGNED_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_signed BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION portal_refuse_change_of_signed_record()"
            )
        return
    for table in SIGNED_TABLES:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_signed_{operation.lower()} BEFORE {operation} ON {table} "
                "WHEN OLD.signed_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'signed record cannot change'); END"
            )


def drop_signed_triggers():
    if op.get_bind().dialect.name == "postgresql":
        for table in SIGNED_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_signed ON {table}")
        op.execute("DROP FUNCTION IF EXISTS portal_refuse_change_of_signed_record()")
        return
    for table in SIGNED_TABLES:
        for operation in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_signed_{operation}")


# revision identifiers, used by Alembic.
revision = '0005_canteen_ledgers_2'
down_revision = '0004_canteen_ledgers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('canteen_room',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.Enum('storeroom', 'kitchen', 'dining_hall', name='room_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('disinfection_every_days', sa.Integer(), nullable=False),
    sa.Column('prevention_every_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('disinfection_every_days BETWEEN 1 AND 366', name=op.f('ck_canteen_room_disinfection_every_days_range')),
    sa.CheckConstraint('prevention_every_days BETWEEN 1 AND 366', name=op.f('ck_canteen_room_prevention_every_days_range')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_canteen_room_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canteen_room')),
    sa.UniqueConstraint('school_id', 'name', name=op.f('uq_canteen_room_school_id_name'))
    )
    with op.batch_alter_table('canteen_room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_canteen_room_school_id'), ['school_id'], unique=False)

    op.create_table('supplier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('licence_number', sa.String(length=64), nullable=False),
    sa.Column('licence_expires_on', sa.Date(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_supplier_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier')),
    sa.UniqueConstraint('school_id', 'name', name=op.f('uq_supplier_school_id_name'))
    )
    with op.batch_alter_table('supplier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_school_id'), ['school_id'], unique=False)

    op.create_table('accompanied_meal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('meal', sa.Enum('breakfast', 'lunch', 'dinner', name='meal', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('dishes_tasted', sa.String(length=300), nullable=False),
    sa.Column('taste', sa.Enum('good', 'fair', 'poor', name='taste_opinion', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('temperature', sa.Enum('good', 'fair', 'poor', name='temperature_opinion', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('hygiene', sa.Enum('good', 'fair', 'poor', name='hygiene_opinion', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('quantity', sa.Enum('good', 'fair', 'poor', name='quantity_opinion', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['user.id'], name=op.f('fk_accompanied_meal_leader_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_accompanied_meal_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accompanied_meal')),
    sa.UniqueConstraint('school_id', 'day', 'meal', name=op.f('uq_accompanied_meal_school_id_day_meal'))
    )
    with op.batch_alter_table('accompanied_meal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accompanied_meal_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_accompanied_meal_school_id'), ['school_id'], unique=False)

    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('bulk', sa.Boolean(), nullable=False),
    sa.Column('result', sa.Enum('accepted', 'rejected', name='delivery_result', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('rejection_reason', sa.String(length=300), nullable=False),
    sa.Column('licence_expired', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("result = 'accepted' OR length(trim(rejection_reason)) > 0", name=op.f('ck_delivery_rejection_has_reason')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_delivery_recorded_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_delivery_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], name=op.f('fk_delivery_supplier_id_supplier'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('dispatch_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('issues', sa.Text(), nullable=False),
    sa.Column('decisions', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(signed_at IS NULL) = (signed_by_id IS NULL)', name=op.f('ck_dispatch_meeting_signed_has_signer')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_dispatch_meeting_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['user.id'], name=op.f('fk_dispatch_meeting_signed_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_meeting'))
    )
    with op.batch_alter_table('dispatch_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_meeting_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispatch_meeting_school_id'), ['school_id'], unique=False)

    op.create_table('parent_meal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('meal', sa.Enum('breakfast', 'lunch', 'dinner', name='meal', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('parent_name', sa.String(length=64), nullable=False),
    sa.Column('class_name', sa.String(length=64), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_parent_meal_recorded_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_parent_meal_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parent_meal'))
    )
    with op.batch_alter_table('parent_meal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parent_meal_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_parent_meal_school_id'), ['school_id'], unique=False)

    op.create_table('prevention_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rodents_ok', sa.Boolean(), nullable=False),
    sa.Column('flies_ok', sa.Boolean(), nullable=False),
    sa.Column('insects_ok', sa.Boolean(), nullable=False),
    sa.Column('dust_ok', sa.Boolean(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(rodents_ok AND flies_ok AND insects_ok AND dust_ok) OR length(trim(problems)) > 0', name=op.f('ck_prevention_check_failed_has_problems')),
    sa.ForeignKeyConstraint(['checked_by_id'], ['user.id'], name=op.f('fk_prevention_check_checked_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['room_id'], ['canteen_room.id'], name=op.f('fk_prevention_check_room_id_canteen_room'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_prevention_check_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prevention_check'))
    )
    with op.batch_alter_table('prevention_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prevention_check_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_prevention_check_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prevention_check_school_id'), ['school_id'], unique=False)

    op.create_table('risk_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('draft', sa.Text(), nullable=False),
    sa.Column('risks_found', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(signed_at IS NULL) = (signed_by_id IS NULL)', name=op.f('ck_risk_report_signed_has_signer')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_risk_report_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['user.id'], name=op.f('fk_risk_report_signed_by_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_report')),
    sa.UniqueConstraint('school_id', 'week_start', name=op.f('uq_risk_report_school_id_week_start'))
    )
    with op.batch_alter_table('risk_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_report_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_report_week_start'), ['week_start'], unique=False)

    op.create_table('room_disinfection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=100), nullable=False),
    sa.Column('done_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['done_by_id'], ['user.id'], name=op.f('fk_room_disinfection_done_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['room_id'], ['canteen_room.id'], name=op.f('fk_room_disinfection_room_id_canteen_room'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_room_disinfection_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_disinfection'))
    )
    with op.batch_alter_table('room_disinfection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_disinfection_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_disinfection_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_disinfection_school_id'), ['school_id'], unique=False)

    op.create_table('delivery_acceptor',
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_delivery_acceptor_delivery_id_delivery'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_delivery_acceptor_user_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('delivery_id', 'user_id', name=op.f('pk_delivery_acceptor'))
    )
    op.create_table('delivery_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('specification', sa.String(length=100), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('production_date', sa.Date(), nullable=True),
    sa.Column('batch', sa.String(length=64), nullable=False),
    sa.Column('shelf_life_days', sa.Integer(), nullable=True),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('price IS NULL OR price >= 0', name=op.f('ck_delivery_item_price_not_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_delivery_item_quantity_positive')),
    sa.CheckConstraint('shelf_life_days IS NULL OR shelf_life_days > 0', name=op.f('ck_delivery_item_shelf_life_positive')),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_delivery_item_delivery_id_delivery'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_delivery_item_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_item'))
    )
    with op.batch_alter_table('delivery_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_item_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_item_school_id'), ['school_id'], unique=False)

    op.create_table('delivery_ticket',
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_delivery_ticket_delivery_id_delivery'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_delivery_ticket_stored_file_id_stored_file'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('delivery_id', 'stored_file_id', name=op.f('pk_delivery_ticket'))
    )
    drop_freeze_triggers()
    with op.batch_alter_table('inspection_photo', schema=None) as batch_op:
        batch_op.alter_column('inspection_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('rectification_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accompanied_meal_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prevention_check_id', sa.Integer(), nullable=True))
        batch_op.alter_column('inspection_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('finding_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_rectification_task_accompanied_meal_id'), ['accompanied_meal_id'])
        batch_op.create_unique_constraint(batch_op.f('uq_rectification_task_prevention_check_id'), ['prevention_check_id'])
        batch_op.create_foreign_key(batch_op.f('fk_rectification_task_accompanied_meal_id_accompanied_meal'), 'accompanied_meal', ['accompanied_meal_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_rectification_task_prevention_check_id_prevention_check'), 'prevention_check', ['prevention_check_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint(op.f('ck_rectification_task_one_source'), "(CASE WHEN finding_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN accompanied_meal_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN prevention_check_id IS NULL THEN 0 ELSE 1 END) = 1")
        batch_op.create_check_constraint(op.f('ck_rectification_task_finding_has_inspection'), '(inspection_id IS NULL) = (finding_id IS NULL)')
    create_freeze_triggers()

    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_meals_per_term', sa.Integer(), nullable=False, server_default='2'))
        batch_op.add_column(sa.Column('bulk_acceptors', sa.Integer(), nullable=False, server_default='2'))
        batch_op.add_column(sa.Column('delivery_keep_months', sa.Integer(), nullable=False, server_default='6'))
        batch_op.add_column(sa.Column('delivery_keep_years', sa.Integer(), nullable=False, server_default='2'))
        batch_op.create_check_constraint(op.f('ck_school_settings_parent_meals_per_term_range'), 'parent_meals_per_term BETWEEN 0 AND 100')
        batch_op.create_check_constraint(op.f('ck_school_settings_bulk_acceptors_range'), 'bulk_acceptors BETWEEN 1 AND 5')
        batch_op.create_check_constraint(op.f('ck_school_settings_delivery_keep_months_range'), 'delivery_keep_months BETWEEN 6 AND 120')
        batch_op.create_check_constraint(op.f('ck_school_settings_delivery_keep_years_range'), 'delivery_keep_years BETWEEN 2 AND 30')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('food_safety_manager', sa.Boolean(), nullable=False, server_default=sa.false()))

    create_signed_triggers()


def downgrade():
    drop_signed_triggers()
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('food_safety_manager')

    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        for name in ('parent_meals_per_term', 'bulk_acceptors', 'delivery_keep_months', 'delivery_keep_years'):
            batch_op.drop_constraint(op.f(f'ck_school_settings_{name}_range'), type_='check')
        batch_op.drop_column('delivery_keep_years')
        batch_op.drop_column('delivery_keep_months')
        batch_op.drop_column('bulk_acceptors')
        batch_op.drop_column('parent_meals_per_term')

    # Tasks from a ledger have no inspection to belong to; a downgrade cannot keep them.
    op.execute("DELETE FROM inspection_photo WHERE inspection_id IS NULL")
    op.execute("DELETE FROM rectification_task WHERE inspection_id IS NULL")
    drop_freeze_triggers()
    with op.batch_alter_table('rectification_task', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rectification_task_finding_has_inspection'), type_='check')
        batch_op.drop_constraint(op.f('ck_rectification_task_one_source'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_rectification_task_prevention_check_id_prevention_check'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_rectification_task_accompanied_meal_id_accompanied_meal'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_rectification_task_prevention_check_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_rectification_task_accompanied_meal_id'), type_='unique')
        batch_op.alter_column('finding_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('inspection_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('prevention_check_id')
        batch_op.drop_column('accompanied_meal_id')

    with op.batch_alter_table('inspection_photo', schema=None) as batch_op:
        batch_op.alter_column('inspection_id',
               existing_type=sa.INTEGER(),
               nullable=False)
    create_freeze_triggers()

    op.drop_table('delivery_ticket')
    with op.batch_alter_table('delivery_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_item_school_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_item_delivery_id'))

    op.drop_table('delivery_item')
    op.drop_table('delivery_acceptor')
    with op.batch_alter_table('room_disinfection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_disinfection_school_id'))
        batch_op.drop_index(batch_op.f('ix_room_disinfection_room_id'))
        batch_op.drop_index(batch_op.f('ix_room_disinfection_day'))

    op.drop_table('room_disinfection')
    with op.batch_alter_table('risk_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_report_week_start'))
        batch_op.drop_index(batch_op.f('ix_risk_report_school_id'))

    op.drop_table('risk_report')
    with op.batch_alter_table('prevention_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prevention_check_school_id'))
        batch_op.drop_index(batch_op.f('ix_prevention_check_room_id'))
        batch_op.drop_index(batch_op.f('ix_prevention_check_day'))

    op.drop_table('prevention_check')
    with op.batch_alter_table('parent_meal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parent_meal_school_id'))
        batch_op.drop_index(batch_op.f('ix_parent_meal_day'))

    op.drop_table('parent_meal')
    with op.batch_alter_table('dispatch_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatch_meeting_school_id'))
        batch_op.drop_index(batch_op.f('ix_dispatch_meeting_held_on'))

    op.drop_table('dispatch_meeting')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_school_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_day'))

    op.drop_table('delivery')
    with op.batch_alter_table('accompanied_meal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accompanied_meal_school_id'))
        batch_op.drop_index(batch_op.f('ix_accompanied_meal_day'))

    op.drop_table('accompanied_meal')
    with op.batch_alter_table('supplier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_school_id'))

    op.drop_table('supplier')
    with op.batch_alter_table('canteen_room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_canteen_room_school_id'))

    op.drop_table('canteen_room')
