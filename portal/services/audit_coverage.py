"""Ledger rows the audit trail never saw created. Every path the portal writes a ledger record
by records it in the trail; a row without its creation event was written past the portal (raw
SQL, a row copied in from elsewhere). ``flask audit verify --ledgers`` lists them."""

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models.audit import AuditEvent
from ..models.registry import kinds


@dataclass(frozen=True)
class Unrecorded:
    ledger: str
    record_id: int
    school_id: int


def unrecorded():
    """Every ledger row without a creation event, ledger by ledger."""
    found = []
    for kind in kinds():
        model = kind.model
        created = sa.exists().where(
            AuditEvent.object_type == model.__name__,
            AuditEvent.object_id == sa.cast(model.id, sa.String),
            AuditEvent.action.like("%.created"),
        )
        rows = db.session.execute(sa.select(model.id, model.school_id).where(~created).order_by(model.id))
        found += [Unrecorded(kind.key, record_id, school_id) for record_id, school_id in rows]
    return found
