"""Ledger records as evidence: when they lock, how long they are kept, withdrawing one
entered by mistake, and amending one after its day (models/ledger.py says why)."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from blinker import Namespace
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import MANYTOONE, Session

from ..audit_text import readable_value
from ..errors import DomainError
from ..extensions import db
from ..labels import field_label
from ..models.ledger import LedgerAmendment, LedgerPart, LedgerRecord
from ..models.registry import kind_of
from ..models.school import school_of
from ..timeutil import utcnow, zone
from . import audit

# Sent with a record about to be withdrawn: a ledger whose records move something (the
# storeroom's stock) puts it back, or refuses by raising a DomainError.
withdrawing = Namespace().signal("ledger-record-withdrawing")

LOCKED = _l("This record's day is over and it is locked: correct it with an amendment, giving the reason.")


def lock_moment(school, day):
    """When a record of ``day`` locks: the school's daily cut-off, ledger_lock_days later."""
    settings = school.settings
    lock_day = day + timedelta(days=settings.ledger_lock_days)
    return datetime.combine(lock_day, settings.rectification_cutoff, tzinfo=zone(school)).astimezone(UTC)


def stamp(record):
    """A new record, or one still open: when it locks and until when it is kept."""
    school = school_of(record)
    record.locks_at = lock_moment(school, record.ledger_day)
    record.keep_until = kind_of(record).keep_until(record, school.settings)


@event.listens_for(Session, "before_flush")
def stamp_open_records(session, _flush_context, _instances):
    """Whatever path writes a record (a page, the admin, the demo data, a test), a new or
    still open one is stamped as it is flushed: its day or a delivery's items may have
    changed. A locked one is left alone for models/ledger.py's guard to refuse."""
    now = utcnow()
    changed = list(session.new) + [record for record in session.dirty if session.is_modified(record)]
    records = {record for record in changed if isinstance(record, LedgerRecord)}
    records |= {part.ledger_record for part in changed if isinstance(part, LedgerPart) and part.ledger_record}
    with session.no_autoflush:
        for record in records:
            if record not in session.deleted and (record.locks_at is None or not record.is_locked(now)):
                stamp(record)


def refuse_locked_day(record, now=None):
    """A new record for a day whose ledger is locked would be written after the fact."""
    if record.id is not None:
        return
    locks_at = lock_moment(school_of(record), record.ledger_day)
    if locks_at <= (now or utcnow()):
        raise DomainError(
            _l(
                "The ledger of %(day)s locked at %(when)s: a record can no longer be added to it.",
                day=format_date(record.ledger_day, "yyyy-MM-dd"),
                when=format_datetime(locks_at, "yyyy-MM-dd HH:mm"),
            )
        )


def refuse_if_locked(record, now=None):
    if isinstance(record, LedgerRecord) and record.id is not None and record.is_locked(now):
        raise DomainError(LOCKED)


def refuse_if_kept(record, today=None):
    if not isinstance(record, LedgerRecord) or record.keep_until is None:
        return
    today = today or utcnow().astimezone(zone(school_of(record))).date()
    if today < record.keep_until:
        raise DomainError(
            _l(
                "This record is kept until %(day)s and cannot be deleted before then; "
                "a record entered by mistake is withdrawn instead, before its day is locked.",
                day=format_date(record.keep_until, "yyyy-MM-dd"),
            )
        )


def withdraw(actor, record, reason, now=None):
    """A record entered by mistake, before its lock: it stays, shown as withdrawn."""
    if record.is_withdrawn:
        raise DomainError(_l("This record was already withdrawn."))
    refuse_if_locked(record, now)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Say why the record is withdrawn."), field="reason")
    withdrawing.send(record, actor=actor)
    record.withdrawn_at = now or utcnow()
    record.withdrawn_by_id = actor.id
    record.withdrawal_reason = reason
    db.session.flush()
    audit.record(actor, f"{record.__tablename__}.withdrawn", record, after={"reason": reason})


