"""What every daily ledger record has: the moment it locks, and the withdrawal of a record
entered by mistake; and the amendments that correct a locked one.

A record locks when its day is over (by default at the school's cut-off of the next day,
SchoolSettings.ledger_lock_days): from then on no form, service, ORM write or raw SQL
changes or deletes it (the flush guard below, and the triggers of the migration that added
each ledger). A correction after the lock is an amendment beside it; the original stays.
Before the lock a record entered by mistake may be withdrawn with a reason: it stays on
record, shown as withdrawn, and counts for nothing.
"""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship

from ..extensions import db
from ..timeutil import school_today, utcnow
from .school import School
from .tenancy import SchoolOwned
from .types import UTCDateTime, label
from .user import User


class LockedRecordError(Exception):
    """A write to a ledger record after its day was over."""


class LedgerRecord:
    # Fields written once after the lock, when their time comes (a food sample is discarded
    # 48 hours after it was kept, past its day): empty before, filled once, never changed.
    completed_later = ()

    locks_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True, info=label(_l("Locks at")))
    # The first day the record may be deleted: its retention period ends the day before.
    keep_until: Mapped[date] = mapped_column(info=label(_l("Kept until")))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Withdrawn at")))
    withdrawal_reason: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Reason for the withdrawal")))

    @declared_attr
    def withdrawn_by_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))

    @declared_attr
    def withdrawn_by(cls) -> Mapped[User | None]:
        return relationship(foreign_keys=[cls.withdrawn_by_id], info=label(_l("Withdrawn by")))

    @property
    def ledger_day(self):
        """The day the record is about: it locks when that day is over."""
        return self.day

    def is_locked(self, now=None):
        return self.locks_at is not None and self.locks_at <= (now or utcnow())

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    @classmethod
    def standing(cls):
        """A filter for the records that count: not withdrawn."""
        return cls.withdrawn_at.is_(None)


def one_standing(table, *columns):
    """A unique key among the records that count: a withdrawn record leaves its place free
    for the right one (a partial unique index, on both databases)."""
    standing = sa.text("withdrawn_at IS NULL")
    return sa.Index(
        f"uq_{table}_standing_{'_'.join(columns)}",
        *columns,
        unique=True,
        sqlite_where=standing,
        postgresql_where=standing,
    )


class LedgerPart:
    """A row that belongs to a ledger record (a delivery's items): it locks with it."""

    @property
    def ledger_record(self):
        raise NotImplementedError


class LedgerAmendment(SchoolOwned, db.Model):
    """A correction of a locked ledger record: the values it corrects, who, when and why.
    The record itself keeps what was written on its day."""

    __tablename__ = "ledger_amendment"
    __table_args__ = (
        sa.Index("ix_ledger_amendment_record", "ledger", "record_id"),
        sa.CheckConstraint("length(trim(reason)) > 0", name="has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The registry key of the ledger (portal/ledgers.py) and the record's id in it.
    ledger: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[int]
    # {field: [the value before, the corrected value]}
    changes: Mapped[dict] = mapped_column(sa.JSON)
    reason: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


def _locked_before_this_flush(record, now):
    history = sa.inspect(record).attrs.locks_at.history
    before = history.deleted[0] if history.deleted else record.locks_at
    return before is not None and before <= now


def _kept(record, session, now):
    """Within its retention on the school's own date (services/ledgers.refuse_if_kept asks the same)."""
    if record.keep_until is None:
        return False
    with session.no_autoflush:
        school = session.get(School, record.school_id)
    return record.keep_until > school_today(school, now)


def _only_completed_later(record, session):
    """The change fills in fields that are written once after the lock, and nothing else."""
    if record in session.deleted or not record.completed_later:
        return False
    state = sa.inspect(record)
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        if attr.key not in record.completed_later or any(value is not None for value in history.deleted):
            return False
    return True


@event.listens_for(Session, "before_flush")
def guard_ledger_records(session, _flush_context, _instances):
    """Amendments never change. A locked record and its parts (a delivery's items) do not
    change; a record within its retention period is not deleted."""
    now = utcnow()
    dirty = [record for record in session.dirty if session.is_modified(record)]
    for record in dirty + list(session.deleted):
        if isinstance(record, LedgerAmendment):
            raise LockedRecordError(f"amendment {record.id} is part of the record and cannot change")
    for record in session.deleted:
        if isinstance(record, LedgerRecord) and _kept(record, session, now):
            raise LockedRecordError(f"{type(record).__name__} {record.id} is kept until {record.keep_until}")
    touched = {record for record in dirty if isinstance(record, LedgerRecord)}
    for part in list(session.new) + dirty + list(session.deleted):
        if isinstance(part, LedgerPart) and part.ledger_record is not None:
            touched.add(part.ledger_record)
    for record in touched:
        if record in session.new or record in session.deleted or not _locked_before_this_flush(record, now):
            continue
        if not (record in dirty and _only_completed_later(record, session)):
            raise LockedRecordError(f"{type(record).__name__} {record.id} is locked; record an amendment instead")
