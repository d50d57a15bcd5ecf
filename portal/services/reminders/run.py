"""The routine's pass for one school: every due rule is asked for the gaps open around now; a
gap within its lead time is prompted once to the people responsible, escalated once when its
due time has passed, and marked closed when a later run no longer finds it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ...due import RULES, rules
from ...extensions import db
from ...i18n import deadline_text
from ...models.notification import Notification, NotificationKind
from ...models.reminder import GroupMessage, Platform, Reminder
from ...models.user import User
from ...phone_links import phone_url
from ...timeutil import school_now, utcnow, zone
from .. import calendar as school_calendar
from .. import notifications
from ..reminder_settings import choices_of, settings_of
from ..school_hours import OPENING_SEARCH_DAYS, next_opening

# Gaps due longer ago than this are no longer looked at: one still open then stays open.
CATCH_UP = timedelta(days=7)


# A gap first found after its due time is not prompted, only escalated; and a gap of a record
# that cannot be made afterwards (a meal's sample, a morning's check) first found this long
# after its due time not even that (yesterday's, when the rule was just switched on): it is a
# gap to report, as the board and the compliance page do. A gap that stays open until someone
# closes it (a task, a certificate, a report) is escalated however late it is first seen
# within CATCH_UP: a school PC switched off over night still tells the principal in the morning.
TOO_LATE_TO_PROMPT = timedelta(hours=2)


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
    def canteen_days(self):
        return [day for day in self.days if self.calendar.is_canteen_day(day)]

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
        .order_by(User.name_pinyin, User.id)
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
    return sorted(people.values(), key=lambda user: user.name_pinyin)


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
    for rule in rules():
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
        # The setting counts back from the last valid day, which the lists already call
        # "expiring"; the gap is due at 24:00 of that day: one day more.
        return timedelta(days=getattr(school.settings, rule.lead_setting) + 1)
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


def _group_message(settings, context, reminder, people, *, escalation, now):
    if settings.platform is Platform.NONE or not settings.webhook_url:
        return
    kind = RULES[reminder.rule].late_kind if escalation else NotificationKind.REMINDER_DUE
    lines = [reminder.subject, _("Due: %(moment)s", moment=deadline_text(reminder.due_at, context.school))]
    if people:
        lines.append(_("Responsible: %(people)s", people="、".join(person.display_name for person in people)))
    link = phone_url("reminders.follow_reminder", reminder_id=reminder.id)
    if link:
        label = _("Open the page that closes it")
        lines.append(f"[{label}]({link})")
    db.session.add(
        GroupMessage(
            school_id=context.school.id,
            reminder=reminder,
            escalation=escalation,
            title=f"{kind.label}：{RULES[reminder.rule].name}"[:200],
            text="\n\n".join(lines),
            send_after=now if escalation else next_opening(settings, context.calendar, context.school, now),
        )
    )


def open_for(user, now=None):
    """The gaps this person was told of that are still open (due within the last day or to
    come), soonest first: the home page's list, without what has its own line there."""
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
            Reminder.rule.not_in([rule.key for rule in rules() if not rule.listed_at_home]),
        )
        .order_by(Reminder.due_at, Reminder.id)
        .limit(20)
    ).all()
