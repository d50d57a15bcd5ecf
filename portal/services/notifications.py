"""In-app notifications, and email when SMTP is configured.

Each notification has a dedupe key, so noticing the same event twice (a page load and the
scheduled tick, say) notifies once. Email goes out from ``flask inspections tick``; without
SMTP settings nothing is sent and nothing breaks.
"""

import smtplib
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models.cadence import Assignment, AssignmentStatus
from ..models.notification import Notification, NotificationKind
from ..models.rectification import RectificationTask, TaskStatus
from ..models.user import User, UserRole
from ..permissions import Permission, roles_with
from ..timeutil import school_today, utcnow


def notify(user, kind, subject, target, dedupe_key):
    """Insert once per dedupe key; a second call is a no-op. ``target`` is
    (endpoint, record id or None): the page that shows what it is about."""
    endpoint, target_id = target
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(Notification.__table__)
        .values(
            school_id=user.school_id,
            user_id=user.id,
            kind=kind.value,
            subject=subject[:200],
            target_endpoint=endpoint,
            target_id=target_id,
            dedupe_key=dedupe_key[:120],
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )


def holders_of(school_id, permission):
    """Active people of the school whose roles hold ``permission``."""
    return db.session.scalars(
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.school_id == school_id, User.active.is_(True), UserRole.role.in_(roles_with(permission)))
        .distinct()
    ).all()


def task_assigned(task, again=False):
    key = f"task:{task.id}:assigned:{task.sent_back_count if again else 0}"
    notify(task.responsible, NotificationKind.TASK_ASSIGNED, task.description, _task_link(task), key)


def inspection_ready(inspection):
    for principal in holders_of(inspection.school_id, Permission.INSPECTION_SIGN_OFF):
        notify(
            principal,
            NotificationKind.READY_FOR_SIGN_OFF,
            str(inspection),
            ("inspections.show_inspection", inspection.id),
            f"inspection:{inspection.id}:ready:{principal.id}:{inspection.version}",
        )


def inspection_returned(inspection):
    notify(
        inspection.inspector,
        NotificationKind.INSPECTION_RETURNED,
        f"{inspection}：{inspection.returned_reason}",
        ("inspections.show_inspection", inspection.id),
        f"inspection:{inspection.id}:returned:{inspection.returned_at.isoformat()}",
    )


def escalate_open_tasks(school, now=None):
    """From the cut-off on the day a problem was found, the director and the principal hear
    of every task still open (once per task): it is due by midnight (整改不过夜)."""
    from .rectification import escalation_moment

    now = now or utcnow()
    tasks = db.session.scalars(
        sa.select(RectificationTask).where(
            RectificationTask.school_id == school.id,
            RectificationTask.status == TaskStatus.OPEN,
            RectificationTask.deadline > now,
            RectificationTask.found_at > now - timedelta(days=1),
        )
    ).all()
    watchers = holders_of(school.id, Permission.TASK_VERIFY)
    escalated = 0
    for task in tasks:
        if now < escalation_moment(task, school):
            continue
        escalated += 1
        for watcher in watchers:
            notify(
                watcher,
                NotificationKind.TASK_ESCALATED,
                task.description,
                _task_link(task),
                f"task:{task.id}:escalated:{watcher.id}",
            )
    return escalated


def overdue_tasks(school, now=None):
    """Notify the principal and the director of every overdue task (once per task)."""
    now = now or utcnow()
    tasks = db.session.scalars(
        sa.select(RectificationTask).where(
            RectificationTask.school_id == school.id,
            RectificationTask.status == TaskStatus.OPEN,
            RectificationTask.deadline < now,
        )
    ).all()
    watchers = holders_of(school.id, Permission.TASK_VERIFY)
    for task in tasks:
        for watcher in watchers:
            notify(
                watcher,
                NotificationKind.TASK_OVERDUE,
                task.description,
                _task_link(task),
                f"task:{task.id}:overdue:{watcher.id}",
            )
    return len(tasks)


def assignments_due_today(school):
    today = school_today(school)
    due = db.session.scalars(
        sa.select(Assignment).where(
            Assignment.school_id == school.id,
            Assignment.status == AssignmentStatus.OPEN,
            Assignment.window_start <= today,
            Assignment.window_end >= today,
        )
    ).all()
    members = db.session.scalars(sa.select(User).where(User.school_id == school.id, User.active.is_(True))).all()
    for assignment in due:
        for member in members:
            if assignment.rule.may_be_fulfilled_by(member):
                notify(
                    member,
                    NotificationKind.ASSIGNMENT_DUE,
                    str(assignment),
                    ("inspections.list_my_inspections", None),
                    f"assignment:{assignment.id}:due:{today.isoformat()}:{member.id}",
                )
    return len(due)


def unread_count(user):
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def latest(user, limit=50):
    return db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc()).limit(limit)
    ).all()


def mark_all_read(user):
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def send_pending_email():
    """Email the notifications not emailed yet, when SMTP is configured. Returns the count."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return 0
    with current_app.test_request_context(base_url=config["PORTAL_BASE_URL"] or "http://localhost/"):
        return _send_pending(config)


def _send_pending(config):
    pending = db.session.scalars(
        sa.select(Notification).where(Notification.emailed_at.is_(None)).order_by(Notification.id).limit(200)
    ).all()
    sent = 0
    for notification in pending:
        address = notification.user.email
        if not address:
            notification.emailed_at = utcnow()  # nobody to send to; do not try again
            continue
        try:
            _send(config, address, notification)
        except (OSError, smtplib.SMTPException) as exc:
            current_app.logger.warning("email to %s failed: %s", address, exc)
            break
        notification.emailed_at = utcnow()
        sent += 1
    return sent


def _send(config, address, notification):
    with force_locale(notification.user.locale or config["BABEL_DEFAULT_LOCALE"]):
        subject = f"{notification.kind.label}：{notification.subject}"
    message = EmailMessage()
    message["Subject"] = subject[:200]
    message["From"] = config["MAIL_SENDER"]
    message["To"] = address
    message.set_content(f"{subject}\n\n{url_for('notifications.list_notifications', _external=True)}\n")
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _task_link(task):
    return ("tasks.show_task", task.id)
