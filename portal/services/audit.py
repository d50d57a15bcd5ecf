"""Writing the audit trail. Every service that changes state calls ``record``."""

import datetime as dt
import enum
import hmac
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
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
    event.hash = event.compute_hash(audit_key())
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


def audit_key():
    return current_app.config["AUDIT_KEY"]


@dataclass(frozen=True)
class Anchor:
    """A chain head written down outside the server: in an evidence bundle, or by hand."""

    chain: str
    seq: int
    hash: str

    @classmethod
    def parse(cls, text):
        """``school:1:37:abcd…`` or ``county:12:abcd…``; None when it does not read as one."""
        chain, _sep, rest = str(text).strip().rpartition(":")
        chain, _sep, seq = chain.rpartition(":")
        if not chain or not seq.isdigit() or len(rest) != 64:
            return None
        return cls(chain, int(seq), rest.lower())

    def __str__(self):
        return f"{self.chain}:{self.seq}:{self.hash}"


def verify_chain(chain, anchors=()):
    """Walk one chain in order. Returns None when intact, or (event or None, reason) for the
    first problem: an event whose keyed hash, link or number does not match, a head that is
    missing or does not point at the last event, or an anchor the chain no longer holds."""
    key = audit_key()
    expected_prev, expected_seq = GENESIS_HASH, 1
    hashes = {}
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.chain == chain).order_by(AuditEvent.seq))
    for event in events:
        if event.seq != expected_seq:
            return event, f"sequence {event.seq} where {expected_seq} was expected (events removed?)"
        if event.prev_hash != expected_prev:
            return event, "does not link to the previous event"
        if not hmac.compare_digest(event.compute_hash(key), event.hash):
            return event, "content does not match its keyed hash (changed, or hashed without the key)"
        hashes[event.seq] = event.hash
        expected_prev, expected_seq = event.hash, event.seq + 1
    last_seq = expected_seq - 1
    head = db.session.get(AuditChainHead, chain)
    if head is None and last_seq:
        return None, "the chain head is missing (deleted to hide the chain?)"
    if head is not None and (head.seq, head.hash) != (last_seq, expected_prev):
        return None, f"the chain head ({head.seq}) does not point at the last event ({last_seq}): events removed?"
    for anchor in anchors:
        if anchor.chain != chain:
            continue
        if anchor.seq > last_seq:
            return None, f"anchored event {anchor.seq} is gone: the chain ends at {last_seq} (cut back?)"
        if hashes.get(anchor.seq) != anchor.hash:
            return None, f"anchored event {anchor.seq} no longer has the anchored hash (chain rebuilt?)"
    return None


def chains():
    """Every chain, found in the events as well as the heads: deleting a head row must not
    hide its chain from verification."""
    from_events = sa.select(AuditEvent.chain).distinct()
    from_heads = sa.select(AuditChainHead.chain)
    return sorted(set(db.session.scalars(from_events)) | set(db.session.scalars(from_heads)))


def chain_head(school_id):
    """The last event of the school's chain: its number and hash, to note down or compare."""
    return db.session.get(AuditChainHead, chain_name(school_id))


def anchor_of(school_id):
    head = chain_head(school_id)
    return Anchor(head.chain, head.seq, head.hash) if head is not None else None
