"""Rectification tasks (整改): every failed item and finding is fixed, the fix checked.

A task comes from an inspection's finding, or from a record of a ledger that raises tasks
(an accompanied meal's problem, a failed four-preventions check: portal/ledgers.py), named
by the ledger's key and the record's id. Exactly one source is set."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .inspection import Finding, Inspection, InspectionPhoto, PhotoStage
from .registry import KINDS
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User


class TaskStatus(LabelledEnum):
    OPEN = "open"
    RECTIFIED = "rectified"
    VERIFIED = "verified"

    @classmethod
    def _labels(cls):
        return {cls.OPEN: _l("To rectify"), cls.RECTIFIED: _l("Rectified, to verify"), cls.VERIFIED: _l("Verified")}


class RectificationTask(SchoolOwned, db.Model):
    __tablename__ = "rectification_task"
    __table_args__ = (
        sa.CheckConstraint("deadline > found_at", name="deadline_after_finding"),
        sa.CheckConstraint(
            "status = 'open' OR (rectified_at IS NOT NULL AND rectified_by_id IS NOT NULL)", name="rectified_has_who"
        ),
        sa.CheckConstraint(
            "status <> 'verified' OR (verified_at IS NOT NULL AND verified_by_id IS NOT NULL)", name="verified_has_who"
        ),
        sa.CheckConstraint(
            "verified_by_id IS NULL OR verified_by_id <> rectified_by_id", name="verifier_not_rectifier"
        ),
        sa.CheckConstraint("(finding_id IS NULL) <> (ledger_record_id IS NULL)", name="one_source"),
        sa.CheckConstraint("(ledger IS NULL) = (ledger_record_id IS NULL)", name="ledger_names_its_record"),
        sa.CheckConstraint("(inspection_id IS NULL) = (finding_id IS NULL)", name="finding_has_inspection"),
        sa.UniqueConstraint("ledger", "ledger_record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    finding_id: Mapped[int | None] = mapped_column(sa.ForeignKey("finding.id", ondelete="CASCADE"), unique=True)
    # A ledger's key (portal/ledgers.py) and the id of its record that raised the task.
    ledger: Mapped[str | None] = mapped_column(sa.String(40))
    ledger_record_id: Mapped[int | None]
    description: Mapped[str] = mapped_column(sa.Text, info=label(_l("Problem")))
    responsible_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True, info=label(_l("Found")))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True, info=label(_l("Deadline")))
    original_deadline: Mapped[datetime] = mapped_column(UTCDateTime, info=label(_l("First deadline")))
    extension_count: Mapped[int] = mapped_column(default=0, info=label(_l("Extensions")))
    status: Mapped[TaskStatus] = mapped_column(
        enum_type(TaskStatus, "task_status"), default=TaskStatus.OPEN, index=True, info=label(_l("Status"))
    )
    rectification_note: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("What was done")))
    rectified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Rectified at")))
    rectified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Verified at")))
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    sent_back_count: Mapped[int] = mapped_column(default=0, info=label(_l("Sent back")))
    version: Mapped[int] = mapped_column(default=1)

    inspection: Mapped[Inspection | None] = relationship(back_populates="tasks")
    finding: Mapped[Finding | None] = relationship(back_populates="task")
    photos: Mapped[list[InspectionPhoto]] = relationship(viewonly=True, order_by=InspectionPhoto.id)
    responsible: Mapped[User] = relationship(foreign_keys=[responsible_id], info=label(_l("Responsible")))
    rectified_by: Mapped[User | None] = relationship(foreign_keys=[rectified_by_id], info=label(_l("Rectified by")))
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id], info=label(_l("Verified by")))

    __mapper_args__ = {"version_id_col": version}

    def __str__(self):
        return self.description

    @property
    def source(self):
        """The inspection, or the ledger record, where the problem was found."""
        if self.inspection_id is not None:
            return self.inspection
        return db.session.get(KINDS[self.ledger].model, self.ledger_record_id)

    @property
    def source_kind(self):
        """What found the problem, in words: an inspection, an accompanied meal, a four-preventions check."""
        return _l("Inspection") if self.inspection_id is not None else KINDS[self.ledger].record_name

    @property
    def source_day(self):
        source = self.source
        return source.inspected_on if self.inspection_id is not None else source.ledger_day

    @property
    def found_photos(self):
        """The photos taken where the problem was found (only inspections take them)."""
        if self.finding is None:
            return []
        if self.finding.item is not None:
            return self.inspection.photos_of(item=self.finding.item)
        return self.inspection.photos_of(finding=self.finding)

    @property
    def rectified_photos(self):
        return [photo for photo in self.photos if photo.stage is PhotoStage.RECTIFIED]

    @property
    def found_by_id(self):
        """Who found the problem: the inspector, or whoever made the ledger record."""
        if self.inspection_id is not None:
            return self.inspection.inspector_id
        return self.source.found_by_id

    def is_overdue(self, now):
        # Late from its deadline on, as the reminders routine counts it (services/reminders/).
        return self.status is TaskStatus.OPEN and self.deadline <= now

    def was_rectified_in_time(self):
        return self.rectified_at is not None and self.rectified_at <= self.deadline

    def can_rectify(self, user):
        return self.status is TaskStatus.OPEN and user.id == self.responsible_id

    def can_verify(self, user):
        """Someone who checks fixes (the director, the principal: every inspector is one of
        them), of the school; never the one who did the fix."""
        if self.status is not TaskStatus.RECTIFIED or user.school_id != self.school_id:
            return False
        return user.id != self.rectified_by_id and user.can("task.verify")

    def can_extend(self, user):
        return self.status is TaskStatus.OPEN and user.school_id == self.school_id and user.can("task.extend")
