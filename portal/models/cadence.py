"""Who must inspect how often (cadence rules), and the assignments planned from them."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .access import Role
from .checklist import ChecklistTemplate
from .inspection import Inspection, InspectionKind, InspectionStatus
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User


class Period(LabelledEnum):
    DAY = "day"
    WEEK = "week"

    @classmethod
    def _labels(cls):
        return {cls.DAY: _l("Every school day"), cls.WEEK: _l("Every school week")}


class CadenceRule(SchoolOwned, db.Model):
    """ "The principal inspects twice a week, the director every day" as data: a school can
    add a rule, for example a weekly inspection by a named vice principal."""

    __tablename__ = "cadence_rule"
    __table_args__ = (
        sa.CheckConstraint("(role IS NULL) <> (user_id IS NULL)", name="role_or_user"),
        sa.CheckConstraint("required_count BETWEEN 1 AND 7", name="required_count_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), info=label(_l("Rule")))
    # Either everyone holding a role, or one named person.
    role: Mapped[Role | None] = mapped_column(enum_type(Role, "cadence_role"), info=label(_l("Everyone with the role")))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    period: Mapped[Period] = mapped_column(enum_type(Period, "cadence_period"), info=label(_l("How often")))
    # Inspections per period, each on a different school day.
    required_count: Mapped[int] = mapped_column(default=1, info=label(_l("Inspections per period, on different days")))
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("checklist_template.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("Active")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship(info=label(_l("Or one person")))
    template: Mapped[ChecklistTemplate | None] = relationship(info=label(_l("Checklist")))

    def __str__(self):
        return self.name

    @property
    def inspection_kind(self):
        if self.role is Role.PRINCIPAL and self.period is Period.WEEK:
            return InspectionKind.PRINCIPAL_WEEKLY
        if self.role is Role.DIRECTOR and self.period is Period.DAY:
            return InspectionKind.DIRECTOR_DAILY
        return InspectionKind.SCHEDULED

    def may_be_fulfilled_by(self, user):
        if not user.active or user.school_id != self.school_id:
            return False
        return user.id == self.user_id if self.user_id is not None else self.role in user.roles


class AssignmentStatus(LabelledEnum):
    """What people decided. Missed is not stored: it is an open assignment whose window
    has closed (see Assignment.state_on), so it is right without any scheduled job."""

    OPEN = "open"
    DONE = "done"
    EXCUSED = "excused"

    @classmethod
    def _labels(cls):
        return {cls.OPEN: _l("Open"), cls.DONE: _l("Done"), cls.EXCUSED: _l("Excused")}


class AssignmentState(LabelledEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    # Submitted, then sent back by the principal: waiting for the inspector's correction.
    RETURNED = "returned"
    MISSED = "missed"
    EXCUSED = "excused"

    @classmethod
    def _labels(cls):
        return {
            cls.OPEN: _l("To do"),
            cls.IN_PROGRESS: _l("In progress"),
            cls.DONE: _l("Done"),
            cls.RETURNED: _l("Returned: waiting for your correction"),
            cls.MISSED: _l("Missed"),
            cls.EXCUSED: _l("Excused"),
        }


class Assignment(SchoolOwned, db.Model):
    __tablename__ = "assignment"
    __table_args__ = (
        sa.UniqueConstraint("rule_id", "window_start", "slot"),
        sa.CheckConstraint("window_end >= window_start", name="window_order"),
        sa.CheckConstraint(
            "status <> 'excused' OR (excused_reason IS NOT NULL AND length(trim(excused_reason)) > 0 "
            "AND excused_by_id IS NOT NULL AND excused_at IS NOT NULL)",
            name="excuse_has_reason",
        ),
        sa.CheckConstraint("status <> 'done' OR inspection_id IS NOT NULL", name="done_has_inspection"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(sa.ForeignKey("cadence_rule.id", ondelete="RESTRICT"), index=True)
    # The school days the assignment may be done on (one day, or one school week).
    window_start: Mapped[date] = mapped_column(index=True, info=label(_l("From")))
    # Indexed: a day's summary (services/day_summaries.py) counts the windows that ended on it.
    window_end: Mapped[date] = mapped_column(index=True, info=label(_l("To")))
    slot: Mapped[int] = mapped_column(default=1, info=label(_l("Number")))
    status: Mapped[AssignmentStatus] = mapped_column(
        enum_type(AssignmentStatus, "assignment_status"), default=AssignmentStatus.OPEN, info=label(_l("Status"))
    )
    inspection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection.id", ondelete="SET NULL"), unique=True)
    excused_reason: Mapped[str | None] = mapped_column(sa.Text, info=label(_l("Reason excused")))
    excused_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    excused_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Excused at")))
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Planned at")))

    rule: Mapped[CadenceRule] = relationship(lazy="joined", info=label(_l("Rule")))
    inspection: Mapped[Inspection | None] = relationship(back_populates="assignment", info=label(_l("Inspection")))
    excused_by: Mapped[User | None] = relationship(info=label(_l("Excused by")))

    def __str__(self):
        if self.window_start == self.window_end:
            return f"{self.rule.name} {self.window_start.isoformat()}"
        return f"{self.rule.name} {self.window_start.isoformat()}–{self.window_end.isoformat()} #{self.slot}"

    def state_on(self, today):
        if self.status is AssignmentStatus.EXCUSED:
            return AssignmentState.EXCUSED
        if self.status is AssignmentStatus.DONE:
            if self.inspection is not None and self.inspection.status is InspectionStatus.RETURNED:
                return AssignmentState.RETURNED
            return AssignmentState.DONE
        if self.window_end < today:
            return AssignmentState.MISSED
        if self.inspection is not None and self.inspection.status is InspectionStatus.DRAFT:
            return AssignmentState.IN_PROGRESS
        return AssignmentState.OPEN

    def is_due_on(self, today):
        return self.window_start <= today <= self.window_end
