"""When a kind of record is due, and who is told: the registry of due rules, which knows no
domain. portal/due_rules.py holds the table of rules; each service owns the query that finds
its gaps (a rule's ``find``), and the routine (services/reminders/) asks every rule.

A rule says what it keeps (a kind of record's key, when it keeps a ledger), when its record
is due (a time the school sets, or one the school settings already hold: a meal's end, the
report cut-off, the certificate warning), how long before that the people responsible are
prompted (the lead time, a school setting with this default), who they are, and who hears
when it is late. Its ``find`` lists the gaps still open around now.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from .models.notification import NotificationKind
from .permissions import Permission
from .timeutil import zone

# What the school sets for a rule besides its lead time.
AT_TIME = "time"  # a time of day
WEEKDAY = "weekday"  # a day of the week (1 Monday .. 7 Sunday) and a time
MONTH_DAY = "month_day"  # a day of the month (1..28) and a time
DAYS_AFTER = "days_after"  # days allowed after posting

MINUTES = "minutes"
DAYS = "days"

DAY_MINUTES = 24 * 60
HOURS_12 = 12 * 60


@dataclass(frozen=True)
class Gap:
    key: str
    due_at: datetime
    subject: str
    # The page that closes it: (endpoint, arguments).
    target: tuple
    # People responsible for this gap in particular (a task's, a certificate's holder), by id,
    # besides the rule's holders.
    people: tuple = ()


@dataclass(frozen=True)
class DueRule:
    key: str
    name: object
    # (context, choice) -> [Gap] open now, due from context.horizon on.
    find: object
    default_lead: int
    # The longest lead time allowed, in minutes: the rule's period.
    period_minutes: int
    lead_unit: str = MINUTES
    due: str | None = None
    default_due_time: time | None = None
    default_due_day: int | None = None
    # Where the due time is set when it is not set here (a school setting's label).
    due_elsewhere: object = None
    # A school setting (in days) that is the lead time, instead of the rule's own.
    lead_setting: str | None = None
    # (permission, endpoint): where the holders of the permission close the gap, when it is not
    # the gap's own page (a clerk renews a cook's certificate in the certificate list).
    manager_page: tuple | None = None
    # The key of the kind of record it keeps (models/registry.py), when it keeps a ledger.
    record: str | None = None
    # Holders of this permission are responsible (with the gap's own people); None: the gap's only.
    responsible: object = None
    responsible_are_canteen_workers: bool = False
    escalate_to: Permission = Permission.TASK_VERIFY
    # Its gap can still be closed after its due time (a task, a certificate, a report), so it
    # is escalated however late the routine first sees it.
    stays_open: bool = False
    late_kind: NotificationKind = NotificationKind.REMINDER_LATE
    # False when what it prompts about has its own line on the home page (a task does): the
    # home page's reminders leave it out, so that nothing is listed twice.
    listed_at_home: bool = True

    @property
    def default_lead_minutes(self):
        return self.default_lead * (DAY_MINUTES if self.lead_unit == DAYS else 1)


def at(day, moment, school):
    return datetime.combine(day, moment, tzinfo=zone(school)).astimezone(UTC)


RULES = {}


def register(rule):
    if rule.key in RULES:
        raise ValueError(f"a due rule is registered twice: {rule.key}")
    RULES[rule.key] = rule
    return rule


def rules():
    return list(RULES.values())
