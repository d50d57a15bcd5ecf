"""Rectification tasks (整改): every failed item and finding is fixed, the fix checked."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .inspection import Finding, Inspection
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type
from .user import Role, User


class TaskStatus(LabelledEnum):
    OPEN = "open"
    RECTIFIED = "rectified"
    VERIFIED = "verified"

    @classmethod
    def _labels(cls):
        return {cls.OPEN: _l("To rectify"), cls.RECTIFIED: _l("Rectified, to verify"), cls.VERIFIED: _l("Verified")}


# Besides the inspector, who may verify a fix (never the person who made it).
VERIFIER_ROLES = frozenset({Role.DIRECTOR, Role.PRINCIPAL})
# Who may extend a deadline.
EXTENDER_ROLES = frozenset({Role.DIRECTOR, Role.PRINCIPAL})


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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    finding_id: Mapped[int] = mapped_column(sa.ForeignKey("finding.id", ondelete="CASCADE"), unique=True)
    description: Mapped[str] = mapped_column(sa.Text)
    responsible_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    original_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    extension_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[TaskStatus] = mapped_column(
        enum_type(TaskStatus, "task_status"), default=TaskStatus.OPEN, index=True
    )
    rectification_note: Mapped[str] = mapped_column(sa.Text, default="")
    rectified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rectified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    sent_back_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    inspection: Mapped[Inspection] = relationship(back_populates="tasks")
    finding: Mapped[Finding] = relationship(back_populates="task")
    responsible: Mapped[User] = relationship(foreign_keys=[responsible_id])
    rectified_by: Mapped[User | None] = relationship(foreign_keys=[rectified_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])

    __mapper_args__ = {"version_id_col": version}

    def __str__(self):
        return self.description

    def is_overdue(self, now):
        return self.status is TaskStatus.OPEN and self.deadline < now

    def was_rectified_in_time(self):
        return self.rectified_at is not None and self.rectified_at <= self.deadline

    def can_rectify(self, user):
        return self.status is TaskStatus.OPEN and user.id == self.responsible_id

    def can_verify(self, user):
        """The inspector, the director or the principal; never the one who did the fix."""
        if self.status is not TaskStatus.RECTIFIED or user.school_id != self.school_id:
            return False
        if user.id == self.rectified_by_id:
            return False
        return user.id == self.inspection.inspector_id or user.has_role(*VERIFIER_ROLES)

    def can_extend(self, user):
        return self.status is TaskStatus.OPEN and user.school_id == self.school_id and user.has_role(*EXTENDER_ROLES)
