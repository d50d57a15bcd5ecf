"""Canteen ledgers: the menu, food samples, tableware disinfection, morning checks; the
thresholds they are checked against as school settings; the canteen roster.

Revision ID: 0004_canteen_ledgers
Revises: 0003_evidence
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_canteen_ledgers'
down_revision = '0003_evidence'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('menu_dish',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('meal', sa.Enum('breakfast', 'lunch', 'dinner', name='meal', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_menu_dish_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menu_dish')),
    sa.UniqueConstraint('school_id', 'day', 'meal', 'name', name=op.f('uq_menu_dish_school_id_day_meal_name'))
    )
    with op.batch_alter_table('menu_dish', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_menu_dish_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_menu_dish_school_id'), ['school_id'], unique=False)

    op.create_table('morning_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('temperature_c', sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False),
    sa.Column('symptoms', sa.String(length=200), nullable=False),
    sa.Column('fit', sa.Boolean(), nullable=False),
    sa.Column('on_duty', sa.Boolean(), nullable=False),
    sa.Column('action_taken', sa.String(length=200), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('NOT (on_duty AND NOT fit)', name=op.f('ck_morning_check_unfit_never_on_duty')),
    sa.ForeignKeyConstraint(['checked_by_id'], ['user.id'], name=op.f('fk_morning_check_checked_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_morning_check_school_id_school'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['worker_id'], ['user.id'], name=op.f('fk_morning_check_worker_id_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_morning_check')),
    sa.UniqueConstraint('school_id', 'day', 'worker_id', name=op.f('uq_morning_check_school_id_day_worker_id'))
    )
    with op.batch_alter_table('morning_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_morning_check_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_morning_check_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_morning_check_worker_id'), ['worker_id'], unique=False)

    op.create_table('tableware_disinfection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('meal', sa.Enum('breakfast', 'lunch', 'dinner', name='meal', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('method', sa.Enum('steam', 'infrared', 'dishwasher', 'chlorine', name='disinfection_method', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('temperature_c', sa.Integer(), nullable=True),
    sa.Column('concentration_mg_l', sa.Integer(), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=False),
    sa.Column('items', sa.String(length=200), nullable=False),
    sa.Column('done_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("(method = 'chlorine') = (concentration_mg_l IS NOT NULL AND temperature_c IS NULL)", name=op.f('ck_tableware_disinfection_measure_fits_method')),
    sa.CheckConstraint('duration_seconds > 0', name=op.f('ck_tableware_disinfection_duration_positive')),
    sa.ForeignKeyConstraint(['done_by_id'], ['user.id'], name=op.f('fk_tableware_disinfection_done_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_tableware_disinfection_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tableware_disinfection'))
    )
    with op.batch_alter_table('tableware_disinfection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tableware_disinfection_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_tableware_disinfection_school_id'), ['school_id'], unique=False)

    op.create_table('food_sample',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dish_id', sa.Integer(), nullable=False),
    sa.Column('grams', sa.Integer(), nullable=False),
    sa.Column('container_label', sa.String(length=100), nullable=False),
    sa.Column('retained_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retained_by_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('discarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('discarded_by_id', sa.Integer(), nullable=True),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(discarded_at IS NULL) = (discarded_by_id IS NULL)', name=op.f('ck_food_sample_discard_has_time_and_person')),
    sa.CheckConstraint('discarded_at IS NULL OR discarded_at > retained_at', name=op.f('ck_food_sample_discarded_after_retained')),
    sa.CheckConstraint('grams > 0', name=op.f('ck_food_sample_grams_positive')),
    sa.ForeignKeyConstraint(['discarded_by_id'], ['user.id'], name=op.f('fk_food_sample_discarded_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['dish_id'], ['menu_dish.id'], name=op.f('fk_food_sample_dish_id_menu_dish'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['photo_id'], ['stored_file.id'], name=op.f('fk_food_sample_photo_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['retained_by_id'], ['user.id'], name=op.f('fk_food_sample_retained_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_food_sample_reviewed_by_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_food_sample_school_id_school'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_food_sample'))
    )
    with op.batch_alter_table('food_sample', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_food_sample_dish_id'), ['dish_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_food_sample_school_id'), ['school_id'], unique=False)

    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('serves_breakfast', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('serves_lunch', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('serves_dinner', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('breakfast_ends', sa.Time(), nullable=False, server_default='08:30:00'))
        batch_op.add_column(sa.Column('lunch_ends', sa.Time(), nullable=False, server_default='13:00:00'))
        batch_op.add_column(sa.Column('dinner_ends', sa.Time(), nullable=False, server_default='19:00:00'))
        batch_op.add_column(sa.Column('sample_min_grams', sa.Integer(), nullable=False, server_default='125'))
        batch_op.add_column(sa.Column('sample_keep_hours', sa.Integer(), nullable=False, server_default='48'))
        batch_op.add_column(sa.Column('steam_min_celsius', sa.Integer(), nullable=False, server_default='100'))
        batch_op.add_column(sa.Column('steam_min_seconds', sa.Integer(), nullable=False, server_default='600'))
        batch_op.add_column(sa.Column('infrared_min_celsius', sa.Integer(), nullable=False, server_default='120'))
        batch_op.add_column(sa.Column('infrared_min_seconds', sa.Integer(), nullable=False, server_default='600'))
        batch_op.add_column(sa.Column('dishwasher_min_celsius', sa.Integer(), nullable=False, server_default='85'))
        batch_op.add_column(sa.Column('dishwasher_min_seconds', sa.Integer(), nullable=False, server_default='40'))
        batch_op.add_column(sa.Column('chlorine_min_mg_l', sa.Integer(), nullable=False, server_default='250'))
        batch_op.add_column(sa.Column('chlorine_min_seconds', sa.Integer(), nullable=False, server_default='300'))
        batch_op.add_column(sa.Column('fever_from_celsius', sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False, server_default='37.3'))
        batch_op.create_check_constraint(op.f('ck_school_settings_sample_min_grams_range'), 'sample_min_grams BETWEEN 1 AND 1000')
        batch_op.create_check_constraint(op.f('ck_school_settings_sample_keep_hours_range'), 'sample_keep_hours BETWEEN 1 AND 720')
        batch_op.create_check_constraint(op.f('ck_school_settings_serves_a_meal'), 'serves_breakfast OR serves_lunch OR serves_dinner')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('canteen_worker', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('canteen_worker')

    with op.batch_alter_table('school_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_school_settings_serves_a_meal'), type_='check')
        batch_op.drop_constraint(op.f('ck_school_settings_sample_keep_hours_range'), type_='check')
        batch_op.drop_constraint(op.f('ck_school_settings_sample_min_grams_range'), type_='check')
        batch_op.drop_column('fever_from_celsius')
        batch_op.drop_column('chlorine_min_seconds')
        batch_op.drop_column('chlorine_min_mg_l')
        batch_op.drop_column('dishwasher_min_seconds')
        batch_op.drop_column('dishwasher_min_celsius')
        batch_op.drop_column('infrared_min_seconds')
        batch_op.drop_column('infrared_min_celsius')
        batch_op.drop_column('steam_min_seconds')
        batch_op.drop_column('steam_min_celsius')
        batch_op.drop_column('sample_keep_hours')
        batch_op.drop_column('sample_min_grams')
        batch_op.drop_column('dinner_ends')
        batch_op.drop_column('lunch_ends')
        batch_op.drop_column('breakfast_ends')
        batch_op.drop_column('serves_dinner')
        batch_op.drop_column('serves_lunch')
        batch_op.drop_column('serves_breakfast')

    with op.batch_alter_table('food_sample', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_food_sample_school_id'))
        batch_op.drop_index(batch_op.f('ix_food_sample_dish_id'))

    op.drop_table('food_sample')
    with op.batch_alter_table('tableware_disinfection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tableware_disinfection_school_id'))
        batch_op.drop_index(batch_op.f('ix_tableware_disinfection_day'))

    op.drop_table('tableware_disinfection')
    with op.batch_alter_table('morning_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_morning_check_worker_id'))
        batch_op.drop_index(batch_op.f('ix_morning_check_school_id'))
        batch_op.drop_index(batch_op.f('ix_morning_check_day'))

    op.drop_table('morning_check')
    with op.batch_alter_table('menu_dish', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_menu_dish_school_id'))
        batch_op.drop_index(batch_op.f('ix_menu_dish_day'))

    op.drop_table('menu_dish')
