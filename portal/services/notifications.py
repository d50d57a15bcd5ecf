"""In-app notifications, and email when SMTP is configured.

Each notification has a dedupe key, so noticing the same event twice (a page load and the
scheduled tick, say) notifies once. Email goes out from the routine (``flask inspections
tick``): escalations at once, the rest in school hours, or in one daily digest for those who
chose it; without SMTP settings nothing is sent and nothing breaks.
"""

import smtplib
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models.cadence import Assignment, AssignmentStatus
from ..models.notification import ESCALATIONS, Notification, NotificationKind
from ..models.reminder import Reminder
from ..models.user import User, UserRole
from ..permissions import Permission, roles_with
from ..timeutil import school_now, school_today, utcnow
from . import calendar as school_calendar
from .reminder_settings import settings_of
from .school_hours import in_school_hours


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


def send_pending_email(now=None):
    """Email the notifications not emailed yet, when SMTP is configured. Returns the count.

    An escalation goes at once; anything else waits for its school's hours, and for the daily
    digest of those who chose one. A reminder whose gap closed meanwhile is not sent."""
    return _mailing(_send_pending, now)


def _mailing(send, now):
    """Run ``send(config, now)`` when SMTP is configured, with links to the portal's address."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return 0
    with current_app.test_request_context(base_url=config["PORTAL_BASE_URL"] or "http://localhost/"):
        return send(config, now or utcnow())


def _send_pending(config, now):
    escalation = Notification.kind.in_(sorted(ESCALATIONS))
    pending = db.session.scalars(
        sa.select(Notification)
        .join(User, User.id == Notification.user_id)
        .where(Notification.emailed_at.is_(None), sa.or_(escalation, User.reminder_digest.is_(False)))
        .order_by(Notification.id)
        .limit(500)
    ).all()
    open_now = {}
    sent = 0
    for notification in pending:
        address = notification.user.email
        if not address or _gap_closed(notification):
            notification.emailed_at = now  # nobody to send to, or nothing left to say: do not try again
            continue
        if notification.kind not in ESCALATIONS:
            school = notification.school
            if school.id not in open_now:
                near = now.date() - timedelta(days=1), now.date() + timedelta(days=1)
                calendar = school_calendar.load(school.id, *near)
                open_now[school.id] = in_school_hours(settings_of(school.id), calendar, school, now)
            if not open_now[school.id]:
                continue
        try:
            _send(config, address, f"{_subject(notification)}\n\n{_link()}\n", _subject(notification))
        except (OSError, smtplib.SMTPException) as exc:
            current_app.logger.warning("email to %s failed: %s", address, exc)
            break
        notification.emailed_at = now
        sent += 1
    return sent


def _gap_closed(notification):
    if notification.kind is not NotificationKind.REMINDER_DUE or notification.target_id is None:
        return False
    reminder = db.session.get(Reminder, notification.target_id)
    return reminder is not None and (reminder.closed_at is not None or reminder.late_at is not None)


def send_digests(now=None):
    """Once a day, at the school's digest time, one email per person who chose the digest:
    what they were told since the last one and not emailed yet. Returns the count."""
    return _mailing(_send_digests, now)


def _send_digests(config, now):
    people = db.session.scalars(
        sa.select(User).where(User.reminder_digest.is_(True), User.active.is_(True), User.school_id.is_not(None))
    ).all()
    sent = 0
    for person in people:
        local = school_now(person.school, now)
        if not person.email or person.digest_sent_on == local.date():
            continue
        if local.time() < settings_of(person.school_id).digest_at:
            continue
        waiting = db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == person.id, Notification.emailed_at.is_(None))
            .order_by(Notification.id)
        ).all()
        waiting = [item for item in waiting if item.kind not in ESCALATIONS]
        person.digest_sent_on = local.date()
        if not waiting:
            continue
        with force_locale(person.locale or config["BABEL_DEFAULT_LOCALE"]):
            subject = _("Today's reminders: %(n)d", n=len(waiting))
            lines = [("✔ " if _gap_closed(item) else "• ") + _subject(item) for item in waiting]
        try:
            _send(config, person.email, "\n".join([*lines, "", _link()]) + "\n", subject)
        except (OSError, smtplib.SMTPException) as exc:
            current_app.logger.warning("digest to %s failed: %s", person.email, exc)
            person.digest_sent_on = None
            break
        for item in waiting:
            item.emailed_at = now
        sent += 1
    return sent


def _subject(notification):
    with force_locale(notification.user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return f"{notification.kind.label}：{notification.subject}"


def _link():
    return url_for("notifications.list_notifications", _external=True)


def _send(config, address, body, subject):
    message = EmailMessage()
    message["Subject"] = subject[:200]
    message["From"] = config["MAIL_SENDER"]
    message["To"] = address
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _task_link(task):
    return ("tasks.show_task", task.id)
