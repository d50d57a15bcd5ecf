"""Ledgers are evidence: every daily ledger record gets the moment it locks, the first day
it may be deleted and a withdrawal; corrections after the lock are amendments; database
triggers refuse a change of a locked record and a delete within retention (SQLite and
PostgreSQL). Rectification tasks name their ledger source generically. The domain rules:
the school's ingredient lists (bulk, quarantine, banned) from the national defaults, the
sample's reviewer and decimal weight, tickets and quarantine flags on deliveries, certificate
validity, school leaders, settings with national floors (values below a floor are raised to
it), and the escalation notification.

Existing records are stamped as the application would have stamped them: locked at the
school's cut-off the day after their day, kept two years (deliveries by their shelf-life
rule). A food sample "reviewed" by its own keeper was no review: its reviewer is cleared.

Revision ID: 0007_ledgers_are_evidence
Revises: 0006_security
Create Date: 2026-11-28 00:30:11

"""

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from migrations.shared import (
    BEING_WRITTEN,
    SQLITE_NOW,
    SQLITE_TODAY,
    create_freeze_triggers,
    drop_freeze_triggers,
    lock_ledger_tables,
    no_truncate,
    refuse,
    unlock_ledger_tables,
)

revision = "0007_ledgers_are_evidence"
down_revision = "0006_security"
branch_labels = None
depends_on = None

# Each ledger table, and the columns of its unique key among the records that count.
LEDGER_TABLES = {
    "menu_dish": ("school_id", "day", "meal", "name"),
    "food_sample": None,
    "tableware_disinfection": None,
    "morning_check": ("school_id", "day", "worker_id"),
    "accompanied_meal": ("school_id", "day", "meal"),
    "parent_meal": None,
    "room_disinfection": None,
    "prevention_check": None,
    "delivery": None,
}
# Written once after the lock, when their time comes (models/ledger.py, completed_later).
COMPLETED_LATER = {"food_sample": ("discarded_at", "discarded_by_id")}
# Rows of a delivery: they lock with it.
DELIVERY_PARTS = ("delivery_item", "delivery_ticket", "delivery_acceptor")

NOTIFICATION_KINDS_BEFORE = (
    "assignment_due",
    "task_assigned",
    "task_overdue",
    "ready_for_sign_off",
    "inspection_returned",
)
NOTIFICATION_KINDS = (*NOTIFICATION_KINDS_BEFORE, "task_escalated")

# (setting, its national floor), and the one where stricter is lower.
FLOORS = {
    "sample_min_grams": 125,
    "sample_keep_hours": 48,
    "steam_min_celsius": 100,
    "steam_min_seconds": 600,
    "infrared_min_celsius": 120,
    "infrared_min_seconds": 600,
    "dishwasher_min_celsius": 85,
    "dishwasher_min_seconds": 40,
    "chlorine_min_mg_l": 250,
    "chlorine_min_seconds": 300,
    "bulk_acceptors": 2,
}
RANGES_BEFORE = {
    "sample_min_grams": "sample_min_grams BETWEEN 1 AND 1000",
    "sample_keep_hours": "sample_keep_hours BETWEEN 1 AND 720",
    "bulk_acceptors": "bulk_acceptors BETWEEN 1 AND 5",
}
RANGES = {
    "sample_min_grams": "sample_min_grams BETWEEN 125 AND 1000",
    "sample_keep_hours": "sample_keep_hours BETWEEN 48 AND 720",
    "bulk_acceptors": "bulk_acceptors BETWEEN 2 AND 5",
}
DISINFECTION_FLOORS = " AND ".join(
    f"{name} >= {floor}"
    for name, floor in FLOORS.items()
    if name.split("_")[0] in ("steam", "infrared", "dishwasher", "chlorine")
)


