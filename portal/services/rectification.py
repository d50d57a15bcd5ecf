"""Rectification tasks (整改不过夜): created at an inspection's submission or when a canteen
ledger records a problem, rectified by the person responsible, verified by someone else,
extended only by the director or the principal."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from blinker import Namespace
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import Gap
from ..errors import DomainError
from ..extensions import db
from ..models.audit import AuditEvent
from ..models.inspection import InspectionPhoto, PhotoStage
from ..models.rectification import RectificationTask, TaskStatus
from ..models.registry import kind_of
from ..models.user import User
from ..timeutil import start_of_day_utc, utcnow, zone
from . import audit, files, notifications

# Sent with a task just verified: the inspection that found it moves on (services/inspections.py).
verified = Namespace().signal("rectification-task-verified")


def default_deadline(found_at, school):
    """整改不过夜: the end of the school day the problem was found on (midnight, school time),
    however late it was found. The cut-off is when escalation starts, not the deadline; only
    an extension by the director or the principal goes past midnight."""
    local_day = found_at.astimezone(zone(school)).date()
    return start_of_day_utc(local_day + timedelta(days=1), school)


def escalation_moment(task, school):
    """From the school's cut-off on the day the problem was found, an open task is escalated."""
    local_day = task.found_at.astimezone(zone(school)).date()
    return datetime.combine(local_day, school.settings.rectification_cutoff, tzinfo=zone(school))


def create_task(actor, finding, responsible, found_at):
    return _open_task(
        actor,
        finding.inspection.school,
        finding.description,
        responsible,
        found_at,
        inspection_id=finding.inspection_id,
        finding=finding,
    )


def create_ledger_task(actor, record, description, responsible, found_at):
    """A problem found in a ledger record that raises tasks (an accompanied meal, a failed
    four-preventions check)."""
    kind = kind_of(record)
    if not kind.raises_tasks:
        raise ValueError(f"{kind.key} does not raise rectification tasks")
    db.session.flush()
    return _open_task(
        actor, record.school, description, responsible, found_at, ledger=kind.key, ledger_record_id=record.id
    )


def _open_task(actor, school, description, responsible, found_at, **source):
    if responsible is None:
        raise DomainError(_l("Choose who fixes: %(finding)s", finding=description), field="responsible")
    if not responsible.active or responsible.school_id != school.id:
        raise DomainError(_l("%(name)s is not a member of this school.", name=responsible.display_name))
    deadline = default_deadline(found_at, school)
    task = RectificationTask(
        school_id=school.id,
        description=description,
        responsible=responsible,
        found_at=found_at,
        deadline=deadline,
        original_deadline=deadline,
        **source,
    )
    db.session.add(task)
    db.session.flush()
    audit.record(
        actor,
        "task.created",
        task,
        after={"description": task.description, "responsible": responsible.username, "deadline": deadline},
    )
    notifications.task_assigned(task)
    return task


def rectify(actor, task, note, photos=(), now=None):
    if task.status is not TaskStatus.OPEN:
        raise DomainError(_l("This task is not waiting for a rectification."))
    if actor.id != task.responsible_id:
        raise DomainError(_l("Only the person responsible records the rectification."))
    note = (note or "").strip()
    if not note:
        raise DomainError(_l("Say what was done."), field="note")
    for upload in photos:
        stored = files.store_upload(actor, task.school_id, upload, files.PHOTO)
        photo = InspectionPhoto(
            school_id=task.school_id, task_id=task.id, stage=PhotoStage.RECTIFIED, stored_file=stored
        )
        if task.inspection is not None:
            task.inspection.photos.append(photo)
        else:
            db.session.add(photo)
    # Who and when first, the status last: an autoflush in between must never meet the
    # check constraints half-way.
    task.rectification_note = note
    task.rectified_at = now or utcnow()
    task.rectified_by_id = actor.id
    task.status = TaskStatus.RECTIFIED
    audit.record(
        actor,
        "task.rectified",
        task,
        after={"note": note, "photos": len(photos), "in_time": task.was_rectified_in_time()},
    )


def verify(actor, task, now=None):
    _check_verifier(actor, task)
    task.verified_at = now or utcnow()
    task.verified_by_id = actor.id
    task.status = TaskStatus.VERIFIED
    audit.record(actor, "task.verified", task, after={"rectified_by": task.rectified_by_id})
    db.session.flush()
    verified.send(task)


