"""A term of inspections: most days done, a few missed (one excused), problems fixed."""

from datetime import UTC, datetime, time, timedelta

from ..models.access import Role
from ..models.inspection import InspectionStatus
from ..services import (
    inspections,
    planning,
    rectification,
    signing,
)
from ..timeutil import zone
from .common import DEMO_PASSWORD, term_start_of


def seed_workflow(school, members, today):
    """A term of inspections: most days done, a few missed (one excused), problems fixed
    the same day and signed off; something overdue, something to verify, something to sign."""
    director, principal, clerk = members["director"], members["principal"], members["clerk"]
    cooks = [user for user in members.values() if user.has_role(Role.STAFF) and not user.school_leader]
    first = term_start_of(today)
    planning.plan(None, school, first, today + timedelta(days=6), first)
    zone_ = zone(school)

    def at(day, hour, minute=0):
        return datetime.combine(day, time(hour, minute), tzinfo=zone_).astimezone(UTC)

    done = []
    for n, assignment in enumerate(planning.assignments_between(school.id, first, today)):
        day = inspection_day(assignment, today)
        if day is None:
            continue
        is_director = assignment.rule.role is Role.DIRECTOR
        if is_director and n % 13 == 5 and day < today:
            if n % 26 == 5:
                planning.excuse(clerk, assignment, "总务主任参加县教育局食堂管理培训")
            continue  # missed
        if day == today:
            if is_director:
                inspections.start_from_assignment(director, assignment, today=today)  # in progress
            continue
        inspector = director if is_director else principal
        inspection = inspections.start_from_assignment(inspector, assignment, today=day)
        failing = {7} if n % 9 == 2 else set()  # the fridge temperature item
        for position, item in enumerate(inspection.items):
            failed = position in failing
            inspections.answer_item(
                inspector, item, "fail" if failed else "pass", "冷藏冰箱温度 10℃，高于 8℃" if failed else "", None
            )
        fixer = cooks[n % len(cooks)]
        responsible = {key: fixer for key, _text in inspections.pending_findings(inspection)}
        inspections.submit(inspector, inspection, responsible, now=at(day, 9, 30))
        done.append((day, inspection))
    with_tasks = [(day, inspection) for day, inspection in done if inspection.tasks]
    for position, (day, inspection) in enumerate(reversed(with_tasks)):
        for task in inspection.tasks:
            if position == 0:
                continue  # the latest problem is still open: overdue, red on the home pages
            rectification.rectify(task.responsible, task, "已联系维修，食品已转移到备用冰箱", now=at(day, 14))
            if position == 1:
                continue  # rectified, waiting for verification
            verifier = principal if inspection.inspector_id == director.id else director
            rectification.verify(verifier, task, now=at(day, 16))
    to_sign = [
        i.id for day, i in done if i.status is InspectionStatus.READY_FOR_SIGN_OFF and day < today - timedelta(days=3)
    ]
    if to_sign:
        signing.sign_off(principal, to_sign, DEMO_PASSWORD, "同意", now=at(today, 8))


def inspection_day(assignment, today):
    """The school day of the window an assignment is done on: the slot's own weekday."""
    days = [
        assignment.window_start + timedelta(days=k)
        for k in range((assignment.window_end - assignment.window_start).days + 1)
    ]
    if assignment.window_start == assignment.window_end:
        day = assignment.window_start
    else:
        # The principal inspects on Tuesdays and Thursdays when the week has them.
        preferred = [d for d in days if d.weekday() in (1, 3)] or days
        day = preferred[min(assignment.slot - 1, len(preferred) - 1)] if len(preferred) >= assignment.slot else days[-1]
    return day if day <= today else None
