"""What the county sees: per school, the gaps prompted, closed in time, closed late, still open."""

from dataclasses import dataclass

import sqlalchemy as sa

from ...extensions import db
from ...models.reminder import Reminder


@dataclass
class PromptCount:
    prompted: int = 0
    in_time: int = 0
    late: int = 0
    still_open: int = 0

    @property
    def in_time_percent(self):
        closed = self.in_time + self.late
        return round(100 * self.in_time / closed) if closed else None


def prompt_counts(school_ids, since, until, by_rule=False):
    """{school id (or (school id, rule)): PromptCount} of the gaps prompted since..until."""
    closed = Reminder.closed_at.is_not(None)
    group = [Reminder.school_id, Reminder.rule] if by_rule else [Reminder.school_id]
    rows = db.session.execute(
        sa.select(
            *group,
            sa.func.count(),
            sa.func.count().filter(closed, Reminder.late_at.is_(None)),
            sa.func.count().filter(closed, Reminder.late_at.is_not(None)),
            sa.func.count().filter(~closed),
        )
        .where(Reminder.school_id.in_(school_ids), Reminder.prompted_at >= since, Reminder.prompted_at < until)
        .group_by(*group)
    ).all()
    width = len(group)
    return {(tuple(row[:width]) if by_rule else row[0]): PromptCount(*row[width:]) for row in rows}
