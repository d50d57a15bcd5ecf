"""Saving and deleting plain records from admin forms, with their audit events.

Domain services (rules, training, certificates, ...) call these after checking their
own rules, so that every create, update and delete lands in the audit trail the same way.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError, NotFound
from ..extensions import db
from ..models.ledger import LedgerRecord
from ..models.registry import BY_MODEL
from ..models.tenancy import SchoolOwned
from . import audit, ledgers


def action_name(record):
    return record.__tablename__


def assign_school(actor, record):
    """A school user's records belong to their school; county users and the CLI
    (actor None) must name one."""
    if not isinstance(record, SchoolOwned):
        return
    if actor is not None and actor.school_id is not None:
        if record.school_id not in (None, actor.school_id):
            raise NotFound(_l("Record not found."))
        record.school_id = actor.school_id
    elif record.school_id is None and record.school is None:
        raise DomainError(_l("Choose the school."), field="school")


def save_record(actor, record, before=None, now=None):
    """``before`` is the snapshot taken before the form changed the record; None for new.
    A ledger record is refused once locked, and a new one for a day already locked
    (services/ledgers.py stamps each as it is flushed)."""
    assign_school(actor, record)
    if isinstance(record, LedgerRecord):
        ledgers.refuse_if_locked(record, now)
        ledgers.refuse_locked_day(record, now)
    if before is None:
        db.session.add(record)
        db.session.flush()
        return audit.record(actor, f"{action_name(record)}.created", record, after=audit.snapshot(record))
    db.session.flush()
    changed_before, changed_after = audit.difference(before, audit.snapshot(record))
    return audit.record(actor, f"{action_name(record)}.updated", record, before=changed_before, after=changed_after)


def delete_record(actor, record):
    if isinstance(record, LedgerRecord):
        ledgers.refuse_if_kept(record)
    audit.record(actor, f"{action_name(record)}.deleted", record, before=audit.snapshot(record))
    db.session.delete(record)


def counts_by_school(model, school_ids, first, last, *conditions):
    """{school id: (records of the kind ``model`` of days first..last, then of them each
    condition's)} in one grouped query; a withdrawn ledger record does not count."""
    kind = BY_MODEL[model]
    query = sa.select(model.school_id, sa.func.count(), *(sa.func.count().filter(c) for c in conditions))
    if kind.day_elsewhere:
        column, onclause = kind.day_elsewhere
        query = query.select_from(model).join(column.class_, onclause)
    query = query.where(model.school_id.in_(school_ids), kind.day_column.between(first, last))
    if issubclass(model, LedgerRecord):
        query = query.where(model.standing())
    found = dict.fromkeys(school_ids, (0,) * (1 + len(conditions)))
    found.update(
        {school_id: tuple(counts) for school_id, *counts in db.session.execute(query.group_by(model.school_id))}
    )
    return found


def tally_by_school(model, school_ids, first, last, *tests):
    """{school id: (records of days first..last, then how many pass each test)}: for what only a
    record's own method can say (late against a deadline of its own); one query."""
    found = {school_id: [0] * (1 + len(tests)) for school_id in school_ids}
    query = sa.select(model).where(model.school_id.in_(school_ids), model.day.between(first, last))
    for record in db.session.scalars(query):
        counts = found[record.school_id]
        counts[0] += 1
        for n, test in enumerate(tests, start=1):
            counts[n] += bool(test(record))
    return {school_id: tuple(counts) for school_id, counts in found.items()}
