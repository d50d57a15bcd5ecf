"""Is this file an unaltered export or frozen inspection of this portal, and which one?

A PDF cannot contain its own hash: the SHA-256 of every file the portal hands out is in the
database (and the audit chain). A one-byte change gives another hash, which matches
nothing. For a bundle, its parts are checked too: every frozen inspection listed in its
manifest must match the hash recorded when it was frozen, and the kept file must still
have that hash.
"""

from dataclasses import dataclass, field

import pikepdf
import sqlalchemy as sa

from ..extensions import db
from ..models.evidence import EvidenceExport, ExportFormat, ExportStatus, InspectionEvidence
from . import bundle, storage

PDF_MAGIC = b"%PDF-"


@dataclass
class PartCheck:
    inspection_id: int
    amendment_id: int | None
    sha256: str
    ok: bool


@dataclass
class Verification:
    sha256: str
    kind: str  # "export", "inspection", "unknown"
    export: EvidenceExport | None = None
    evidence: InspectionEvidence | None = None
    claimed_export: int | None = None
    parts: list = field(default_factory=list)

    @property
    def matches(self):
        return self.kind in ("export", "inspection") and all(part.ok for part in self.parts)

    @property
    def school_id(self):
        record = self.export or self.evidence
        return record.school_id if record else None


def looks_like_pdf(head):
    return head.startswith(PDF_MAGIC)


def verify_file(path):
    digest = storage.sha256_of_file(path)
    export = db.session.scalar(
        sa.select(EvidenceExport).where(EvidenceExport.sha256 == digest, EvidenceExport.status == ExportStatus.DONE)
    )
    if export is not None:
        manifest = bundle.read_manifest(path) if export.format is ExportFormat.PDF else None
        return Verification(digest, "export", export=export, parts=check_parts(manifest))
    evidence = db.session.scalar(sa.select(InspectionEvidence).where(InspectionEvidence.sha256 == digest))
    if evidence is not None:
        return Verification(digest, "inspection", evidence=evidence)
    return Verification(digest, "unknown", claimed_export=_claimed_export(path))


def _listed_inspections(manifest):
    """The manifest's frozen inspections that are well formed: a file that claims
    something else is not a bundle this portal wrote."""
    records = manifest.get("records") if manifest else None
    entries = records.get("inspections") if isinstance(records, dict) else None
    return [
        entry
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
        and isinstance(entry.get("id"), int)
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("amendment_id"), int | None)
    ]


def check_parts(manifest):
    checks = []
    for entry in _listed_inspections(manifest):
        recorded = db.session.scalar(
            sa.select(InspectionEvidence).where(
                InspectionEvidence.inspection_id == entry["id"],
                InspectionEvidence.amendment_id == entry["amendment_id"]
                if entry.get("amendment_id")
                else InspectionEvidence.amendment_id.is_(None),
            )
        )
        ok = (
            recorded is not None
            and recorded.sha256 == entry["sha256"]
            and storage.sha256_of_file(storage.path_of(recorded.storage_key)) == recorded.sha256
        )
        checks.append(PartCheck(entry["id"], entry.get("amendment_id"), entry["sha256"], ok))
    return checks


def _claimed_export(path):
    """What a changed file says it was, to tell the user which export no longer matches."""
    manifest = bundle.read_manifest(path)
    if manifest and type(manifest.get("portal_export")) is int:
        return manifest["portal_export"]
    try:
        with pikepdf.open(path) as pdf:
            keywords = str(pdf.docinfo.get("/Keywords", ""))
    except Exception:  # noqa: BLE001 - an unreadable file claims nothing
        return None
    if keywords.startswith(bundle.KEYWORD_PREFIX) and keywords[len(bundle.KEYWORD_PREFIX) :].isdigit():
        return int(keywords[len(bundle.KEYWORD_PREFIX) :])
    return None