def send_back(actor, task, reason):
    _check_verifier(actor, task)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Say why the rectification is not accepted."), field="reason")
    before = {"note": task.rectification_note, "rectified_by": task.rectified_by_id, "rectified_at": task.rectified_at}
    task.status = TaskStatus.OPEN
    task.rectified_at = None
    task.rectified_by_id = None
    task.sent_back_count += 1
    audit.record(actor, "task.sent_back", task, before=before, after={"reason": reason})
    notifications.task_assigned(task, again=True)


def _check_verifier(actor, task):
    if task.status is not TaskStatus.RECTIFIED:
        raise DomainError(_l("This task has no rectification to check."))
    if actor.id == task.rectified_by_id:
        raise DomainError(_l("Someone other than the person who did the fix must verify it."))
    if not task.can_verify(actor):
        raise DomainError(_l("Only who found it, the director or the principal verifies a rectification."))


def extend(actor, task, new_deadline, reason):
    if task.status is not TaskStatus.OPEN:
        raise DomainError(_l("Only a task still to rectify gets more time."))
    if not task.can_extend(actor):
        raise DomainError(_l("Only the director or the principal extends a deadline."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("An extension needs a reason."), field="reason")
    if new_deadline is None or new_deadline <= task.found_at:
        raise DomainError(_l("A deadline must be after the problem was found."), field="deadline")
    if new_deadline <= task.deadline:
        raise DomainError(_l("The new deadline must be later than the current one."), field="deadline")
    before = task.deadline
    task.deadline = new_deadline
    task.extension_count += 1
    audit.record(
        actor, "task.extended", task, before={"deadline": before}, after={"deadline": new_deadline, "reason": reason}
    )


def tasks_of(user, statuses=None):
    query = sa.select(RectificationTask).where(RectificationTask.responsible_id == user.id)
    if statuses:
        query = query.where(RectificationTask.status.in_(statuses))
    return db.session.scalars(query.order_by(RectificationTask.deadline)).all()


def to_verify_by(user):
    """Rectified tasks this user may verify (as inspector, director or principal)."""
    candidates = db.session.scalars(
        sa.select(RectificationTask)
        .where(RectificationTask.school_id == user.school_id, RectificationTask.status == TaskStatus.RECTIFIED)
        .order_by(RectificationTask.rectified_at)
    ).all()
    return [task for task in candidates if task.can_verify(user)]


def overdue(school_id, now=None, not_of=None):
    """The school's open tasks past their deadline; ``not_of``: but this user's own (their
    home page lists those with the rest of their tasks)."""
    now = now or utcnow()
    query = sa.select(RectificationTask).where(
        RectificationTask.school_id == school_id,
        RectificationTask.status == TaskStatus.OPEN,
        RectificationTask.deadline <= now,
    )
    if not_of is not None:
        query = query.where(RectificationTask.responsible_id != not_of.id)
    return db.session.scalars(query.order_by(RectificationTask.deadline)).all()


def responsible_candidates(school_id):
    """Anyone active of the school may be made responsible for a fix."""
    return db.session.scalars(
        sa.select(User).where(User.school_id == school_id, User.active.is_(True)).order_by(User.name_pinyin, User.id)
    ).all()


def timeline(task):
    """The task's audit events, oldest first: found, extended, rectified, sent back, verified."""
    return db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "RectificationTask", AuditEvent.object_id == str(task.id))
        .order_by(AuditEvent.id)
    ).all()


# --- what is due, for the reminders (portal/due_rules.py) -------------------------------------


def _open_tasks(context):
    return db.session.scalars(
        sa.select(RectificationTask).where(
            RectificationTask.school_id == context.school.id,
            RectificationTask.status == TaskStatus.OPEN,
            RectificationTask.deadline >= context.horizon,
        )
    ).all()


def find_tasks_at_cutoff(context, choice):
    return [
        Gap(
            f"{task.id}",
            escalation_moment(task, context.school).astimezone(UTC),
            _("Rectification not done yet: %(description)s", description=task.description),
            ("tasks.show_task", {"task_id": task.id}),
            (task.responsible_id,),
        )
        for task in _open_tasks(context)
    ]


def find_tasks_at_deadline(context, choice):
    return [
        Gap(
            f"{task.id}",
            task.deadline,
            _("Rectification due by its deadline: %(description)s", description=task.description),
            ("tasks.show_task", {"task_id": task.id}),
            (task.responsible_id,),
        )
        for task in _open_tasks(context)
    ]
