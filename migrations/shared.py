"""What migrations share: the database's own guards (triggers), written once and imported by
every revision that creates, drops or rebuilds a guarded table. A revision keeps calling the
same function with the same arguments, so these stay stable: a change here is a change of
what every past revision created, and needs a revision of its own."""

import sqlalchemy as sa
from alembic import op

# --- signed means frozen (0002) -------------------------------------------------------------

FROZEN_PARTS = ("inspection_item", "finding", "inspection_photo", "rectification_task")


FREEZE_FUNCTIONS = """
CREATE OR REPLACE FUNCTION portal_refuse_change_of_signed_inspection() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'signed_off' THEN
        RAISE EXCEPTION 'inspection % is signed off and cannot change', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION portal_refuse_change_of_signed_part() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND EXISTS (
        SELECT 1 FROM inspection WHERE id = OLD.inspection_id AND status = 'signed_off'
    ) THEN
        RAISE EXCEPTION '% of signed-off inspection % cannot change', TG_TABLE_NAME, OLD.inspection_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP <> 'DELETE' AND EXISTS (
        SELECT 1 FROM inspection WHERE id = NEW.inspection_id AND status = 'signed_off'
    ) THEN
        RAISE EXCEPTION '% of signed-off inspection % cannot change', TG_TABLE_NAME, NEW.inspection_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def create_freeze_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FREEZE_FUNCTIONS)
        op.execute(
            "CREATE TRIGGER inspection_frozen BEFORE UPDATE OR DELETE ON inspection "
            "FOR EACH ROW EXECUTE FUNCTION portal_refuse_change_of_signed_inspection()"
        )
        for table in FROZEN_PARTS:
            op.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION portal_refuse_change_of_signed_part()"
            )
        return
    refuse = "SELECT RAISE(ABORT, 'signed-off inspection cannot change');"
    for operation in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER inspection_frozen_{operation.lower()} BEFORE {operation} ON inspection "
            f"WHEN OLD.status = 'signed_off' BEGIN {refuse} END"
        )
    for table in FROZEN_PARTS:
        for operation, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER {table}_frozen_{operation.lower()} BEFORE {operation} ON {table} "
                f"WHEN (SELECT status FROM inspection WHERE id = {row}.inspection_id) = 'signed_off' "
                f"BEGIN {refuse} END"
            )
        op.execute(
            f"CREATE TRIGGER {table}_frozen_move BEFORE UPDATE ON {table} "
            "WHEN (SELECT status FROM inspection WHERE id = NEW.inspection_id) = 'signed_off' "
            f"BEGIN {refuse} END"
        )


def drop_freeze_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS inspection_frozen ON inspection")
        for table in FROZEN_PARTS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
        op.execute("DROP FUNCTION IF EXISTS portal_refuse_change_of_signed_part()")
        op.execute("DROP FUNCTION IF EXISTS portal_refuse_change_of_signed_inspection()")
        return
    op.execute("DROP TRIGGER IF EXISTS inspection_frozen_update")
    op.execute("DROP TRIGGER IF EXISTS inspection_frozen_delete")
    for table in FROZEN_PARTS:
        for suffix in ("insert", "update", "delete", "move"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_frozen_{suffix}")


# --- locked means locked (0007) -------------------------------------------------------------

SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"


# A delivery for a day already locked (the demo's last week, a test's history) is written
# with its items in one go: they may be added while the delivery row is this new.
BEING_WRITTEN = "10 minutes"


SQLITE_TODAY = "date('now')"
# The latest date any school can have now (UTC+14): SQLite knows no time zones, so its guard
# on deletion within retention lets a school's own date decide (the portal checks it exactly;
# PostgreSQL's guard reads the school's time zone).
SQLITE_SCHOOL_TODAY = "date('now', '+14 hours')"


def _replaced(table, unique):
    """SQL true when an INSERT (OR REPLACE) would take the place of a locked or kept record:
    by its id, or by its unique key among the records that count."""
    conflicts = "(existing.id = NEW.id)"
    if unique:
        same = " AND ".join(f"existing.{c} = NEW.{c}" for c in unique)
        conflicts += f" OR ({same} AND existing.withdrawn_at IS NULL)"
    return (
        f"EXISTS (SELECT 1 FROM {table} AS existing WHERE ({conflicts}) AND "
        f"(existing.locks_at <= {SQLITE_NOW} OR existing.keep_until > {SQLITE_TODAY}))"
    )


def refuse(name, event, when, message):
    op.execute(f"CREATE TRIGGER {name} BEFORE {event} WHEN {when} BEGIN SELECT RAISE(ABORT, '{message}'); END")


def lock_ledger_tables(tables, completed_later=None):
    """The database's own guard for ledger tables ({table: its unique key among standing
    records, or None}): no change once locked (but ``completed_later`` columns, written
    once), no delete within retention, no replace, no TRUNCATE. A migration that adds a
    ledger calls this for its table; on SQLite, a batch operation that rebuilds the table
    afterwards must call it again."""
    completed_later = completed_later or {}
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_LEDGER_FUNCTION)
        for table in tables:
            later = ", ".join(f"'{column}'" for column in completed_later.get(table, ()))
            op.execute(
                f"CREATE TRIGGER {table}_locked BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION portal_guard_ledger_record({later})"
            )
            no_truncate(table)
        return
    locked = f"OLD.locks_at <= {SQLITE_NOW}"
    for table, unique in tables.items():
        later = completed_later.get(table, ())
        message = f"{table}: a locked ledger record cannot change"
        columns = [c["name"] for c in sa.inspect(op.get_bind()).get_columns(table) if c["name"] not in later]
        of = f" OF {', '.join(columns)}" if later else ""
        refuse(f"{table}_locked_update", f"UPDATE{of} ON {table}", locked, message)
        if later:
            filled = " OR ".join(f"OLD.{column} IS NOT NULL" for column in later)
            refuse(
                f"{table}_completed_once",
                f"UPDATE OF {', '.join(later)} ON {table}",
                f"{locked} AND ({filled})",
                message,
            )
        refuse_deletion_within_retention(table)
        refuse(
            f"{table}_locked_replace",
            f"INSERT ON {table}",
            _replaced(table, unique),
            f"{table}: a ledger record cannot be replaced",
        )


def refuse_deletion_within_retention(table):
    """SQLite's guard; PostgreSQL's is in POSTGRESQL_LEDGER_FUNCTION."""
    refuse(
        f"{table}_kept_delete",
        f"DELETE ON {table}",
        f"OLD.keep_until > {SQLITE_SCHOOL_TODAY}",
        f"{table}: a ledger record is not deleted within its retention period",
    )


def unlock_ledger_tables(tables):
    for table in tables:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_locked ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            continue
        for suffix in ("locked_update", "completed_once", "kept_delete", "locked_replace"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")


def no_truncate(table):
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_truncate()"
    )


POSTGRESQL_LEDGER_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_guard_ledger_record() RETURNS trigger AS $$
DECLARE
    later text[] := coalesce(TG_ARGV, '{}');  -- columns written once after the lock
    field text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.keep_until > (now() AT TIME ZONE coalesce(
                (SELECT timezone FROM school WHERE id = OLD.school_id), 'Asia/Shanghai'))::date THEN
            RAISE EXCEPTION '% %: a ledger record is not deleted within its retention period (until %)',
                TG_TABLE_NAME, OLD.id, OLD.keep_until USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.locks_at <= now() THEN
        IF (to_jsonb(NEW) - later) IS DISTINCT FROM (to_jsonb(OLD) - later) THEN
            RAISE EXCEPTION '% %: a locked ledger record cannot change', TG_TABLE_NAME, OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        FOREACH field IN ARRAY later LOOP
            IF to_jsonb(OLD) -> field <> 'null'::jsonb
                AND to_jsonb(OLD) -> field IS DISTINCT FROM to_jsonb(NEW) -> field THEN
                RAISE EXCEPTION '% %: a locked ledger record cannot change', TG_TABLE_NAME, OLD.id
                    USING ERRCODE = 'check_violation';
            END IF;
        END LOOP;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


# --- no record for a locked day from outside the portal (0021) -----------------------------

# The portal's own connections say who they are (portal/database.py): SQLite through a
# function only they define, PostgreSQL through a setting they make when they connect. The
# portal writes a record for a locked day only as history (the demo's past weeks), and audits
# its creation; any other connection is refused.
POSTGRESQL_BACK_DATED_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_refuse_back_dated_record() RETURNS trigger AS $$
BEGIN
    IF NEW.locks_at <= now() AND coalesce(current_setting('portal.writer', true), '') <> 'portal' THEN
        RAISE EXCEPTION '%: a record for a day whose ledger is locked cannot be added', TG_TABLE_NAME
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def refuse_back_dated_records(tables):
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_BACK_DATED_FUNCTION)
        for table in tables:
            op.execute(
                f"CREATE TRIGGER {table}_back_dated BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION portal_refuse_back_dated_record()"
            )
        return
    for table in tables:
        refuse(
            f"{table}_back_dated",
            f"INSERT ON {table}",
            f"NEW.locks_at <= {SQLITE_NOW} AND NOT portal_writer()",
            f"{table}: a record for a day whose ledger is locked cannot be added",
        )


def allow_back_dated_records(tables, drop_function=True):
    """The guard taken off ``tables``; the function too unless other tables still use it."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in tables:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_back_dated" + (f" ON {table}" if postgresql else ""))
    if postgresql and drop_function:
        op.execute("DROP FUNCTION IF EXISTS portal_refuse_back_dated_record()")


# --- a signed record does not change (0030's shape, shared from 0033) ------------------------


def freeze_signed_records(table):
    """Once ``signed_at`` is set, no UPDATE, DELETE or replacing INSERT (0005's function on
    PostgreSQL, which also refuses TRUNCATE)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_signed BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION portal_refuse_change_of_signed_record()"
        )
        no_truncate(table)
        return
    message = f"{table}: a signed record cannot change"
    replaced = (
        f"EXISTS (SELECT 1 FROM {table} AS existing WHERE existing.id = NEW.id AND existing.signed_at IS NOT NULL)"
    )
    refuse(f"{table}_signed_update", f"UPDATE ON {table}", "OLD.signed_at IS NOT NULL", message)
    refuse(f"{table}_signed_delete", f"DELETE ON {table}", "OLD.signed_at IS NOT NULL", message)
    refuse(f"{table}_signed_replace", f"INSERT ON {table}", replaced, message)


def unfreeze_signed_records(table):
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_signed ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        return
    for name in ("update", "delete", "replace"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_signed_{name}")
