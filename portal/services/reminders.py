"""Reminders: the routine asks every due rule (portal/due_rules.py) for the gaps open around
now; a gap within its lead time is prompted once to the people responsible, escalated once
when its due time has passed, and marked closed when a later run no longer finds it. Each
prompt is a portal notification, an email (services/notifications.py) and, when the school
has one, a message to its group chat, sent by the queue and retried there.

School hours: a prompt found outside them waits for the next school morning and is dropped if
its gap closed (or turned late) meanwhile; escalations go out at any hour.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..due_rules import AT_TIME, BY_KEY, DAY_MINUTES, DAYS, DAYS_AFTER, DUE_RULES, MONTH_DAY, WEEKDAY, at
from ..errors import DomainError
from ..extensions import db
from ..i18n import deadline_text
from ..models.notification import Notification, NotificationKind
from ..models.reminder import GroupMessage, MessageStatus, Platform, Reminder, ReminderRule, ReminderSettings
from ..models.user import User
from ..permissions import Permission
from ..queue import job
from ..timeutil import school_now, utcnow, zone
from . import audit, group_chat, notifications
from . import calendar as school_calendar

# Gaps due longer ago than this are no longer looked at: one still open then stays open.
CATCH_UP = timedelta(days=7)
# A gap first found after its due time is not prompted, only escalated; and a gap of a record
# that cannot be made afterwards (a meal's sample, a morning's check) first found this long
# after its due time not even that (yesterday's, when the rule was just switched on): it is a
# gap to report, as the board and the compliance page do. A gap that stays open until someone
# closes it (a task, a certificate, a report) is escalated however late it is first seen
# within CATCH_UP: a school PC switched off over night still tells the principal in the morning.
TOO_LATE_TO_PROMPT = timedelta(hours=2)
# School hours are looked for this far ahead (a holiday).
OPENING_SEARCH_DAYS = 40


# --- the school's choices -----------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A due rule as the school set it (or its defaults)."""

    rule: object
    enabled: bool
    lead_minutes: int
    due_time: time | None
    due_day: int | None

    @property
    def lead(self):
        """The lead time in the rule's own unit."""
        return self.lead_minutes // DAY_MINUTES if self.rule.lead_unit == DAYS else self.lead_minutes


def default_choice(rule):
    return Choice(rule, True, rule.default_lead_minutes, rule.default_due_time, rule.default_due_day)


def choices_of(school_id):
    """{rule key: Choice} for every due rule."""
    rows = {
        row.rule: row for row in db.session.scalars(sa.select(ReminderRule).where(ReminderRule.school_id == school_id))
    }
    choices = {}
    for rule in DUE_RULES:
        row = rows.get(rule.key)
        choices[rule.key] = (
            default_choice(rule)
            if row is None
            else Choice(
                rule,
                row.enabled,
                row.lead_minutes,
                row.due_time or rule.default_due_time,
                row.due_day or rule.default_due_day,
            )
        )
    return choices


def settings_of(school_id):
    row = db.session.scalar(sa.select(ReminderSettings).where(ReminderSettings.school_id == school_id))
    return row or ReminderSettings(school_id=school_id)


DUE_DAY_RANGES = {WEEKDAY: (1, 7), MONTH_DAY: (1, 28), DAYS_AFTER: (1, 60)}


def save_choices(actor, school, requested):
    """``requested``: {rule key: {"enabled", "lead", "due_time", "due_day"}}, the lead in the
    rule's unit. Refuses a lead time longer than the rule's period, with the reason."""
    rows = {
        row.rule: row for row in db.session.scalars(sa.select(ReminderRule).where(ReminderRule.school_id == school.id))
    }
    for rule in DUE_RULES:
        wanted = requested[rule.key]
        if rule.lead_setting:
            wanted = {**wanted, "lead": 0}
        lead_minutes = _checked_lead(rule, wanted["lead"], wanted.get("due_day"))
        due_time = wanted.get("due_time") if rule.due in (AT_TIME, WEEKDAY, MONTH_DAY) else None
        due_day = _checked_due_day(rule, wanted.get("due_day"))
        if rule.due in (AT_TIME, WEEKDAY, MONTH_DAY) and due_time is None:
            raise DomainError(_l("Enter the time it is due."), field=f"{rule.key}-due_time")
        row = rows.get(rule.key)
        before = _choice_state(row) if row else None
        if row is None:
            row = ReminderRule(school_id=school.id, rule=rule.key)
            db.session.add(row)
        row.enabled, row.lead_minutes = bool(wanted["enabled"]), lead_minutes
        row.due_time, row.due_day = due_time, due_day
        if before != _choice_state(row):
            audit.record(actor, "reminder_rule.saved", row, before=before, after=_choice_state(row))