def upgrade():
    op.create_table(
        "ingredient_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "bulk",
                "quarantine",
                "banned",
                name="ingredient_kind",
                native_enum=False,
                create_constraint=True,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("keywords", sa.String(length=300), nullable=False),
        sa.Column("bulk_from_kg", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "bulk_from_kg IS NULL OR bulk_from_kg > 0", name=op.f("ck_ingredient_rule_bulk_from_kg_positive")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_ingredient_rule_school_id_school"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingredient_rule")),
        sa.UniqueConstraint("school_id", "kind", "name", name=op.f("uq_ingredient_rule_school_id_kind_name")),
    )
    op.create_index(op.f("ix_ingredient_rule_school_id"), "ingredient_rule", ["school_id"])
    add_default_ingredient_rules()

    op.create_table(
        "ledger_amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ledger", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("length(trim(reason)) > 0", name=op.f("ck_ledger_amendment_has_reason")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_ledger_amendment_author_id_user"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_ledger_amendment_school_id_school"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_amendment")),
    )
    op.create_index("ix_ledger_amendment_record", "ledger_amendment", ["ledger", "record_id"])
    op.create_index(op.f("ix_ledger_amendment_school_id"), "ledger_amendment", ["school_id"])

    upgrade_settings()

    with op.batch_alter_table("certificate_kind") as batch_op:
        batch_op.add_column(sa.Column("valid_months", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_certificate_kind_valid_months_range"), "valid_months IS NULL OR valid_months BETWEEN 1 AND 120"
        )
    op.execute("UPDATE certificate_kind SET valid_months = 12 WHERE required_for_food_handling")

    with op.batch_alter_table("user") as batch_op:
        batch_op.add_column(sa.Column("school_leader", sa.Boolean(), nullable=False, server_default=sa.false()))

    _notification_kinds(NOTIFICATION_KINDS)

    for table in LEDGER_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("locks_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("keep_until", sa.Date(), nullable=True))
            batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=False, server_default=""))
            batch_op.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("food_sample") as batch_op:
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("delivery") as batch_op:
        batch_op.add_column(sa.Column("missing_ticket", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("missing_quarantine", sa.Boolean(), nullable=False, server_default=sa.false()))
    stamp_existing_records()
    flag_existing_deliveries()
    op.execute("UPDATE food_sample SET reviewed_by_id = NULL WHERE reviewed_by_id = retained_by_id")
    op.execute("UPDATE food_sample SET reviewed_at = retained_at WHERE reviewed_by_id IS NOT NULL")

    for table, unique in LEDGER_TABLES.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("locks_at", existing_type=sa.DateTime(timezone=True), nullable=False)
            batch_op.alter_column("keep_until", existing_type=sa.Date(), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_locks_at"), ["locks_at"])
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_withdrawn_by_id_user"), "user", ["withdrawn_by_id"], ["id"], ondelete="RESTRICT"
            )
            if unique:
                batch_op.drop_constraint(f"uq_{table}_{'_'.join(unique)}", type_="unique")
            if table == "food_sample":
                batch_op.alter_column(
                    "grams",
                    existing_type=sa.Integer(),
                    type_=sa.Numeric(precision=6, scale=1, asdecimal=False),
                    existing_nullable=False,
                )
                batch_op.create_check_constraint(
                    op.f("ck_food_sample_reviewer_not_keeper"),
                    "reviewed_by_id IS NULL OR reviewed_by_id <> retained_by_id",
                )
                batch_op.create_check_constraint(
                    op.f("ck_food_sample_review_has_time_and_person"),
                    "(reviewed_at IS NULL) = (reviewed_by_id IS NULL)",
                )
        if unique:
            _standing_index(table, unique)

    generic_task_sources()
    create_ledger_triggers()


def downgrade():
    drop_ledger_triggers()
    specific_task_sources()
    for table, unique in LEDGER_TABLES.items():
        if unique:
            op.drop_index(f"uq_{table}_standing_{'_'.join(unique)}", table_name=table)
        with op.batch_alter_table(table) as batch_op:
            if unique:
                batch_op.create_unique_constraint(f"uq_{table}_{'_'.join(unique)}", list(unique))
            if table == "food_sample":
                batch_op.drop_constraint(op.f("ck_food_sample_review_has_time_and_person"), type_="check")
                batch_op.drop_constraint(op.f("ck_food_sample_reviewer_not_keeper"), type_="check")
                batch_op.alter_column(
                    "grams",
                    existing_type=sa.Numeric(precision=6, scale=1, asdecimal=False),
                    type_=sa.Integer(),
                    existing_nullable=False,
                )
                batch_op.drop_column("reviewed_at")
            if table == "delivery":
                batch_op.drop_column("missing_quarantine")
                batch_op.drop_column("missing_ticket")
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_withdrawn_by_id_user"), type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_locks_at"))
            for column in ("withdrawn_by_id", "withdrawal_reason", "withdrawn_at", "keep_until", "locks_at"):
                batch_op.drop_column(column)
    op.execute("DELETE FROM notification WHERE kind = 'task_escalated'")
    _notification_kinds(NOTIFICATION_KINDS_BEFORE)
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_column("school_leader")
    with op.batch_alter_table("certificate_kind") as batch_op:
        batch_op.drop_constraint(op.f("ck_certificate_kind_valid_months_range"), type_="check")
        batch_op.drop_column("valid_months")
    downgrade_settings()
    op.drop_index(op.f("ix_ledger_amendment_school_id"), table_name="ledger_amendment")
    op.drop_index("ix_ledger_amendment_record", table_name="ledger_amendment")
    op.drop_table("ledger_amendment")
    op.drop_index(op.f("ix_ingredient_rule_school_id"), table_name="ingredient_rule")
    op.drop_table("ingredient_rule")


