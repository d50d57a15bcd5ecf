"""Running exports in the background: a process of their own per export (xhtml2pdf renders
one document at a time per process), at most EVIDENCE_MAX_RUNNING at once, the others
waiting their turn. The user can leave the page: progress is in the export's row.

`flask evidence run ID` is the child process; tests set EVIDENCE_INLINE to run in-process.
"""

import os
import subprocess
import sys
import threading

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models.evidence import EvidenceExport, ExportFormat, ExportStatus
from ..models.inspection import Inspection, InspectionStatus
from ..services import audit
from ..services.errors import DomainError
from ..timeutil import utcnow
from . import bundle, freeze, storage, workbook
from .parts import Scope

# Configuration handed to the child process, which reads PORTAL_* from its environment.
INHERITED_SETTINGS = (
    "SECRET_KEY",
    "AUDIT_KEY",
    "DATABASE_URL",
    "UPLOAD_FOLDER",
    "EVIDENCE_FOLDER",
    "EVIDENCE_FONT_DIR",
    "PASSWORD_HASH_PROFILE",
)


def _spawn(*arguments):
    environment = dict(os.environ)
    for name in INHERITED_SETTINGS:
        environment[f"PORTAL_{name}"] = str(current_app.config[name])
    root = os.path.dirname(current_app.root_path)
    with open(os.path.join(current_app.instance_path, "evidence-jobs.log"), "ab") as log:
        child = subprocess.Popen(  # noqa: S603 - our own command, arguments are ids
            [sys.executable, "-m", "flask", "--app", "portal:create_app()", "evidence", *arguments],
            cwd=root,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    # Collect the child's exit status when it ends, or it stays behind as a defunct process.
    threading.Thread(target=child.wait, daemon=True).start()


def launch_waiting():
    """Start queued exports while fewer than the allowed number run."""
    running = db.session.scalar(sa.select(sa.func.count()).where(EvidenceExport.status == ExportStatus.RUNNING))
    free = current_app.config["EVIDENCE_MAX_RUNNING"] - running
    waiting = db.session.scalars(
        sa.select(EvidenceExport.id)
        .where(EvidenceExport.status == ExportStatus.QUEUED)
        .order_by(EvidenceExport.id)
        .limit(max(free, 0))
    ).all()
    for export_id in waiting:
        if current_app.config["EVIDENCE_INLINE"]:
            run(export_id)
        else:
            _spawn("run", str(export_id))


def freeze_in_background(inspection_ids):
    """After a sign-off: freeze the new records without making the principal wait."""
    if not inspection_ids:
        return
    if current_app.config["EVIDENCE_INLINE"]:
        freeze.freeze_all(freeze.unfrozen(inspection_ids=inspection_ids))
    else:
        _spawn("freeze", *[str(i) for i in inspection_ids])


def _claim(export_id):
    """Running, if it was waiting: two processes never make the same export."""
    claimed = db.session.execute(
        sa.update(EvidenceExport)
        .where(EvidenceExport.id == export_id, EvidenceExport.status == ExportStatus.QUEUED)
        .values(status=ExportStatus.RUNNING, started_at=utcnow(), heartbeat_at=utcnow())
    ).rowcount
    db.session.commit()
    return claimed == 1


def run(export_id, progress_callback=None):
    """Make one export. Progress goes to its row (and to progress_callback, for the CLI)."""
    if not _claim(export_id):
        return None
    export = db.session.get(EvidenceExport, export_id)

    def progress(done, total):
        export.progress_done, export.progress_total = done, total
        export.heartbeat_at = utcnow()
        db.session.commit()
        if progress_callback:
            progress_callback(done, total)

    try:
        _make(export, progress)
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
    finally:
        if not progress_callback:
            launch_waiting()
    return db.session.get(EvidenceExport, export_id)


def _make(export, progress):
    school = export.school
    pending = freeze.unfrozen(
        school.id,
        db.session.scalars(
            sa.select(Inspection.id).where(
                Inspection.school_id == school.id,
                Inspection.status == InspectionStatus.SIGNED_OFF,
                Inspection.inspected_on.between(export.period_first, export.period_last),
            )
        ).all(),
    )
    builder = bundle if export.format is ExportFormat.PDF else workbook
    # Freezing missing records first (a sign-off whose background freeze did not finish).
    steps_before = len(pending)
    freeze.freeze_all(pending, progress=lambda n: progress(n, steps_before + builder.steps(export.sections)))

    def later(done, total):
        progress(steps_before + done, steps_before + total)

    chain_head = audit.chain_head(school.id)
    scope = Scope(school, export.period_first, export.period_last, utcnow(), _who(export))
    key = storage.new_key(f"exports/{school.id}", f"export-{export.id}", export.format.value)
    with storage.new_file(key) as output:
        pages = builder.build(scope, export.sections, export.id, chain_head, output, later)
        export.sha256 = storage.sha256_of_file(output)
        export.size = os.path.getsize(output)
    export.progress_done = export.progress_total
    export.storage_key = key
    export.pages = pages
    export.status = ExportStatus.DONE
    export.finished_at = utcnow()
    audit.record(
        export.requested_by,
        "evidence.exported",
        export,
        after={"sha256": export.sha256, "size": export.size, "pages": pages, "chain_head": chain_head.hash},
    )
    db.session.commit()


def _who(export):
    return export.requested_by.display_name if export.requested_by else str(_l("Command line"))
