"""Each school's day, summarised for the county (services/day_summaries.py): what the county's
compliance table counts, written once the day's records have locked and written again when an
amendment or a late change touches the day, so that a county page reads a few rows per school
and day with something to say instead of every inspection, task and reading of the range.

Each thing is counted on one day only, the day it became final: an inspection window on its
last day, a task on the day it was found, a week's risk report on the week's Sunday, a month's
dispatch meeting on the month's last day. A day with nothing to count has no row."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow
from .types import UTCDateTime, label


def _count(text):
    return mapped_column(default=0, info=label(text))


class DaySummary(db.Model):
    __tablename__ = "day_summary"

    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school.id", ondelete="CASCADE"), primary_key=True, info=label(_l("School"))
    )
    day: Mapped[date] = mapped_column(primary_key=True, info=label(_l("Date")))
    inspections_missed: Mapped[int] = _count(_l("Inspections missed"))
    readings_missing: Mapped[int] = _count(_l("Temperature readings missing"))
    tasks_found: Mapped[int] = _count(_l("Problems found"))
    tasks_rectified: Mapped[int] = _count(_l("Rectified"))
    tasks_same_day: Mapped[int] = _count(_l("Rectified the same day"))
    tasks_extended: Mapped[int] = _count(_l("Extended"))
    # On a Sunday: the week had school days (1), and of them no signed risk report, no weekly
    # meeting. On a month's last day: the month had school days, and no dispatch meeting.
    week_counted: Mapped[int] = _count(_l("Weeks counted"))
    risk_report_missing: Mapped[int] = _count(_l("Risk reports missing"))
    weekly_meeting_missing: Mapped[int] = _count(_l("Weekly meetings missing"))
    month_counted: Mapped[int] = _count(_l("Months counted"))
    dispatch_meeting_missing: Mapped[int] = _count(_l("Dispatch meetings missing"))


class RuleDaySummary(db.Model):
    """The inspection windows of one cadence rule that ended on the day, by how they ended."""

    __tablename__ = "rule_day_summary"
    # The county's sums read this index alone on PostgreSQL (an index-only scan: 31 → 8 ms for a
    # school year of 100 schools); SQLite, which has no INCLUDE, gets (school_id, day).
    __table_args__ = (
        sa.Index(
            "ix_rule_day_summary_sums", "school_id", "day", postgresql_include=["rule_id", "done", "missed", "excused"]
        ),
    )

    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school.id", ondelete="CASCADE"), primary_key=True, info=label(_l("School"))
    )
    day: Mapped[date] = mapped_column(primary_key=True, info=label(_l("Date")))
    rule_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cadence_rule.id", ondelete="CASCADE"), primary_key=True, info=label(_l("Inspection cadence"))
    )
    done: Mapped[int] = _count(_l("Inspections done"))
    missed: Mapped[int] = _count(_l("Inspections missed"))
    excused: Mapped[int] = _count(_l("Inspections excused"))


class SummaryProgress(db.Model):
    """The days of a school that are summarised: every day from ``since`` to ``through``."""

    __tablename__ = "summary_progress"

    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school.id", ondelete="CASCADE"), primary_key=True, info=label(_l("School"))
    )
    since: Mapped[date] = mapped_column(info=label(_l("From")))
    through: Mapped[date] = mapped_column(info=label(_l("To")))
    summarised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Updated")))
