"""Training sessions and weekly meetings (培训/例会), and who attended."""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .file import StoredFile
from .rule import Rule
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User

MAX_SESSION_HOURS = 24


class TrainingKind(LabelledEnum):
    COUNTY_TRAINING = "county_training"
    SCHOOL_TRAINING = "school_training"
    WEEKLY_MEETING = "weekly_meeting"

    @classmethod
    def _labels(cls):
        return {
            cls.COUNTY_TRAINING: _l("County training"),
            cls.SCHOOL_TRAINING: _l("School training"),
            cls.WEEKLY_MEETING: _l("Weekly meeting"),
        }


class AttendanceStatus(LabelledEnum):
    PRESENT = "present"
    ABSENT = "absent"

    @classmethod
    def _labels(cls):
        return {cls.PRESENT: _l("Present"), cls.ABSENT: _l("Absent")}


# Link tables carry no school_id: both ends do, and the tenancy guard checks they match.
training_rule = sa.Table(
    "training_rule",
    db.metadata,
    sa.Column("training_session_id", sa.ForeignKey("training_session.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("rule_id", sa.ForeignKey("rule.id", ondelete="CASCADE"), primary_key=True),
)

training_material = sa.Table(
    "training_material",
    db.metadata,
    sa.Column("training_session_id", sa.ForeignKey("training_session.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("stored_file_id", sa.ForeignKey("stored_file.id", ondelete="CASCADE"), primary_key=True),
)


class TrainingSession(SchoolOwned, db.Model):
    __tablename__ = "training_session"
    __table_args__ = (sa.CheckConstraint(f"hours > 0 AND hours <= {MAX_SESSION_HOURS}", name="hours_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), info=label(_l("Title")))
    kind: Mapped[TrainingKind] = mapped_column(enum_type(TrainingKind, "training_kind"), info=label(_l("Kind")))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True, info=label(_l("Date and time")))
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(4, 1), info=label(_l("Hours")))
    organiser: Mapped[str] = mapped_column(sa.String(100), default="", info=label(_l("Organiser")))
    trainer: Mapped[str] = mapped_column(sa.String(100), default="", info=label(_l("Trainer")))
    location: Mapped[str] = mapped_column(sa.String(100), default="", info=label(_l("Location")))
    summary: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Content summary")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rules: Mapped[list[Rule]] = relationship(
        secondary=training_rule, order_by=Rule.title, info=label(_l("Rules covered"))
    )
    materials: Mapped[list[StoredFile]] = relationship(
        secondary=training_material, order_by=StoredFile.id, info=label(_l("Materials"))
    )
    attendances: Mapped[list["TrainingAttendance"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", info=label(_l("Absences and scores (optional)"))
    )

    def __str__(self):
        return self.title

    @property
    def present_count(self):
        return sum(1 for a in self.attendances if a.status is AttendanceStatus.PRESENT)


class TrainingAttendance(SchoolOwned, db.Model):
    __tablename__ = "training_attendance"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "user_id"),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("training_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, "attendance_status"), default=AttendanceStatus.PRESENT
    )
    score: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1))

    session: Mapped[TrainingSession] = relationship(back_populates="attendances")
    user: Mapped[User] = relationship()

    def __str__(self):
        return f"{self.user} @ {self.session}"