def amend(actor, record, before, after, reason, now=None):
    """A correction of a locked record: the changed values, beside the original."""
    if not record.is_locked(now):
        raise DomainError(_l("This record is still open: change it directly."))
    changes = {
        key: [before.get(key), value]
        for key, value in audit.difference(before, after)[1].items()
        if not _same_minute(before.get(key), value) and not _same_number(record, key, before.get(key), value)
    }
    if not changes:
        raise DomainError(_l("Nothing was changed: an amendment corrects at least one value."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("An amendment needs the reason for the correction."), field="amendment_reason")
    amendment = LedgerAmendment(
        school_id=record.school_id,
        ledger=kind_of(record).key,
        record_id=record.id,
        changes=changes,
        reason=reason,
        author_id=actor.id,
    )
    db.session.add(amendment)
    db.session.flush()
    audit.record(actor, "ledger_amendment.created", amendment, after={"changes": changes, "reason": reason})
    return amendment


def _same_minute(before, after):
    """A time a form shows to the minute is not corrected by being sent back unchanged."""
    try:
        was, now = datetime.fromisoformat(before), datetime.fromisoformat(after)
    except (TypeError, ValueError):
        return False
    return was.replace(second=0, microsecond=0) == now.replace(second=0, microsecond=0)


def _same_number(record, key, before, after):
    """150 typed back over 150.0 corrects nothing (in a column of numbers only: 012 and 12
    are two different voucher numbers)."""
    column = record.__table__.columns.get(key)
    if column is None or not isinstance(column.type, sa.Numeric | sa.Integer):
        return False
    try:
        return Decimal(before) == Decimal(after)
    except (TypeError, ValueError, ArithmeticError):
        return False


def amendments_of(ledger_key, record_ids):
    """{record id: [amendments, oldest first]} for one ledger's records, in one query."""
    found = {}
    if not record_ids:
        return found
    for amendment in db.session.scalars(
        sa.select(LedgerAmendment)
        .where(LedgerAmendment.ledger == ledger_key, LedgerAmendment.record_id.in_(list(record_ids)))
        .order_by(LedgerAmendment.id)
    ):
        found.setdefault(amendment.record_id, []).append(amendment)
    return found


def amendments_of_records(records):
    """[(record, amendment)] for records of any ledgers (a day's board), oldest first, in one query."""
    by_key = {}
    for record in records:
        by_key.setdefault((kind_of(record).key, record.id), record)
    if not by_key:
        return []
    keys = {}
    for ledger_key, record_id in by_key:
        keys.setdefault(ledger_key, []).append(record_id)
    found = db.session.scalars(
        sa.select(LedgerAmendment)
        .where(
            sa.or_(
                *(sa.and_(LedgerAmendment.ledger == k, LedgerAmendment.record_id.in_(ids)) for k, ids in keys.items())
            )
        )
        .order_by(LedgerAmendment.id)
    )
    return [(by_key[amendment.ledger, amendment.record_id], amendment) for amendment in found]


def changes_text(record, amendment):
    """What an amendment corrected, as a reader writes it: 重量（克）：120 → 125.5."""
    model = type(record)

    def change(key, before, after):
        was, now = readable_value(model, key, before), readable_value(model, key, after)
        return f"{field_label(model.__name__, key)}: {was} → {now}"

    return "；".join(change(key, before, after) for key, (before, after) in amendment.changes.items())


def corrected_values(amendments):
    """{field: corrected value} after every amendment of a record, in order."""
    values = {}
    for amendment in amendments:
        values |= {field: after for field, (_before, after) in amendment.changes.items()}
    return values


def as_corrected(ledger_key, records):
    """{record id: the record read through its amendments} for the amended ones, one query."""
    found = amendments_of(ledger_key, [record.id for record in records])
    return {
        record.id: Corrected(record, corrected_values(found[record.id])) for record in records if record.id in found
    }


def amended_text(corrected, original):
    return _l("%(corrected)s (originally %(original)s)", corrected=corrected, original=original or "—")


class Corrected:
    """A ledger record read through its amendments: a corrected column, and the record it
    points at, give the corrected value; everything else is the record's own. Whatever
    shows a record (an admin column, an evidence cell) can show it both ways."""

    def __init__(self, record, values):
        self._record = record
        self._values = {}
        mapper = sa.inspect(type(record))
        for key, value in values.items():
            if key not in mapper.column_attrs:
                continue
            value = _python_value(mapper.column_attrs[key].columns[0].type, value)
            self._values[key] = value
            for relationship in mapper.relationships:
                if relationship.direction is MANYTOONE and [c.key for c in relationship.local_columns] == [key]:
                    target = relationship.mapper.class_
                    self._values[relationship.key] = None if value is None else db.session.get(target, value)

    def __getattr__(self, name):
        values = self.__dict__["_values"]
        return values[name] if name in values else getattr(self.__dict__["_record"], name)


def _python_value(column_type, value):
    """A value as audit.snapshot() wrote it (JSON), back to what the column holds."""
    if value is None:
        return None
    enum_class = getattr(column_type, "enum_class", None)
    if enum_class is not None:
        return enum_class(value)
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return value
    if python_type in (date, datetime, time):
        return python_type.fromisoformat(value)
    if python_type in (int, float, Decimal) and not isinstance(value, bool):
        return python_type(value)
    return value
