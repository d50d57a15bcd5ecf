"""Evidence work on the task queue (portal/queue.py): freezing signed inspections after a
sign-off, and making the exports people ask for. The queue's workers bound how many run at
once; a user never waits for either. Rendering reads the database without taking SQLite's
write lock; progress and results are written in short transactions of their own."""

import os
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..database import reading, write_apart
from ..errors import DomainError
from ..extensions import db
from ..models.evidence import EvidenceExport, ExportFormat, ExportStatus
from ..models.inspection import Inspection, InspectionStatus
from ..queue import job
from ..services import audit
from ..timeutil import utcnow
from . import bundle, freeze, storage, workbook
from .parts import Scope


@job(retries=2)
def freeze_signed(inspection_ids):
    freeze.freeze_all(freeze.unfrozen(inspection_ids=inspection_ids))


def request_freeze(inspection_ids):
    """After a sign-off: the new records are frozen in the background."""
    if inspection_ids:
        freeze_signed(list(inspection_ids))


@job()
def make_export(export_id):
    run(export_id, raise_errors=True)


def launch_waiting(minutes=10):
    """Exports waiting longer than ``minutes`` go to the queue again (its job was lost with a
    queue that was emptied): only one job ever makes an export."""
    for export_id in db.session.scalars(
        sa.select(EvidenceExport.id)
        .where(
            EvidenceExport.status == ExportStatus.QUEUED,
            EvidenceExport.created_at < utcnow() - timedelta(minutes=minutes),
        )
        .order_by(EvidenceExport.id)
    ).all():
        make_export(export_id)


def _claim(export_id):
    """Running, if it was waiting: two jobs never make the same export."""
    claimed = db.session.execute(
        sa.update(EvidenceExport)
        .where(EvidenceExport.id == export_id, EvidenceExport.status == ExportStatus.QUEUED)
        .values(status=ExportStatus.RUNNING, started_at=utcnow(), heartbeat_at=utcnow())
    ).rowcount
    db.session.commit()
    return claimed == 1


def run(export_id, progress_callback=None, raise_errors=False):
    """Make one export. Progress goes to its row (and to progress_callback, for the CLI).
    A failure is recorded on the export; an unexpected one is raised too when asked (the
    queue keeps it for the admin)."""
    if not _claim(export_id):
        return None

    def progress(done, total):
        write_apart(
            sa.update(EvidenceExport)
            .where(EvidenceExport.id == export_id)
            .values(progress_done=done, progress_total=total, heartbeat_at=utcnow())
        )
        if progress_callback:
            progress_callback(done, total)

    try:
        _make(db.session.get(EvidenceExport, export_id), progress)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, none leaves a file behind
        db.session.rollback()
        export = db.session.get(EvidenceExport, export_id)
        export.status = ExportStatus.FAILED
        export.error = str(exc.message) if isinstance(exc, DomainError) else str(_l("The export could not be made."))
        export.finished_at = utcnow()
        audit.record(None, "evidence.failed", export, after={"error": export.error})
        db.session.commit()
        if not isinstance(exc, DomainError):
            current_app.logger.exception("export %s failed", export_id)
            if raise_errors:
                raise
    return db.session.get(EvidenceExport, export_id)


def _make(export, progress):
    export_id, school_id, sections = export.id, export.school_id, export.sections
    builder = bundle if export.format is ExportFormat.PDF else workbook
    pending = freeze.unfrozen(
        school_id,
        db.session.scalars(
            sa.select(Inspection.id).where(
                Inspection.school_id == school_id,
                Inspection.status == InspectionStatus.SIGNED_OFF,
                Inspection.inspected_on.between(export.period_first, export.period_last),
            )
        ).all(),
    )
    # Freezing missing records first (a sign-off whose background freeze did not finish).
    steps_before = len(pending)
    freeze.freeze_all(pending, progress=lambda n: progress(n, steps_before + builder.steps(sections)))

    def later(done, total):
        progress(steps_before + done, steps_before + total)

    export = db.session.get(EvidenceExport, export_id)
    chain_head = audit.anchor_of(school_id)  # the head as it is now, not reloaded later
    key = storage.new_key(f"exports/{school_id}", f"export-{export_id}", export.format.value)
    with reading():  # minutes of rendering: nobody waits on it
        export = db.session.get(EvidenceExport, export_id)
        scope = Scope(export.school, export.period_first, export.period_last, utcnow(), _who(export))
        with storage.new_file(key) as output:
            pages = builder.build(scope, sections, export_id, chain_head, output, later)
            sha256, size = storage.sha256_of_file(output), os.path.getsize(output)
    export = db.session.get(EvidenceExport, export_id)
    export.progress_done = export.progress_total
    export.storage_key, export.sha256, export.size, export.pages = key, sha256, size, pages
    export.status = ExportStatus.DONE
    export.finished_at = utcnow()
    audit.record(
        export.requested_by,
        "evidence.exported",
        export,
        after={"sha256": sha256, "size": size, "pages": pages, "chain_head": chain_head.hash},
    )
    db.session.commit()


def _who(export):
    return export.requested_by.display_name if export.requested_by else str(_l("Command line"))
