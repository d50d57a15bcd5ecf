"""Canteen inspections (检查), their checklist items and findings.

The workflow that moves an inspection through its states lives in
``portal.services.inspections``; here are the records and their invariants.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .file import StoredFile  # noqa: F401 - named in relationships
from .rule import Rule  # noqa: F401 - named in relationships
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User

if TYPE_CHECKING:  # named in relationships below; they import this module
    from .cadence import Assignment
    from .checklist import ChecklistVersion
    from .rectification import RectificationTask


class InspectionKind(LabelledEnum):
    PRINCIPAL_WEEKLY = "principal_weekly"
    DIRECTOR_DAILY = "director_daily"
    # Planned by a school's own cadence rule (a vice principal's weekly round, say).
    SCHEDULED = "scheduled"
    AD_HOC = "ad_hoc"

    @classmethod
    def _labels(cls):
        return {
            cls.PRINCIPAL_WEEKLY: _l("Principal's weekly inspection"),
            cls.DIRECTOR_DAILY: _l("Director's daily inspection"),
            cls.SCHEDULED: _l("Scheduled inspection"),
            cls.AD_HOC: _l("Ad hoc inspection"),
        }


class InspectionStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RECTIFYING = "rectifying"
    READY_FOR_SIGN_OFF = "ready_for_sign_off"
    SIGNED_OFF = "signed_off"
    RETURNED = "returned"

    @classmethod
    def _labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.SUBMITTED: _l("Submitted"),
            cls.RECTIFYING: _l("Rectifying"),
            cls.READY_FOR_SIGN_OFF: _l("Ready for sign-off"),
            cls.SIGNED_OFF: _l("Signed off"),
            cls.RETURNED: _l("Returned to inspector"),
        }


class ItemResult(LabelledEnum):
    PASS = "pass"  # noqa: S105 - an item result
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"

    @classmethod
    def _labels(cls):
        return {
            cls.PASS: _l("Pass"),
            cls.FAIL: _l("Fail"),
            cls.NOT_APPLICABLE: _l("Not applicable"),
        }


class Inspection(SchoolOwned, db.Model):
    __tablename__ = "inspection"
    __table_args__ = (
        # A signed-off inspection has a signer and a time; the database holds it to that.
        sa.CheckConstraint(
            "status <> 'signed_off' OR (signed_off_at IS NOT NULL AND signed_off_by_id IS NOT NULL)",
            name="signed_off_has_signer",
        ),
        sa.CheckConstraint(
            "status = 'draft' OR status = 'returned' OR submitted_at IS NOT NULL", name="submitted_has_time"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[InspectionKind] = mapped_column(enum_type(InspectionKind, "inspection_kind"), info=label(_l("Kind")))
    # The school day inspected, in school time.
    inspected_on: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    area: Mapped[str] = mapped_column(sa.String(200), default="", info=label(_l("Area covered")))
    status: Mapped[InspectionStatus] = mapped_column(
        enum_type(InspectionStatus, "inspection_status"), default=InspectionStatus.DRAFT, info=label(_l("Status"))
    )
    # The checklist version the items were copied from, when there was one.
    checklist_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("checklist_version.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_reason: Mapped[str | None] = mapped_column(sa.Text)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    sign_off_comment: Mapped[str | None] = mapped_column(sa.Text)
    # Optimistic lock on the inspection's own state (status, sign-off).
    version: Mapped[int] = mapped_column(default=1)

    inspector: Mapped[User] = relationship(foreign_keys=[inspector_id], info=label(_l("Inspector")))
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])
    checklist_version: Mapped["ChecklistVersion | None"] = relationship()
    assignment: Mapped["Assignment | None"] = relationship(back_populates="inspection", uselist=False)
    items: Mapped[list["InspectionItem"]] = relationship(
        back_populates="inspection",
        order_by="InspectionItem.position",
        cascade="all, delete-orphan",
        info=label(_l("Checklist items")),
    )
    findings: Mapped[list["Finding"]] = relationship(
        back_populates="inspection", order_by="Finding.id", cascade="all, delete-orphan", info=label(_l("Findings"))
    )
    photos: Mapped[list["InspectionPhoto"]] = relationship(
        back_populates="inspection", order_by="InspectionPhoto.id", cascade="all, delete-orphan"
    )
    tasks: Mapped[list["RectificationTask"]] = relationship(
        back_populates="inspection", order_by="RectificationTask.id", cascade="all, delete-orphan"
    )
    amendments: Mapped[list["InspectionAmendment"]] = relationship(
        back_populates="inspection", order_by="InspectionAmendment.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def __str__(self):
        return f"{self.kind.label} {self.inspected_on.isoformat()}"

    @property
    def is_draft(self):
        return self.status is InspectionStatus.DRAFT

    @property
    def is_editable(self):
        """The inspector may still change items: a draft, or one returned for correction."""
        return self.status in (InspectionStatus.DRAFT, InspectionStatus.RETURNED)

    @property
    def is_signed_off(self):
        return self.status is InspectionStatus.SIGNED_OFF

    @property
    def sections(self):
        """[(section title, [items])] in checklist order."""
        grouped = {}
        for item in self.items:
            grouped.setdefault(item.section, []).append(item)
        return list(grouped.items())

    @property
    def unanswered_items(self):
        return [item for item in self.items if item.result is None]

    @property
    def failed_items(self):
        return [item for item in self.items if item.result is ItemResult.FAIL]

    def photos_of(self, item=None, finding=None, task=None, stage=None):
        return [
            photo
            for photo in self.photos
            if (item is None or photo.item_id == item.id)
            and (finding is None or photo.finding_id == finding.id)
            and (task is None or photo.task_id == task.id)
            and (stage is None or photo.stage is stage)
        ]

    def can_sign_off(self, user):
        """The principal signs a ready inspection; their own one only when every finding
        in it was verified by someone else."""

        if not user.can("inspection.sign_off") or user.school_id != self.school_id:
            return False
        if self.status is not InspectionStatus.READY_FOR_SIGN_OFF:
            return False
        if self.inspector_id == user.id:
            return all(task.verified_by_id not in (None, user.id) for task in self.tasks)
        return True

    def can_return(self, user):

        return (
            user.can("inspection.return")
            and user.school_id == self.school_id
            and self.status
            in (InspectionStatus.SUBMITTED, InspectionStatus.RECTIFYING, InspectionStatus.READY_FOR_SIGN_OFF)
        )


class InspectionItem(SchoolOwned, db.Model):
    __tablename__ = "inspection_item"
    __table_args__ = (
        sa.CheckConstraint(
            "result IS NULL OR result <> 'fail' OR length(trim(note)) > 0",
            name="note_required_on_fail",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    section: Mapped[str] = mapped_column(sa.String(100), default="")
    text: Mapped[str] = mapped_column(sa.Text)
    rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rule.id", ondelete="SET NULL"))
    result: Mapped[ItemResult | None] = mapped_column(enum_type(ItemResult, "item_result"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # Optimistic lock per item: two tabs or two people never silently overwrite an answer.
    version: Mapped[int] = mapped_column(default=1)

    inspection: Mapped[Inspection] = relationship(back_populates="items")
    rule: Mapped["Rule | None"] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __str__(self):
        return self.text


class Finding(SchoolOwned, db.Model):
    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection_item.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspection: Mapped[Inspection] = relationship(back_populates="findings")
    item: Mapped[InspectionItem | None] = relationship()
    task: Mapped["RectificationTask | None"] = relationship(back_populates="finding", uselist=False)

    def __str__(self):
        return self.description


class PhotoStage(LabelledEnum):
    FOUND = "found"
    RECTIFIED = "rectified"

    @classmethod
    def _labels(cls):
        return {cls.FOUND: _l("As found"), cls.RECTIFIED: _l("After rectification")}


class InspectionPhoto(SchoolOwned, db.Model):
    """A photo from the camera: of a checklist item, an ad-hoc finding, or a rectification."""

    __tablename__ = "inspection_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for the rectification photos of a task that came from a canteen ledger.
    inspection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection_item.id", ondelete="CASCADE"))
    finding_id: Mapped[int | None] = mapped_column(sa.ForeignKey("finding.id", ondelete="CASCADE"))
    task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rectification_task.id", ondelete="CASCADE"))
    stage: Mapped[PhotoStage] = mapped_column(enum_type(PhotoStage, "photo_stage"), default=PhotoStage.FOUND)
    stored_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspection: Mapped[Inspection | None] = relationship(back_populates="photos")
    stored_file: Mapped["StoredFile"] = relationship(lazy="joined")


class InspectionAmendment(SchoolOwned, db.Model):
    """A correction of a signed inspection: the original stays as it was, this stands beside it."""

    __tablename__ = "inspection_amendment"
    __table_args__ = (sa.CheckConstraint("length(trim(reason)) > 0", name="has_reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id", ondelete="RESTRICT"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    reason: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspection: Mapped[Inspection] = relationship(back_populates="amendments")
    author: Mapped[User] = relationship()
