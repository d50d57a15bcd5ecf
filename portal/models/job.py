"""A background job that failed for good (portal/queue.py): kept for the admin to see, with
its error, until somebody has looked into it."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow
from .types import UTCDateTime, label


class JobFailure(db.Model):
    __tablename__ = "job_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(80), info=label(_l("Background job")))
    arguments: Mapped[str] = mapped_column(sa.String(500), default="", info=label(_l("For")))
    error: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Error")))
    # The school the job was about, when it was about one (county users see them all).
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="CASCADE"), index=True)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True, info=label(_l("When")))


class RoutineRun(db.Model):
    """Which server ran the routine of a period. Every queue worker's scheduler enqueues the
    routine; the first to write its period's row runs it, any other sees the row and stops, so
    however many servers share the database the routine runs once per period."""

    __tablename__ = "routine_run"

    period_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True, info=label(_l("Period")))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Started")))
    # host:pid of the worker that ran it, for whoever reads the database after an incident.
    runner: Mapped[str] = mapped_column(sa.String(120), default="", info=label(_l("Background worker")))
