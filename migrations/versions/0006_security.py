"""Security against an insider: a password someone else set must be changed at the next
login; wrong passwords are counted in the database (every worker sees them); the audit
trail is keyed with HMAC (AUDIT_KEY) and append-only; and INSERT OR REPLACE (SQLite) or
TRUNCATE (PostgreSQL) can no longer rewrite a signed record, an amendment or a frozen PDF's
record.

Existing audit events are re-hashed with the key, chain by chain, before the triggers that
make them append-only exist. Run the upgrade with the production AUDIT_KEY set.

Revision ID: 0006_security
Revises: 0005_canteen_ledgers_2
Create Date: 2026-11-28 01:30:00

"""
import hashlib
import hmac
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "0006_security"
down_revision = "0005_canteen_ledgers_2"
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64

# Rows nobody changes once written, and the rows of a signed record: the conflicts through
# which SQLite's INSERT OR REPLACE would delete one (its primary key and unique keys).
APPEND_ONLY = {
    "audit_event": ("id", ("chain", "seq")),
    "inspection_amendment": ("id",),
    "inspection_evidence": ("id", ("inspection_id", "amendment_id"), ("storage_key",)),
}
SIGNED_WHEN = {
    "inspection": ("status = 'signed_off'", ("id",)),
    "risk_report": ("signed_at IS NOT NULL", ("id", ("school_id", "week_start"))),
    "dispatch_meeting": ("signed_at IS NOT NULL", ("id",)),
}
PARTS_OF_SIGNED_INSPECTIONS = {
    "inspection_item": ("id",),
    "finding": ("id",),
    "inspection_photo": ("id",),
    "rectification_task": ("id", ("finding_id",), ("accompanied_meal_id",), ("prevention_check_id",)),
}


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("password_reset_required", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "password_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=200), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_failure")),
    )
    op.create_index("ix_password_failure_bucket_failed_at", "password_failure", ["bucket", "failed_at"])
    rekey_audit_trail()
    create_triggers()


def downgrade():
    drop_triggers()
    op.drop_index("ix_password_failure_bucket_failed_at", table_name="password_failure")
    op.drop_table("password_failure")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("password_reset_required")


# --- the audit trail, keyed -----------------------------------------------------------------

EVENTS = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("chain", sa.String),
    sa.column("seq", sa.Integer),
    sa.column("school_id", sa.Integer),
    sa.column("actor_id", sa.Integer),
    sa.column("actor_name", sa.String),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
HEADS = sa.table("audit_chain_head", sa.column("chain", sa.String), sa.column("seq", sa.Integer), sa.column("hash", sa.String))


