"""Writing the audit trail. Every service that changes state calls ``record``."""

import datetime as dt
import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models.audit import GENESIS_HASH, AuditChainHead, AuditEvent, chain_name
from ..timeutil import utcnow

# Never copied into the trail.
SECRET_COLUMNS = frozenset({"password_hash", "session_token"})


def record(actor, action, obj=None, *, school_id=..., object_type=None, object_id=None, before=None, after=None):
    """Append one event to the chain of ``school_id`` (by default the object's school).

    Call inside the transaction that makes the change; the caller commits both together.
    """
    if obj is not None:
        if obj in db.session.new:
            db.session.flush()
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else _primary_key(obj)
        if school_id is ...:
            school_id = getattr(obj, "school_id", None)
    if school_id is ...:
        school_id = None

    chain = chain_name(school_id)
    head = _locked_head(chain)
    event = AuditEvent(
        chain=chain,
        seq=head.seq + 1,
        school_id=school_id,
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", "") or "",
        occurred_at=utcnow(),
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        before=_json_safe(before),
        after=_json_safe(after),
        prev_hash=head.hash,
    )
    event.hash = event.compute_hash()
    head.seq, head.hash = event.seq, event.hash
    db.session.add(event)
    return event


def _primary_key(obj):
    identity = sa.inspect(obj).identity
    if identity is None:
        return ""
    return "-".join(str(part) for part in identity)


def _locked_head(chain):
    """The chain's head row, locked until commit so that appends never fork the chain."""
    select_head = sa.select(AuditChainHead).where(AuditChainHead.chain == chain).with_for_update()
    head = db.session.execute(select_head).scalar_one_or_none()
    if head is None:
        dialect = db.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        db.session.execute(
            insert(AuditChainHead)
            .values(chain=chain, seq=0, hash=GENESIS_HASH)
            .on_conflict_do_nothing(index_elements=["chain"])
        )
        head = db.session.execute(select_head).scalar_one()
    return head


def snapshot(obj):
    """The object's column values, JSON-safe, without secrets."""
    mapper = sa.inspect(obj).mapper
    return {
        attr.key: _json_safe(getattr(obj, attr.key)) for attr in mapper.column_attrs if attr.key not in SECRET_COLUMNS
    }


def difference(before, after):
    """Only the keys that changed, as (before, after) dictionaries."""
    changed = sorted(key for key in after if before.get(key) != after.get(key))
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


def _json_safe(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, float)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(_json_safe(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return str(value)


def verify_chain(chain):
    """Walk one chain in order. Returns None when intact, or (event, reason) for the first
    event that does not match: its own hash, its link to the previous one, or a gap."""
    expected_prev, expected_seq = GENESIS_HASH, 1
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.chain == chain).order_by(AuditEvent.seq))
    for event in events:
        if event.seq != expected_seq:
            return event, f"sequence {event.seq} where {expected_seq} was expected"
        if event.prev_hash != expected_prev:
            return event, "does not link to the previous event"
        if event.compute_hash() != event.hash:
            return event, "content does not match its hash"
        expected_prev, expected_seq = event.hash, event.seq + 1
    head = db.session.get(AuditChainHead, chain)
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, expected_prev):
        return None, "the chain head does not point at the last event (events removed?)"
    return None


def chains():
    return db.session.scalars(sa.select(AuditChainHead.chain).order_by(AuditChainHead.chain)).all()


def chain_head(school_id):
    """The last event of the school's chain: its number and hash, to note down or compare."""
    return db.session.get(AuditChainHead, chain_name(school_id))
