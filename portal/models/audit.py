"""The audit trail: every state change, hash-chained per school.

Each event stores the hash of the previous event in its chain and an HMAC-SHA-256 of its
own canonical content, keyed with AUDIT_KEY, a secret kept outside the database (in the
instance configuration or the environment). An event edited afterwards no longer matches
and breaks the chain from there on, and someone who can write the database but does not
hold the key cannot compute a chain that matches. Events are append-only: database
triggers refuse to change or delete them. A school's events form one chain; county-level
events (schools, county users) form the chain "county". The heads printed in every
evidence bundle are anchors the county keeps: a chain cut back and rebuilt from there no
longer holds them.
"""

import hashlib
import hmac
import json
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .types import UTCDateTime, label
from .user import User

GENESIS_HASH = "0" * 64
COUNTY_CHAIN = "county"


def chain_name(school_id):
    return f"school:{school_id}" if school_id is not None else COUNTY_CHAIN


class AuditChainHead(db.Model):
    """The last event of each chain; locked while an event is appended."""

    __tablename__ = "audit_chain_head"

    chain: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(sa.String(64), default=GENESIS_HASH)


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        sa.UniqueConstraint("chain", "seq"),
        sa.Index("ix_audit_event_object", "object_type", "object_id"),
        sa.Index("ix_audit_event_school_id_id", "school_id", "id"),  # a school's log, newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(sa.String(32), info=label(_l("Chain")))
    seq: Mapped[int] = mapped_column(info=label(_l("Number in chain")))
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="RESTRICT"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    # Kept beside the id so the trail still reads right if a name changes later.
    actor_name: Mapped[str] = mapped_column(sa.String(64), default="", index=True, info=label(_l("Who")))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True, info=label(_l("When")))
    action: Mapped[str] = mapped_column(sa.String(64), info=label(_l("What")))
    object_type: Mapped[str] = mapped_column(sa.String(64), info=label(_l("Record")))
    object_id: Mapped[str] = mapped_column(sa.String(64))
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    prev_hash: Mapped[str] = mapped_column(sa.String(64), info=label(_l("Previous hash")))
    hash: Mapped[str] = mapped_column(sa.String(64), info=label(_l("Hash")))

    actor: Mapped[User | None] = relationship(lazy="joined")

    def content(self):
        return {
            "chain": self.chain,
            "seq": self.seq,
            "school_id": self.school_id,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "before": self.before,
            "after": self.after,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self, key):
        canonical = json.dumps(self.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hmac.new(key.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()