def _canonical(row, prev_hash):
    """The content an event's hash covers, as models/audit.py wrote it in this revision."""
    moment = row.occurred_at
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    content = {
        "chain": row.chain,
        "seq": row.seq,
        "school_id": row.school_id,
        "actor_id": row.actor_id,
        "actor_name": row.actor_name,
        "occurred_at": moment.isoformat(timespec="microseconds"),
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "before": row.before,
        "after": row.after,
        "prev_hash": prev_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def rekey_audit_trail():
    connection = op.get_bind()
    key = current_app.config["AUDIT_KEY"].encode("utf-8")
    rows = connection.execute(sa.select(EVENTS).order_by(EVENTS.c.chain, EVENTS.c.seq)).all()
    previous = {}
    for row in rows:
        prev_hash = previous.get(row.chain, GENESIS_HASH)
        digest = hmac.new(key, _canonical(row, prev_hash), hashlib.sha256).hexdigest()
        connection.execute(
            sa.update(EVENTS).where(EVENTS.c.id == row.id).values(prev_hash=prev_hash, hash=digest)
        )
        previous[row.chain] = digest
    for chain, digest in previous.items():
        connection.execute(sa.update(HEADS).where(HEADS.c.chain == chain).values(hash=digest))


# --- triggers -------------------------------------------------------------------------------


def _conflicts(keys, row="NEW", alias="existing"):
    """SQL true when ``row`` would replace an existing row through one of ``keys``."""
    parts = []
    for key in keys:
        columns = (key,) if isinstance(key, str) else key
        parts.append(" AND ".join(f"{alias}.{c} = {row}.{c}" for c in columns))
    return " OR ".join(f"({part})" for part in parts)


def create_triggers():
    if op.get_bind().dialect.name == "postgresql":
        _create_postgresql_triggers()
    else:
        _create_sqlite_triggers()


def _create_sqlite_triggers():
    def refuse(name, table, when, message):
        op.execute(f"CREATE TRIGGER {name} BEFORE {table} WHEN {when} BEGIN SELECT RAISE(ABORT, '{message}'); END")

    for table, keys in APPEND_ONLY.items():
        op.execute(f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table} BEGIN "
                   f"SELECT RAISE(ABORT, '{table} is append-only'); END")
        op.execute(f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} BEGIN "
                   f"SELECT RAISE(ABORT, '{table} is append-only'); END")
        refuse(f"{table}_append_only_replace", f"INSERT ON {table}",
               f"EXISTS (SELECT 1 FROM {table} AS existing WHERE {_conflicts(keys)})", f"{table} is append-only")
    op.execute("CREATE TRIGGER audit_chain_head_kept BEFORE DELETE ON audit_chain_head BEGIN "
               "SELECT RAISE(ABORT, 'an audit chain head is never removed'); END")
    refuse("audit_chain_head_forward", "UPDATE ON audit_chain_head",
           "NEW.seq < OLD.seq OR NEW.chain <> OLD.chain", "an audit chain head only moves forward")
    for table, (signed, keys) in SIGNED_WHEN.items():
        refuse(f"{table}_signed_replace", f"INSERT ON {table}",
               f"EXISTS (SELECT 1 FROM {table} AS existing WHERE ({_conflicts(keys)}) AND existing.{signed})",
               "a signed record cannot be replaced")
    for table, keys in PARTS_OF_SIGNED_INSPECTIONS.items():
        refuse(f"{table}_frozen_replace", f"INSERT ON {table}",
               f"EXISTS (SELECT 1 FROM {table} AS existing JOIN inspection ON inspection.id = existing.inspection_id "
               f"WHERE ({_conflicts(keys)}) AND inspection.status = 'signed_off')",
               "a part of a signed-off inspection cannot be replaced")


POSTGRESQL_FUNCTIONS = """
CREATE OR REPLACE FUNCTION portal_refuse_append_only_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'check_violation';
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION portal_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% keeps records that are never emptied: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION portal_keep_chain_head() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq OR NEW.chain <> OLD.chain THEN
        RAISE EXCEPTION 'an audit chain head only moves forward' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

TRUNCATE_REFUSED = (
    *APPEND_ONLY,
    "audit_chain_head",
    *SIGNED_WHEN,
    *PARTS_OF_SIGNED_INSPECTIONS,
)


def _create_postgresql_triggers():
    op.execute(POSTGRESQL_FUNCTIONS)
    for table in APPEND_ONLY:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION portal_refuse_append_only_change()")
    op.execute("CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE OR DELETE ON audit_chain_head "
               "FOR EACH ROW EXECUTE FUNCTION portal_keep_chain_head()")
    for table in TRUNCATE_REFUSED:
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_truncate()")


def drop_triggers():
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP TRIGGER IF EXISTS audit_chain_head_forward ON audit_chain_head")
        for table in TRUNCATE_REFUSED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        for function in ("portal_refuse_append_only_change", "portal_refuse_truncate", "portal_keep_chain_head"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
        return
    names = ["audit_chain_head_kept", "audit_chain_head_forward"]
    for table in APPEND_ONLY:
        names += [f"{table}_append_only_update", f"{table}_append_only_delete", f"{table}_append_only_replace"]
    names += [f"{table}_signed_replace" for table in SIGNED_WHEN]
    names += [f"{table}_frozen_replace" for table in PARTS_OF_SIGNED_INSPECTIONS]
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
