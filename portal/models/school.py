"""Schools and their settings."""

from datetime import datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import DEFAULT_TIMEZONE, utcnow
from .types import UTCDateTime


class School(db.Model):
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    county: Mapped[str] = mapped_column(sa.String(100))
    timezone: Mapped[str] = mapped_column(sa.String(64), default=DEFAULT_TIMEZONE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    settings: Mapped["SchoolSettings"] = relationship(
        back_populates="school", cascade="all, delete-orphan", uselist=False, lazy="joined"
    )

    def __str__(self):
        return self.name


class SchoolSettings(db.Model):
    """One row per school: every threshold the portal checks, with the national default."""

    __tablename__ = "school_settings"
    __table_args__ = (
        sa.CheckConstraint("certificate_warning_days BETWEEN 1 AND 365", name="certificate_warning_days_range"),
        sa.CheckConstraint("rectification_grace_hours BETWEEN 1 AND 24", name="rectification_grace_hours_range"),
    )

    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id", ondelete="CASCADE"), primary_key=True)
    certificate_warning_days: Mapped[int] = mapped_column(default=30)
    # 整改不过夜: a task found during the day is due by this time of the same day (school time).
    rectification_cutoff: Mapped[time] = mapped_column(default=time(22, 0))
    # A finding recorded after the cut-off gets this many hours.
    rectification_grace_hours: Mapped[int] = mapped_column(default=2)

    school: Mapped[School] = relationship(back_populates="settings")

    HELP = {
        "certificate_warning_days": _l("A certificate is shown as expiring this many days before it expires."),
        "rectification_cutoff": _l(
            "Rectification is never left overnight (整改不过夜): a problem found during the day is due "
            "by this time the same day, in school time."
        ),
        "rectification_grace_hours": _l("A problem found after the cut-off time is due this many hours later."),
    }
