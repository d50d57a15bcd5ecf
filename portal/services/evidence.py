"""Evidence exports: who may ask for what, the export log, and the audit trail of every
generation and download."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.cadence import Assignment
from ..models.evidence import SECTION_KEYS, EvidenceExport, ExportFormat, ExportStatus
from ..models.inspection import Inspection
from ..models.registry import kinds
from ..models.training import TrainingSession
from ..timeutil import day_range_utc, school_today, utcnow
from . import audit, compliance
from . import calendar as school_calendar


def presets(school, today=None):
    """Named periods offered on the export page: {key: (label, first, last)}."""
    today = today or school_today(school)
    term_first, term_last = compliance.term_range(school, today)
    year_first, year_last = school_calendar.school_year_of(today)
    return {
        "term": (_l("This term"), term_first, term_last),
        "year": (_l("This school year"), year_first, year_last),
        "last_year": (
            _l("Last school year"),
            year_first.replace(year=year_first.year - 1),
            year_last.replace(year=year_last.year - 1),
        ),
    }


def is_empty_period(school, first, last):
    """Nothing happened in the period: no planned or done inspection, no training, no
    record in any ledger."""
    start, end = day_range_utc(first, last, school)
    counts = (
        sa.select(sa.func.count()).where(
            Assignment.school_id == school.id, Assignment.window_start.between(first, last)
        ),
        sa.select(sa.func.count()).where(
            Inspection.school_id == school.id, Inspection.inspected_on.between(first, last)
        ),
        sa.select(sa.func.count()).where(
            TrainingSession.school_id == school.id, TrainingSession.starts_at >= start, TrainingSession.starts_at < end
        ),
    )
    if any(db.session.scalar(query) for query in counts):
        return False
    return not any(kind.has_records(school.id, first, last) for kind in kinds())


def check_request(school, first, last, section_keys, export_format):
    if first is None or last is None:
        raise DomainError(_l("Choose the period."), field="first")
    if last < first:
        raise DomainError(_l("The end date is before the start date."), field="last")
    maximum = current_app.config["EVIDENCE_MAX_DAYS"]
    if (last - first).days > maximum:
        raise DomainError(
            _l("One export covers at most %(days)d days: export a school year at a time.", days=maximum), field="last"
        )
    if not section_keys or not set(section_keys) <= set(SECTION_KEYS):
        raise DomainError(_l("Tick at least one section."), field="sections")
    if export_format not in ExportFormat:
        raise DomainError(_l("Unknown format."), field="format")
    if is_empty_period(school, first, last):
        raise DomainError(
            _l("Nothing was recorded for %(school)s in this period: no export to make.", school=school.name)
        )


def request_export(actor, school, first, last, section_keys, export_format):
    check_request(school, first, last, section_keys, ExportFormat(export_format))
    export = EvidenceExport(
        school_id=school.id,
        requested_by_id=getattr(actor, "id", None),
        format=ExportFormat(export_format),
        period_first=first,
        period_last=last,
        sections=[key for key in section_keys],
        status=ExportStatus.QUEUED,
    )
    db.session.add(export)
    db.session.flush()
    audit.record(
        actor,
        "evidence.requested",
        export,
        after={"format": export.format.value, "from": first, "to": last, "sections": export.sections},
    )
    return export


def exports_of(user, limit=30):
    query = sa.select(EvidenceExport).where(EvidenceExport.requested_by_id == user.id)
    return db.session.scalars(query.order_by(EvidenceExport.id.desc()).limit(limit)).all()


def record_download(actor, export):
    audit.record(actor, "evidence.downloaded", export, after={"sha256": export.sha256, "size": export.size})


def record_frozen_download(actor, evidence):
    audit.record(
        actor,
        "evidence.frozen_downloaded",
        evidence,
        after={"inspection_id": evidence.inspection_id, "sha256": evidence.sha256},
    )


def record_verification(actor, result):
    audit.record(
        actor,
        "evidence.verified",
        school_id=actor.school_id,
        object_type="File",
        object_id=result.sha256[:16],
        after={"sha256": result.sha256, "matches": result.matches, "kind": result.kind},
    )


def mark_stale_as_failed(minutes=10):
    """An export whose process stopped answering (the server restarted, say) fails, so that
    it can be asked for again; nothing half-written is ever offered."""
    cutoff = utcnow() - timedelta(minutes=minutes)
    stale = db.session.scalars(
        sa.select(EvidenceExport).where(
            EvidenceExport.status == ExportStatus.RUNNING, EvidenceExport.heartbeat_at < cutoff
        )
    ).all()
    for export in stale:
        export.status = ExportStatus.FAILED
        export.error = str(_l("The export was interrupted. Ask for it again."))
        export.finished_at = utcnow()
        audit.record(None, "evidence.interrupted", export)
    return len(stale)