def _choice_state(row):
    return {name: getattr(row, name) for name in ("rule", "enabled", "lead_minutes", "due_time", "due_day")}


def _checked_lead(rule, lead, due_day):
    if lead is None or lead < 0:
        raise DomainError(_l("Enter a lead time of 0 or more."), field=f"{rule.key}-lead")
    minutes = lead * (DAY_MINUTES if rule.lead_unit == DAYS else 1)
    period = rule.period_minutes
    if rule.due == DAYS_AFTER and due_day:
        period = min(period, due_day * DAY_MINUTES)
    if minutes > period:
        raise DomainError(
            _l(
                "A lead time of %(lead)s is longer than the rule's period (%(period)s): it would prompt before "
                "the previous one is due.",
                lead=_duration(minutes),
                period=_duration(period),
            ),
            field=f"{rule.key}-lead",
        )
    return minutes


def _checked_due_day(rule, due_day):
    if rule.due not in DUE_DAY_RANGES:
        return None
    low, high = DUE_DAY_RANGES[rule.due]
    if due_day is None or not low <= due_day <= high:
        raise DomainError(_l("Choose a day from %(low)d to %(high)d.", low=low, high=high), field=f"{rule.key}-due_day")
    return due_day


def _duration(minutes):
    if minutes % DAY_MINUTES == 0:
        return _("%(n)d days", n=minutes // DAY_MINUTES)
    if minutes % 60 == 0:
        return _("%(n)d hours", n=minutes // 60)
    return _("%(n)d minutes", n=minutes)


SETTINGS_FIELDS = ("platform", "webhook_url", "messages_from", "messages_until", "digest_at")


def save_settings(actor, school, *, platform, webhook_url, webhook_secret, messages_from, messages_until, digest_at):
    """The group chat and school hours. An empty secret keeps the saved one (it is never
    shown again); ``webhook_secret=None`` clears it."""
    platform = Platform(platform)
    settings = settings_of(school.id)
    if settings.id is None:
        db.session.add(settings)
    webhook_url = (webhook_url or "").strip() if platform is not Platform.NONE else ""
    if webhook_secret is None:
        secret = ""
    else:
        secret = webhook_secret.strip() or (settings.webhook_secret if settings.platform is platform else "")
    group_chat.check_address(platform, webhook_url, secret)
    if not messages_from < messages_until:
        raise DomainError(_l("School hours must end after they begin."), field="messages_until")
    before = _settings_state(settings) if settings.id else None
    secret_changed = secret != settings.webhook_secret
    settings.platform, settings.webhook_url, settings.webhook_secret = platform, webhook_url, secret
    settings.messages_from, settings.messages_until, settings.digest_at = messages_from, messages_until, digest_at
    after = _settings_state(settings) | {"webhook_secret_changed": secret_changed}
    audit.record(actor, "reminder_settings.saved", settings, before=before, after=after)
    return settings


def _settings_state(settings):
    # The address carries the robot's key: only its host goes into the trail.
    state = {name: getattr(settings, name) for name in SETTINGS_FIELDS if name != "webhook_url"}
    state["webhook_host"] = settings.webhook_url.split("?")[0]
    state["has_secret"] = bool(settings.webhook_secret)
    return state


# --- what is open now ---------------------------------------------------------------------


@dataclass
class Context:
    """What every rule of one school needs, read once per run."""

    school: object
    now: datetime
    today: date
    horizon: datetime
    days: list
    calendar: object
    term: object
    users: list

    @property
    def settings(self):
        return self.school.settings

    @property
    def canteen_workers(self):
        return [user for user in self.users if user.canteen_worker]

    def holders(self, permission):
        return [user for user in self.users if user.can(permission)]


def context_for(school, now):
    today = school_now(school, now).date()
    horizon = now - CATCH_UP
    first = horizon.astimezone(zone(school)).date()
    users = db.session.scalars(
        sa.select(User)
        .where(User.school_id == school.id, User.active.is_(True))
        .options(selectinload(User.role_grants))
        .order_by(User.display_name)
    ).all()
    return Context(
        school=school,
        now=now,
        today=today,
        horizon=horizon,
        days=school_calendar.days_between(first, today + timedelta(days=1)),
        calendar=school_calendar.load(school.id, first, today + timedelta(days=OPENING_SEARCH_DAYS)),
        term=school_calendar.current_term(school.id, today),
        users=users,
    )


def responsible_for(rule, gap, context):
    people = {user.id: user for user in context.holders(rule.responsible)} if rule.responsible else {}
    if rule.responsible_are_canteen_workers:
        people.update((user.id, user) for user in context.canteen_workers)
    by_id = {user.id: user for user in context.users}
    people.update((person_id, by_id[person_id]) for person_id in gap.people if person_id in by_id)
    return sorted(people.values(), key=lambda user: user.display_name)


@dataclass
class RunCount:
    prompted: int = 0
    late: int = 0
    closed: int = 0


def run(school, now=None):
    """One pass of the routine for one school: prompt, escalate, notice what closed."""
    now = now or utcnow()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _run(school, now)


def _run(school, now):
    context = context_for(school, now)
    choices = choices_of(school.id)
    settings = settings_of(school.id)
    known = {}
    for reminder in db.session.scalars(
        sa.select(Reminder).where(Reminder.school_id == school.id, Reminder.due_at >= context.horizon)
    ):
        known.setdefault(reminder.rule, {})[reminder.gap_key] = reminder
    count = RunCount()
    for rule in DUE_RULES:
        choice = choices[rule.key]
        if not choice.enabled:
            continue
        gaps = {gap.key: gap for gap in rule.find(context, choice) if gap.due_at >= context.horizon}
        reminders = known.get(rule.key, {})
        for key, reminder in reminders.items():
            if reminder.closed_at is None and key not in gaps:
                reminder.closed_at = now
                count.closed += 1
            elif reminder.closed_at is not None and key in gaps:
                reminder.closed_at = None  # reopened (a record withdrawn, a task sent back)
        lead = lead_of(rule, choice, school)
        for gap in gaps.values():
            if now < gap.due_at - lead:
                continue
            reminder = reminders.get(gap.key)
            if reminder is None:
                if now - gap.due_at > TOO_LATE_TO_PROMPT and not rule.stays_open:
                    continue
                reminder = _remember(rule, gap, context, now)
                count.prompted += 1
                if now < gap.due_at:
                    _prompt(rule, reminder, gap, context, settings, now)
            if now >= reminder.due_at and reminder.late_at is None:
                _escalate(rule, reminder, gap, context, settings, now)
                count.late += 1
    return count


def lead_of(rule, choice, school):
    if rule.lead_setting:
        return timedelta(days=getattr(school.settings, rule.lead_setting))
    return timedelta(minutes=choice.lead_minutes)


def _remember(rule, gap, context, now):
    endpoint, arguments = gap.target
    reminder = Reminder(
        school_id=context.school.id,
        rule=rule.key,
        gap_key=gap.key,
        subject=gap.subject[:200],
        due_at=gap.due_at,
        target_endpoint=endpoint,
        target_args=arguments,
        prompted_at=now,
    )
    db.session.add(reminder)
    db.session.flush()
    return reminder


def _prompt(rule, reminder, gap, context, settings, now):
    people = responsible_for(rule, gap, context)
    _tell(people, NotificationKind.REMINDER_DUE, reminder, "due")
    _group_message(settings, context, reminder, people, escalation=False, now=now)


def _tell(people, kind, reminder, stage):
    for person in people:
        notifications.notify(
            person,
            kind,
            reminder.subject,
            ("reminders.follow_reminder", reminder.id),
            f"reminder:{reminder.id}:{stage}:{person.id}",
        )


def _escalate(rule, reminder, gap, context, settings, now):
    reminder.late_at = now
    _tell(context.holders(rule.escalate_to), rule.late_kind, reminder, "late")
    _group_message(settings, context, reminder, responsible_for(rule, gap, context), escalation=True, now=now)


# --- the group chat ---------------------------------------------------------------------------


def _group_message(settings, context, reminder, people, *, escalation, now):
    if settings.platform is Platform.NONE or not settings.webhook_url:
        return
    kind = BY_KEY[reminder.rule].late_kind if escalation else NotificationKind.REMINDER_DUE
    lines = [reminder.subject, _("Due: %(moment)s", moment=deadline_text(reminder.due_at, context.school))]
    if people:
        lines.append(_("Responsible: %(people)s", people="、".join(person.display_name for person in people)))
    link = _absolute_url("reminders.follow_reminder", reminder_id=reminder.id)
    if link:
        label = _("Open the page that closes it")
        lines.append(f"[{label}]({link})")
    db.session.add(
        GroupMessage(
            school_id=context.school.id,
            reminder=reminder,
            escalation=escalation,
            title=f"{kind.label}：{BY_KEY[reminder.rule].name}"[:200],
            text="\n\n".join(lines),
            send_after=now if escalation else next_opening(settings, context.calendar, context.school, now),
        )
    )


def _absolute_url(endpoint, **arguments):
    base = current_app.config["PORTAL_BASE_URL"]
    if not base:
        return ""
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **arguments)


def in_school_hours(settings, calendar, school, now):
    local = school_now(school, now)
    return calendar.is_school_day(local.date()) and settings.messages_from <= local.time() < settings.messages_until


def next_opening(settings, calendar, school, now):
    """Now, in school hours; else the next school day's start of school hours (or tomorrow's,
    when the calendar shows none ahead)."""
    if in_school_hours(settings, calendar, school, now):
        return now
    today = school_now(school, now).date()
    for offset in range(OPENING_SEARCH_DAYS):
        day = today + timedelta(days=offset)
        opening = at(day, settings.messages_from, school)
        if opening > now and calendar.is_school_day(day):
            return opening
    return at(today + timedelta(days=1), settings.messages_from, school)


def send_test_message(actor, school):
    settings = settings_of(school.id)
    if settings.platform is Platform.NONE or not settings.webhook_url:
        raise DomainError(_l("Save a group robot's address first."))
    message = GroupMessage(
        school_id=school.id,
        title=_("Test message from the logistics portal"),
        text=_("The school's reminders will come to this group."),
        status=MessageStatus.QUEUED,
    )
    db.session.add(message)
    audit.record(actor, "group_message.test", message, after={"title": message.title})
    return message


def release_waiting(now=None):
    """Messages whose time has come go to the queue (ids returned, to enqueue after the
    commit); a prompt whose gap closed or turned late meanwhile is dropped."""
    now = now or utcnow()
    waiting = db.session.scalars(
        sa.select(GroupMessage)
        .where(GroupMessage.status == MessageStatus.WAITING, GroupMessage.send_after <= now)
        .options(selectinload(GroupMessage.reminder))
        .order_by(GroupMessage.id)
    ).all()
    released = []
    for message in waiting:
        if _no_longer_needed(message):
            message.status = MessageStatus.DROPPED
            continue
        message.status = MessageStatus.QUEUED
        released.append(message.id)
    return released


def _no_longer_needed(message):
    reminder = message.reminder
    if reminder is None or message.escalation:
        return False
    return reminder.closed_at is not None or reminder.late_at is not None


def enqueue(message_ids):
    for message_id in message_ids:
        deliver_group_message(message_id)


# A group message is tried this many times, a minute apart, before it counts as failed.
ATTEMPTS = 4


@job(retries=ATTEMPTS - 1, retry_delay=60)
def deliver_group_message(message_id):
    """Send one message; a refusal is kept with the platform's words and retried by the
    queue, ATTEMPTS times in all; then the school admin is told."""
    message = db.session.get(GroupMessage, message_id)
    if message is None or message.status is not MessageStatus.QUEUED:
        return
    settings = settings_of(message.school_id)
    message.attempts += 1
    try:
        group_chat.send(settings.platform, settings.webhook_url, settings.webhook_secret, message.title, message.text)
    except group_chat.DeliveryFailed as exc:
        message.error = exc.reason
        if message.attempts < ATTEMPTS:
            db.session.commit()
            raise
        message.status = MessageStatus.FAILED
        _tell_admins(message)
        db.session.commit()
        return
    message.status, message.sent_at, message.error = MessageStatus.SENT, utcnow(), ""
    db.session.commit()


def _tell_admins(message):
    school = message.school
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = f"{message.title}：{message.error}"
    for admin in notifications.holders_of(school.id, Permission.SCHOOL_SETTINGS):
        notifications.notify(
            admin,
            NotificationKind.GROUP_MESSAGE_FAILED,
            subject,
            ("reminders.show_settings", None),
            f"group_message_failed:{school.id}:{school_now(school).date().isoformat()}:{admin.id}",
        )


def open_for(user, now=None):
    """The gaps this person was told of that are still open (due within the last day or to
    come), soonest first: the home page's list."""
    now = now or utcnow()
    told = sa.select(Notification.target_id).where(
        Notification.user_id == user.id, Notification.target_endpoint == "reminders.follow_reminder"
    )
    return db.session.scalars(
        sa.select(Reminder)
        .where(
            Reminder.id.in_(told),
            Reminder.school_id == user.school_id,
            Reminder.closed_at.is_(None),
            Reminder.due_at >= now - timedelta(days=1),
        )
        .order_by(Reminder.due_at, Reminder.id)
        .limit(20)
    ).all()


def recent_messages(school_id, limit=20):
    return db.session.scalars(
        sa.select(GroupMessage).where(GroupMessage.school_id == school_id).order_by(GroupMessage.id.desc()).limit(limit)
    ).all()


# --- what the county sees ---------------------------------------------------------------------


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
