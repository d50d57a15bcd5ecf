"""Signed means frozen: no ORM write changes a signed-off inspection, its items, findings,
photos or rectification tasks, whatever code path attempts it. The migration adds
database triggers that refuse the same on raw SQL."""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from .evidence import EvidenceExport, InspectionEvidence
from .food_safety import SignedRecord
from .inspection import Finding, Inspection, InspectionItem, InspectionPhoto, InspectionStatus
from .rectification import RectificationTask
from .storeroom import StocktakeLine

FROZEN_PARTS = (InspectionItem, Finding, InspectionPhoto, RectificationTask)


class FrozenRecordError(Exception):
    """An attempt to change a signed-off inspection or one of its parts."""


def _status_before_this_flush(inspection):
    history = sa.inspect(inspection).attrs.status.history
    return history.deleted[0] if history.deleted else inspection.status


def _inspection_of(record, session):
    if isinstance(record, Inspection):
        return record
    inspection = sa.inspect(record).attrs.inspection.loaded_value
    if inspection is sa.orm.base.NO_VALUE or inspection is None:
        with session.no_autoflush:
            inspection = session.get(Inspection, record.inspection_id) if record.inspection_id else None
    return inspection


def _was_done(export):
    history = sa.inspect(export).attrs.status.history
    before = history.deleted[0] if history.deleted else export.status
    return getattr(before, "value", before) == "done"


@event.listens_for(Session, "before_flush")
def refuse_changes_to_evidence(session, _flush_context, _instances):
    """A frozen PDF's record, and a finished export's, are written once."""
    for record in [r for r in session.dirty if session.is_modified(r)] + list(session.deleted):
        if isinstance(record, InspectionEvidence) or (isinstance(record, EvidenceExport) and _was_done(record)):
            raise FrozenRecordError(f"{type(record).__name__} {record.id} is part of the evidence and cannot change")


def _signed_before_this_flush(record):
    history = sa.inspect(record).attrs.signed_at.history
    if not history.has_changes():
        return record.signed_at is not None
    return bool(history.deleted) and history.deleted[0] is not None


@event.listens_for(Session, "before_flush")
def refuse_changes_to_signed_records(session, _flush_context, _instances):
    """A signed weekly risk report, meeting minutes or stocktake (with its lines) stay as
    they were signed."""
    changed = [r for r in session.dirty if session.is_modified(r)] + list(session.deleted)
    for record in changed + list(session.new):
        signed = record.stocktake if isinstance(record, StocktakeLine) else record
        if record in session.new and signed is record:
            continue
        if isinstance(signed, SignedRecord) and signed not in session.new and _signed_before_this_flush(signed):
            raise FrozenRecordError(f"{type(signed).__name__} {signed.id} is signed and cannot change")


@event.listens_for(Session, "before_flush")
def refuse_changes_to_signed_inspections(session, _flush_context, _instances):
    touched = [r for r in session.dirty if session.is_modified(r)] + list(session.deleted) + list(session.new)
    for record in touched:
        if not isinstance(record, (Inspection, *FROZEN_PARTS)):
            continue
        inspection = _inspection_of(record, session)
        if inspection is None or inspection in session.new:
            continue
        if _status_before_this_flush(inspection) is InspectionStatus.SIGNED_OFF:
            raise FrozenRecordError(f"inspection {inspection.id} is signed off; record an amendment instead")