def _standing_index(table, columns):
    op.create_index(
        f"uq_{table}_standing_{'_'.join(columns)}",
        table,
        list(columns),
        unique=True,
        sqlite_where=sa.text("withdrawn_at IS NULL"),
        postgresql_where=sa.text("withdrawn_at IS NULL"),
    )


def _notification_kinds(kinds):
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("notification") as batch_op:
        batch_op.drop_constraint(op.f("ck_notification_notification_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_notification_notification_kind"), f"kind IN ({listed})")


# --- settings with national floors ----------------------------------------------------------


def upgrade_settings():
    for name, floor in FLOORS.items():
        op.execute(f"UPDATE school_settings SET {name} = {floor} WHERE {name} < {floor}")
    op.execute("UPDATE school_settings SET fever_from_celsius = 37.3 WHERE fever_from_celsius > 37.3")
    op.execute("UPDATE school_settings SET fever_from_celsius = 36.5 WHERE fever_from_celsius < 36.5")
    with op.batch_alter_table("school_settings") as batch_op:
        batch_op.drop_constraint(op.f("ck_school_settings_rectification_grace_hours_range"), type_="check")
        batch_op.drop_column("rectification_grace_hours")
        batch_op.add_column(sa.Column("ledger_lock_days", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("ledger_keep_years", sa.Integer(), nullable=False, server_default="2"))
        batch_op.add_column(
            sa.Column("allow_self_morning_check", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        for name, check in RANGES.items():
            batch_op.drop_constraint(op.f(f"ck_school_settings_{name}_range"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_school_settings_{name}_range"), check)
        batch_op.create_check_constraint(
            op.f("ck_school_settings_ledger_lock_days_range"), "ledger_lock_days BETWEEN 0 AND 7"
        )
        batch_op.create_check_constraint(
            op.f("ck_school_settings_ledger_keep_years_range"), "ledger_keep_years BETWEEN 2 AND 30"
        )
        batch_op.create_check_constraint(op.f("ck_school_settings_disinfection_national_floors"), DISINFECTION_FLOORS)
        batch_op.create_check_constraint(
            op.f("ck_school_settings_fever_from_celsius_range"), "fever_from_celsius BETWEEN 36.5 AND 37.3"
        )


def downgrade_settings():
    with op.batch_alter_table("school_settings") as batch_op:
        for name in (
            "fever_from_celsius_range",
            "disinfection_national_floors",
            "ledger_keep_years_range",
            "ledger_lock_days_range",
        ):
            batch_op.drop_constraint(op.f(f"ck_school_settings_{name}"), type_="check")
        for name, check in RANGES_BEFORE.items():
            batch_op.drop_constraint(op.f(f"ck_school_settings_{name}_range"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_school_settings_{name}_range"), check)
        for column in ("allow_self_morning_check", "ledger_keep_years", "ledger_lock_days"):
            batch_op.drop_column(column)
        batch_op.add_column(sa.Column("rectification_grace_hours", sa.Integer(), nullable=False, server_default="2"))
        batch_op.create_check_constraint(
            op.f("ck_school_settings_rectification_grace_hours_range"), "rectification_grace_hours BETWEEN 1 AND 24"
        )


# --- the ingredient lists -------------------------------------------------------------------

RULES = sa.table(
    "ingredient_rule",
    sa.column("school_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("name", sa.String),
    sa.column("keywords", sa.String),
    sa.column("bulk_from_kg", sa.Numeric),
    sa.column("reason", sa.String),
    sa.column("active", sa.Boolean),
)


def add_default_ingredient_rules():
    """Every existing school starts with the national defaults, as a new school does."""
    from portal.services.ingredients import DEFAULTS

    connection = op.get_bind()
    school_ids = connection.execute(sa.text("SELECT id FROM school")).scalars().all()
    rows = [
        {
            "school_id": school_id,
            "kind": kind.value,
            "name": name,
            "keywords": keywords,
            "bulk_from_kg": bulk_from_kg,
            "reason": reason,
            "active": True,
        }
        for school_id in school_ids
        for kind, name, keywords, bulk_from_kg, reason in DEFAULTS
    ]
    if rows:
        connection.execute(sa.insert(RULES), rows)


# --- stamping the records there are ---------------------------------------------------------


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _as_time(value):
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def _school_rules():
    """{school id: (time zone, daily cut-off, delivery keep months, delivery keep years)}"""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT school.id, school.timezone, school_settings.rectification_cutoff, "
            "school_settings.delivery_keep_months, school_settings.delivery_keep_years "
            "FROM school JOIN school_settings ON school_settings.school_id = school.id"
        )
    )
    return {row[0]: (ZoneInfo(row[1]), _as_time(row[2]), row[3], row[4]) for row in rows}


def _stored_moment(moment):
    """As the application stores it: aware on PostgreSQL, naive UTC on SQLite."""
    moment = moment.astimezone(UTC)
    return moment if op.get_bind().dialect.name == "postgresql" else moment.replace(tzinfo=None)


def _locks_at(rules, day):
    zone, cutoff, _months, _years = rules
    return _stored_moment(datetime.combine(day + timedelta(days=1), cutoff, tzinfo=zone))


def stamp_existing_records():
    connection = op.get_bind()
    schools = _school_rules()
    for table in LEDGER_TABLES:
        if table in ("food_sample", "delivery"):
            continue
        days = connection.execute(sa.text(f"SELECT DISTINCT school_id, day FROM {table}")).all()
        for school_id, day in days:
            day = _as_date(day)
            connection.execute(
                sa.text(
                    f"UPDATE {table} SET locks_at = :locks_at, keep_until = :keep_until "
                    "WHERE school_id = :school_id AND day = :day"
                ),
                {
                    "locks_at": _locks_at(schools[school_id], day),
                    "keep_until": _add_months(day, 24),
                    "school_id": school_id,
                    "day": day,
                },
            )
    connection.execute(
        sa.text(
            "UPDATE food_sample SET locks_at = (SELECT locks_at FROM menu_dish WHERE menu_dish.id = food_sample.dish_id), "
            "keep_until = (SELECT keep_until FROM menu_dish WHERE menu_dish.id = food_sample.dish_id)"
        )
    )
    items = {}
    for delivery_id, production_date, shelf_life_days in connection.execute(
        sa.text("SELECT delivery_id, production_date, shelf_life_days FROM delivery_item")
    ):
        items.setdefault(delivery_id, []).append((production_date, shelf_life_days))
    for delivery_id, school_id, day in connection.execute(sa.text("SELECT id, school_id, day FROM delivery")).all():
        day = _as_date(day)
        rules = schools[school_id]
        _zone, _cutoff, keep_months, keep_years = rules
        ends = [
            None if shelf is None else _as_date(made or day) + timedelta(days=shelf)
            for made, shelf in items.get(delivery_id, [])
        ]
        keep_until = (
            _add_months(day, 12 * keep_years) if not ends or None in ends else _add_months(max(ends), keep_months)
        )
        connection.execute(
            sa.text("UPDATE delivery SET locks_at = :locks_at, keep_until = :keep_until WHERE id = :id"),
            {"locks_at": _locks_at(rules, day), "keep_until": keep_until, "id": delivery_id},
        )


def flag_existing_deliveries():
    """索证索票 on the deliveries there are: no ticket at all; meat without a quarantine
    certificate (none could be attached before this revision)."""
    from portal.services.ingredients import DEFAULTS

    connection = op.get_bind()
    connection.execute(
        sa.text(
            "UPDATE delivery SET missing_ticket = :yes WHERE NOT EXISTS "
            "(SELECT 1 FROM delivery_ticket WHERE delivery_ticket.delivery_id = delivery.id)"
        ),
        {"yes": True},
    )
    words = [
        word
        for kind, _name, keywords, _kg, _reason in DEFAULTS
        if kind.value == "quarantine"
        for word in keywords.split("、")
    ]
    for delivery_id, item_name in connection.execute(sa.text("SELECT delivery_id, name FROM delivery_item")).all():
        if any(word in item_name for word in words):
            connection.execute(
                sa.text("UPDATE delivery SET missing_quarantine = :yes WHERE id = :id"),
                {"yes": True, "id": delivery_id},
            )


# --- rectification tasks name their source generically --------------------------------------

SOURCES = {"accompanied_meal_id": "accompanied_meals", "prevention_check_id": "prevention_checks"}
OLD_ONE_SOURCE = (
    "(CASE WHEN finding_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN accompanied_meal_id IS NULL THEN 0 "
    "ELSE 1 END) + (CASE WHEN prevention_check_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def _replace_trigger(keys):
    """0006's trigger against INSERT OR REPLACE of a signed inspection's task (SQLite)."""
    conflicts = " OR ".join(f"(existing.{key} = NEW.{key})" for key in keys)
    op.execute(
        "CREATE TRIGGER rectification_task_frozen_replace BEFORE INSERT ON rectification_task WHEN EXISTS "
        "(SELECT 1 FROM rectification_task AS existing JOIN inspection ON inspection.id = existing.inspection_id "
        f"WHERE ({conflicts}) AND inspection.status = 'signed_off') "
        "BEGIN SELECT RAISE(ABORT, 'a part of a signed-off inspection cannot be replaced'); END"
    )


def _rebuilding_tasks(change):
    """SQLite rebuilds the table, dropping its triggers (0002's freeze, 0006's replace):
    they are made again afterwards."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    drop_freeze_triggers()
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS rectification_task_frozen_replace")
    keys = change()
    create_freeze_triggers()
    if sqlite:
        _replace_trigger(keys)


def generic_task_sources():
    with op.batch_alter_table("rectification_task") as batch_op:
        batch_op.add_column(sa.Column("ledger", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("ledger_record_id", sa.Integer(), nullable=True))
    for column, ledger in SOURCES.items():
        op.execute(
            f"UPDATE rectification_task SET ledger = '{ledger}', ledger_record_id = {column} WHERE {column} IS NOT NULL"
        )

    def change():
        with op.batch_alter_table("rectification_task") as batch_op:
            batch_op.drop_constraint(op.f("ck_rectification_task_one_source"), type_="check")
            for column, _ledger in SOURCES.items():
                table = column.removesuffix("_id")
                batch_op.drop_constraint(op.f(f"fk_rectification_task_{column}_{table}"), type_="foreignkey")
                batch_op.drop_constraint(op.f(f"uq_rectification_task_{column}"), type_="unique")
                batch_op.drop_column(column)
            batch_op.create_unique_constraint(
                op.f("uq_rectification_task_ledger_ledger_record_id"), ["ledger", "ledger_record_id"]
            )
            batch_op.create_check_constraint(
                op.f("ck_rectification_task_one_source"), "(finding_id IS NULL) <> (ledger_record_id IS NULL)"
            )
            batch_op.create_check_constraint(
                op.f("ck_rectification_task_ledger_names_its_record"), "(ledger IS NULL) = (ledger_record_id IS NULL)"
            )
        return ("id", "finding_id")

    _rebuilding_tasks(change)


def specific_task_sources():
    def change():
        with op.batch_alter_table("rectification_task") as batch_op:
            batch_op.drop_constraint(op.f("ck_rectification_task_ledger_names_its_record"), type_="check")
            batch_op.drop_constraint(op.f("ck_rectification_task_one_source"), type_="check")
            batch_op.drop_constraint(op.f("uq_rectification_task_ledger_ledger_record_id"), type_="unique")
            for column in SOURCES:
                batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
        for column, ledger in SOURCES.items():
            op.execute(f"UPDATE rectification_task SET {column} = ledger_record_id WHERE ledger = '{ledger}'")
        with op.batch_alter_table("rectification_task") as batch_op:
            for column in SOURCES:
                table = column.removesuffix("_id")
                batch_op.create_unique_constraint(op.f(f"uq_rectification_task_{column}"), [column])
                batch_op.create_foreign_key(
                    op.f(f"fk_rectification_task_{column}_{table}"), table, [column], ["id"], ondelete="RESTRICT"
                )
            batch_op.drop_column("ledger_record_id")
            batch_op.drop_column("ledger")
            batch_op.create_check_constraint(op.f("ck_rectification_task_one_source"), OLD_ONE_SOURCE)
        return ("id", "finding_id", *SOURCES)

    _rebuilding_tasks(change)


# --- locked means locked, in the database too -----------------------------------------------


def create_ledger_triggers():
    lock_ledger_tables(LEDGER_TABLES, COMPLETED_LATER)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_PART_FUNCTION)
        for table in DELIVERY_PARTS:
            op.execute(
                f"CREATE TRIGGER {table}_locked BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION portal_guard_delivery_part()"
            )
            no_truncate(table)
        op.execute(
            "CREATE TRIGGER ledger_amendment_append_only BEFORE UPDATE OR DELETE ON ledger_amendment "
            "FOR EACH ROW EXECUTE FUNCTION portal_refuse_append_only_change()"
        )
        no_truncate("ledger_amendment")
        return

    def delivery(row, condition):
        return f"EXISTS (SELECT 1 FROM delivery WHERE delivery.id = {row}.delivery_id AND {condition})"

    locked_delivery = f"delivery.locks_at <= {SQLITE_NOW}"
    written_before = f"delivery.recorded_at < strftime('%Y-%m-%d %H:%M:%f', 'now', '-{BEING_WRITTEN}')"
    message = "the items, tickets and acceptors of a locked delivery cannot change"
    for table in DELIVERY_PARTS:
        replaced = ""
        if table == "delivery_item":
            replaced = (
                " OR EXISTS (SELECT 1 FROM delivery_item AS existing JOIN delivery ON delivery.id = "
                f"existing.delivery_id WHERE existing.id = NEW.id AND {locked_delivery})"
            )
        refuse(
            f"{table}_locked_insert",
            f"INSERT ON {table}",
            delivery("NEW", f"{locked_delivery} AND {written_before}") + replaced,
            message,
        )
        refuse(
            f"{table}_locked_update",
            f"UPDATE ON {table}",
            f"{delivery('OLD', locked_delivery)} OR {delivery('NEW', locked_delivery)}",
            message,
        )
        refuse(
            f"{table}_locked_delete",
            f"DELETE ON {table}",
            delivery("OLD", f"{locked_delivery} AND delivery.keep_until > {SQLITE_TODAY}"),
            message,
        )
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER ledger_amendment_append_only_{event.lower()} BEFORE {event} ON ledger_amendment "
            "BEGIN SELECT RAISE(ABORT, 'ledger_amendment is append-only'); END"
        )
    refuse(
        "ledger_amendment_append_only_replace",
        "INSERT ON ledger_amendment",
        "EXISTS (SELECT 1 FROM ledger_amendment AS existing WHERE existing.id = NEW.id)",
        "ledger_amendment is append-only",
    )


def drop_ledger_triggers():
    unlock_ledger_tables(LEDGER_TABLES)
    if op.get_bind().dialect.name == "postgresql":
        for table in DELIVERY_PARTS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_locked ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER IF EXISTS ledger_amendment_append_only ON ledger_amendment")
        op.execute("DROP TRIGGER IF EXISTS ledger_amendment_no_truncate ON ledger_amendment")
        op.execute("DROP FUNCTION IF EXISTS portal_guard_ledger_record()")
        op.execute("DROP FUNCTION IF EXISTS portal_guard_delivery_part()")
        return
    names = [
        "ledger_amendment_append_only_update",
        "ledger_amendment_append_only_delete",
        "ledger_amendment_append_only_replace",
    ]
    for table in DELIVERY_PARTS:
        names += [f"{table}_locked_insert", f"{table}_locked_update", f"{table}_locked_delete"]
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


# BEING_WRITTEN, in PostgreSQL's words.
POSTGRESQL_PART_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_guard_delivery_part() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND EXISTS (
        SELECT 1 FROM delivery WHERE id = OLD.delivery_id AND locks_at <= now()
            AND (TG_OP = 'UPDATE' OR keep_until > current_date)
    ) OR TG_OP <> 'DELETE' AND EXISTS (
        SELECT 1 FROM delivery WHERE id = NEW.delivery_id AND locks_at <= now()
            AND (TG_OP = 'UPDATE' OR recorded_at < now() - interval '10 minutes')
    ) THEN
        RAISE EXCEPTION 'the items, tickets and acceptors of a locked delivery cannot change'
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""
