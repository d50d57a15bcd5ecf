"""Freezing a signed inspection: rendered to PDF once, kept with its SHA-256, never again.

An amendment gets its own frozen PDF beside the original's.
"""

import base64
import hashlib
import io

import pikepdf
import sqlalchemy as sa
from PIL import Image
from sqlalchemy.exc import IntegrityError

from ..database import reading
from ..extensions import db
from ..models.evidence import InspectionEvidence
from ..models.inspection import Inspection, InspectionStatus
from ..services import audit, files, rectification
from ..timeutil import utcnow
from . import render, storage

THUMBNAIL_SIDE = 360


def thumbnail(stored_file):
    """A small JPEG as a data URI: no file access for xhtml2pdf, a few KB in the PDF."""
    try:
        with Image.open(files.absolute_path(stored_file.storage_key)) as image:
            image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=70)
    except OSError:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def inspection_context(inspection):
    """What an inspection's PDF shows: items, photos, each task's timeline, signatures."""
    photos = {photo.id: thumbnail(photo.stored_file) for photo in inspection.photos}
    tasks = [(task, rectification.timeline(task)) for task in inspection.tasks]
    verifiers = sorted({task.verified_by.display_name for task in inspection.tasks if task.verified_by})
    return {
        "inspection": inspection,
        "thumbnails": photos,
        "tasks": tasks,
        "verifiers": verifiers,
        "rendered_at": utcnow(),
    }


def _pages(data):
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def existing(inspection, amendment=None):
    which = InspectionEvidence.amendment_id == amendment.id if amendment else InspectionEvidence.amendment_id.is_(None)
    return db.session.scalar(
        sa.select(InspectionEvidence).where(InspectionEvidence.inspection_id == inspection.id, which)
    )


def freeze(inspection, amendment=None):
    """The frozen PDF of a signed inspection (or of one of its amendments): the one that
    exists, or rendered now, stored, hashed and recorded in the audit chain."""
    if inspection.status is not InspectionStatus.SIGNED_OFF:
        raise ValueError(f"inspection {inspection.id} is not signed off")
    found = existing(inspection, amendment)
    if found is not None:
        return found
    stem = f"{inspection.id}" if amendment is None else f"{inspection.id}-amendment-{amendment.id}"
    with reading(), render.evidence_language():  # nobody waits on the rendering
        context = inspection_context(inspection)
        if amendment is None:
            data = render.template_to_pdf("evidence/inspection.html", **context)
        else:
            original = existing(inspection)
            data = render.template_to_pdf("evidence/amendment.html", amendment=amendment, original=original, **context)
    key = storage.new_key(f"inspections/{inspection.school_id}", stem, "pdf")
    storage.write_atomically(key, data)
    evidence = InspectionEvidence(
        school_id=inspection.school_id,
        inspection_id=inspection.id,
        amendment_id=amendment.id if amendment else None,
        storage_key=key,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=_pages(data),
    )
    try:
        with db.session.begin_nested():
            db.session.add(evidence)
    except IntegrityError:
        # Another process froze it first: theirs is the one; drop ours.
        storage.remove_quietly(key)
        return existing(inspection, amendment)
    audit.record(
        None,
        "evidence.frozen",
        evidence,
        after={
            "inspection_id": inspection.id,
            "amendment_id": evidence.amendment_id,
            "sha256": evidence.sha256,
            "size": evidence.size,
        },
    )
    return evidence


def unfrozen(school_id=None, inspection_ids=None):
    """Signed inspections and amendments that have no frozen PDF yet."""
    inspections = sa.select(Inspection).where(Inspection.status == InspectionStatus.SIGNED_OFF)
    if school_id is not None:
        inspections = inspections.where(Inspection.school_id == school_id)
    if inspection_ids is not None:
        inspections = inspections.where(Inspection.id.in_(inspection_ids))
    frozen = {
        (row.inspection_id, row.amendment_id)
        for row in db.session.execute(sa.select(InspectionEvidence.inspection_id, InspectionEvidence.amendment_id))
    }
    pending = []
    for inspection in db.session.scalars(inspections.order_by(Inspection.inspected_on, Inspection.id)):
        if (inspection.id, None) not in frozen:
            pending.append((inspection, None))
        for amendment in inspection.amendments:
            if (inspection.id, amendment.id) not in frozen:
                pending.append((inspection, amendment))
    return pending


def freeze_all(pending, progress=None):
    for number, (inspection, amendment) in enumerate(pending, start=1):
        freeze(inspection, amendment)
        db.session.commit()
        if progress:
            progress(number)
