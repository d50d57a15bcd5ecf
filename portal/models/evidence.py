"""Evidence for audits: frozen inspection PDFs, and the export log of period bundles."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .inspection import Inspection, InspectionAmendment
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type
from .user import User

# What a period bundle may hold, in its order: the keys an export stores (portal/evidence/
# sections.py builds one section for each).
SECTION_KEYS = (
    "compliance",
    "training",
    "certificates",
    "rules",
    "canteen",
    "food_safety",
    "storeroom",
    "nutrition",
    "dormitory",
    "committee",
    "inspections",
)


class InspectionEvidence(SchoolOwned, db.Model):
    """The PDF of a signed inspection (or of one amendment), rendered once and kept.
    Its SHA-256 is here and in the audit chain; it is never rendered again."""

    __tablename__ = "inspection_evidence"
    __table_args__ = (sa.UniqueConstraint("inspection_id", "amendment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id", ondelete="RESTRICT"), index=True)
    amendment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection_amendment.id", ondelete="RESTRICT"))
    # Relative to EVIDENCE_FOLDER.
    storage_key: Mapped[str] = mapped_column(sa.String(255), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    size: Mapped[int]
    pages: Mapped[int]
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspection: Mapped[Inspection] = relationship()
    amendment: Mapped[InspectionAmendment | None] = relationship()


class ExportFormat(LabelledEnum):
    PDF = "pdf"
    XLSX = "xlsx"

    @classmethod
    def _labels(cls):
        return {cls.PDF: _l("PDF evidence bundle"), cls.XLSX: _l("Excel workbook")}


class ExportStatus(LabelledEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @classmethod
    def _labels(cls):
        return {
            cls.QUEUED: _l("Waiting"),
            cls.RUNNING: _l("Being made"),
            cls.DONE: _l("Ready"),
            cls.FAILED: _l("Failed"),
        }


class EvidenceExport(SchoolOwned, db.Model):
    """One export of a period: the job while it runs, the export log when done (who, when,
    scope, SHA-256, size)."""

    __tablename__ = "evidence_export"
    __table_args__ = (
        sa.CheckConstraint("period_last >= period_first", name="period_order"),
        sa.CheckConstraint("status <> 'done' OR (sha256 IS NOT NULL AND size IS NOT NULL)", name="done_has_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty for an export made on the command line.
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    format: Mapped[ExportFormat] = mapped_column(enum_type(ExportFormat, "export_format"))
    period_first: Mapped[date]
    period_last: Mapped[date]
    sections: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status: Mapped[ExportStatus] = mapped_column(
        enum_type(ExportStatus, "export_status"), default=ExportStatus.QUEUED, index=True
    )
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(sa.Text)
    storage_key: Mapped[str | None] = mapped_column(sa.String(255))
    sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    size: Mapped[int | None]
    pages: Mapped[int | None]

    requested_by: Mapped[User | None] = relationship()

    @property
    def percent(self):
        if self.status is ExportStatus.DONE:
            return 100
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    @property
    def file_name(self):
        extension = self.format.value
        return f"{self.school.name}_{self.period_first.isoformat()}_{self.period_last.isoformat()}_证据.{extension}"
