"""A school's choices for each due rule (portal/due.py), and its group chat and school hours."""

from dataclasses import dataclass
from datetime import time

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import AT_TIME, DAY_MINUTES, DAYS, DAYS_AFTER, MONTH_DAY, WEEKDAY, rules
from ..errors import DomainError
from ..extensions import db
from ..models.reminder import Platform, ReminderRule, ReminderSettings
from . import audit, group_chat


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
    for rule in rules():
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
    for rule in rules():
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
    if webhook_secret is None:
        secret = ""
    else:
        secret = webhook_secret.strip() or (settings.webhook_secret if settings.platform is platform else "")
    address = group_chat.check_address(platform, webhook_url, secret)
    webhook_url = address.url if address else ""  # rebuilt from its checked parts
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
