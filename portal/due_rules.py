"""When each kind of record is due, and who is told: declared once.

A rule says what it keeps (the ledger registry's key, when it is a ledger), when its record is
due (a time the school sets here, or one the school settings already hold: a meal's end, the
report cut-off, the certificate warning), how long before that the people responsible are
prompted (the lead time, a school setting with this default), who they are, and who hears
when it is late. Its ``find`` lists the gaps still open around now: the routine
(services/reminders.py) prompts each one once, escalates it once when late, and notices
when it closed. The settings page, the routine and the coverage tests read this list.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .extensions import db
from .models.canteen import MenuDish, MorningCheck, TablewareDisinfection
from .models.cold_chain import ColdUnit, TemperatureReading
from .models.dormitory import DormCheck
from .models.food_safety import DispatchMeeting, RiskReport
from .models.notification import NotificationKind
from .models.nutrition import DailyReport, EnrolmentChange
from .models.rectification import RectificationTask, TaskStatus
from .models.rule import Rule, RuleAcknowledgement, RuleStatus
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
    # The ledger registry's key, when the rule keeps a ledger.
    record: str | None = None
    # Holders of this permission are responsible (with the gap's own people); None: the gap's only.
    responsible: object = None
    responsible_are_canteen_workers: bool = False
    escalate_to: Permission = Permission.TASK_VERIFY
    # Its gap can still be closed after its due time (a task, a certificate, a report), so it
    # is escalated however late the routine first sees it.
    stays_open: bool = False
    late_kind: NotificationKind = NotificationKind.REMINDER_LATE

    @property
    def default_lead_minutes(self):
        return self.default_lead * (DAY_MINUTES if self.lead_unit == DAYS else 1)


def at(day, moment, school):
    return datetime.combine(day, moment, tzinfo=zone(school)).astimezone(UTC)


def _canteen_days(context):
    return [day for day in context.days if context.calendar.is_canteen_day(day)]


# --- the canteen's day --------------------------------------------------------------------


def _dishes(context):
    return db.session.scalars(
        sa.select(MenuDish)
        .where(
            MenuDish.school_id == context.school.id,
            MenuDish.day.between(context.days[0], context.days[-1]),
            MenuDish.standing(),
        )
        .options(selectinload(MenuDish.samples))
        .order_by(MenuDish.id)
    ).all()


def find_samples(context, choice):
    dishes = _dishes(context)
    gaps = []
    for day in _canteen_days(context):
        for meal in context.settings.meals():
            served = [dish for dish in dishes if dish.day == day and dish.meal is meal]
            missing = [dish.name for dish in served if not dish.standing_samples]
            if served and not missing:
                continue
            if served:
                subject = _(
                    "%(day)s %(meal)s: no food sample yet of %(dishes)s",
                    day=day.isoformat(),
                    meal=str(meal.label),
                    dishes="、".join(missing),
                )
            else:
                subject = _(
                    "%(day)s %(meal)s: no menu and no food sample yet", day=day.isoformat(), meal=str(meal.label)
                )
            gaps.append(
                Gap(
                    f"{day.isoformat()}:{meal.value}",
                    at(day, context.settings.meal_ends(meal), context.school),
                    subject,
                    ("canteen.record_meal", {"day": day.isoformat(), "meal": meal.value}),
                )
            )
    return gaps


def find_tableware(context, choice):
    done = set(
        db.session.execute(
            sa.select(TablewareDisinfection.day, TablewareDisinfection.meal).where(
                TablewareDisinfection.school_id == context.school.id,
                TablewareDisinfection.day.between(context.days[0], context.days[-1]),
                TablewareDisinfection.standing(),
            )
        ).all()
    )
    return [
        Gap(
            f"{day.isoformat()}:{meal.value}",
            at(day, context.settings.meal_ends(meal), context.school),
            _("%(day)s %(meal)s: tableware disinfection not recorded yet", day=day.isoformat(), meal=str(meal.label)),
            ("canteen.record_meal", {"day": day.isoformat(), "meal": meal.value}),
        )
        for day in _canteen_days(context)
        for meal in context.settings.meals()
        if (day, meal) not in done
    ]


def find_morning_checks(context, choice):
    workers = context.canteen_workers
    if not workers:
        return []
    checked = set(
        db.session.execute(
            sa.select(MorningCheck.day, MorningCheck.worker_id).where(
                MorningCheck.school_id == context.school.id,
                MorningCheck.day.between(context.days[0], context.days[-1]),
                MorningCheck.standing(),
            )
        ).all()
    )
    gaps = []
    for day in _canteen_days(context):
        unchecked = [worker.display_name for worker in workers if (day, worker.id) not in checked]
        if unchecked:
            gaps.append(
                Gap(
                    day.isoformat(),
                    at(day, choice.due_time, context.school),
                    _(
                        "%(day)s morning check not done yet: %(people)s",
                        day=day.isoformat(),
                        people="、".join(unchecked),
                    ),
                    ("canteen.record_morning_checks", {"day": day.isoformat()}),
                )
            )
    return gaps


def _find_readings(context, choice, wanted):
    units = db.session.scalars(
        sa.select(ColdUnit)
        .where(ColdUnit.school_id == context.school.id, ColdUnit.active.is_(True))
        .order_by(ColdUnit.name)
    ).all()
    if not units:
        return []
    counted = dict(
        (((unit_id, day), number))
        for unit_id, day, number in db.session.execute(
            sa.select(TemperatureReading.unit_id, TemperatureReading.day, sa.func.count())
            .where(
                TemperatureReading.school_id == context.school.id,
                TemperatureReading.day.between(context.days[0], context.days[-1]),
                TemperatureReading.standing(),
            )
            .group_by(TemperatureReading.unit_id, TemperatureReading.day)
        )
    )
    gaps = []
    for day in _canteen_days(context):
        short = [unit.name for unit in units if unit.created_on <= day and counted.get((unit.id, day), 0) < wanted]
        if short:
            gaps.append(
                Gap(
                    day.isoformat(),
                    at(day, choice.due_time, context.school),
                    _(
                        "%(day)s fridge and freezer temperatures: %(units)s not read yet (%(n)d a day)",
                        day=day.isoformat(),
                        units="、".join(short),
                        n=wanted,
                    ),
                    ("storeroom.record_temperatures", {"day": day.isoformat()}),
                )
            )
    return gaps


def find_morning_readings(context, choice):
    return _find_readings(context, choice, 1)


def find_afternoon_readings(context, choice):
    return _find_readings(context, choice, context.settings.temperature_readings_per_day)


def find_daily_reports(context, choice):
    """School days since the roster's first student was enrolled."""
    first = db.session.scalar(
        sa.select(sa.func.min(EnrolmentChange.day)).where(EnrolmentChange.school_id == context.school.id)
    )
    if first is None:
        return []
    reported = set(
        db.session.scalars(
            sa.select(DailyReport.day).where(
                DailyReport.school_id == context.school.id,
                DailyReport.day.between(context.days[0], context.days[-1]),
                DailyReport.standing(),
            )
        )
    )
    return [
        Gap(
            day.isoformat(),
            at(day, context.settings.nutrition_report_cutoff, context.school),
            _("%(day)s nutrition-plan daily report not made yet", day=day.isoformat()),
            ("nutrition.list_reports", {}),
        )
        for day in context.days
        if day >= first and context.calendar.is_school_day(day) and day not in reported
    ]


# --- the week and the month -----------------------------------------------------------------


def find_risk_reports(context, choice):
    ahead = [*context.days, context.today + timedelta(days=7)]
    mondays = sorted({day - timedelta(days=day.weekday()) for day in ahead})
    signed = set(
        db.session.scalars(
            sa.select(RiskReport.week_start).where(
                RiskReport.school_id == context.school.id,
                RiskReport.week_start.in_(mondays),
                RiskReport.signed_at.is_not(None),
            )
        )
    )
    gaps = []
    for monday in mondays:
        week = [monday + timedelta(days=n) for n in range(7)]
        if monday in signed or not any(context.calendar.is_school_day(day) for day in week):
            continue
        gaps.append(
            Gap(
                monday.isoformat(),
                at(monday + timedelta(days=choice.due_day - 1), choice.due_time, context.school),
                _("The weekly risk report of the week from %(monday)s is not signed yet", monday=monday.isoformat()),
                ("canteen.show_risk_report", {"monday": monday.isoformat()}),
            )
        )
    return gaps


def find_dispatch_meetings(context, choice):
    ahead = [*context.days, context.today + timedelta(days=28)]
    months = sorted({day.replace(day=1) for day in ahead})
    met = {
        held_on.replace(day=1)
        for held_on in db.session.scalars(
            sa.select(DispatchMeeting.held_on).where(
                DispatchMeeting.school_id == context.school.id,
                DispatchMeeting.held_on >= months[0],
                DispatchMeeting.signed_at.is_not(None),
            )
        )
    }
    return [
        Gap(
            first.strftime("%Y-%m"),
            at(first.replace(day=choice.due_day), choice.due_time, context.school),
            _("The monthly dispatch meeting of %(month)s is not held and signed yet", month=first.strftime("%Y-%m")),
            ("canteen.list_meetings", {}),
        )
        for first in months
        if first not in met and context.calendar.is_school_day(first.replace(day=choice.due_day))
    ]


# --- people ------------------------------------------------------------------------------------


def find_certificates(context, choice):
    from .services.certificates import current_certificates

    return [
        Gap(
            f"{certificate.id}",
            at(certificate.expires_on + timedelta(days=1), time(0), context.school),
            _(
                "%(person)s: %(kind)s expires on %(day)s",
                person=certificate.holder.display_name,
                kind=certificate.kind.name,
                day=certificate.expires_on.isoformat(),
            ),
            ("mine.list_my_certificates", {}),
            (certificate.holder_id,),
        )
        for certificate in current_certificates(context.school, context.today)
        if certificate.expires_on is not None and certificate.expires_on <= context.today + timedelta(days=366)
    ]


def find_rule_confirmations(context, choice):
    rules = db.session.scalars(
        sa.select(Rule).where(Rule.school_id == context.school.id, Rule.status == RuleStatus.POSTED)
    ).all()
    audience = [user for user in context.users if user.can(Permission.RULE_ACKNOWLEDGE)]
    versions = [rule.current_version.id for rule in rules if rule.current_version]
    done = set(
        db.session.execute(
            sa.select(RuleAcknowledgement.rule_version_id, RuleAcknowledgement.user_id).where(
                RuleAcknowledgement.rule_version_id.in_(versions)
            )
        ).all()
    )
    gaps = []
    for rule in rules:
        version = rule.current_version
        if version is None or not rule.needs_acknowledgement:
            continue
        pending = [user for user in audience if (version.id, user.id) not in done]
        if not pending:
            continue
        posted = max(version.created_at, at(version.effective_on, time(0), context.school))
        gaps.append(
            Gap(
                f"{version.id}",
                posted + timedelta(days=choice.due_day),
                _(
                    "《%(title)s》 not yet confirmed as read by %(people)s",
                    title=rule.title,
                    people="、".join(user.display_name for user in pending),
                ),
                ("mine.show_rule", {"rule_id": rule.id}),
                tuple(user.id for user in pending),
            )
        )
    return gaps


def _open_tasks(context):
    return db.session.scalars(
        sa.select(RectificationTask).where(
            RectificationTask.school_id == context.school.id,
            RectificationTask.status == TaskStatus.OPEN,
            RectificationTask.deadline >= context.horizon,
        )
    ).all()


def find_tasks_at_cutoff(context, choice):
    from .services.rectification import escalation_moment

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


# --- dormitories and surveys ---------------------------------------------------------------


def find_dorm_checks(context, choice):
    from .services.dormitory import rooms_of

    if not rooms_of(context.school.id):  # not a boarding school, as the compliance page decides
        return []
    checked = set(
        db.session.scalars(
            sa.select(DormCheck.day).where(
                DormCheck.school_id == context.school.id,
                DormCheck.day.between(context.days[0], context.days[-1]),
                DormCheck.standing(),
            )
        )
    )
    return [
        Gap(
            day.isoformat(),
            at(day, choice.due_time, context.school),
            _("%(day)s dormitory rooms not checked yet", day=day.isoformat()),
            ("dormitory.show_day", {"day": day.isoformat()}),
        )
        for day in context.days
        if context.calendar.is_school_day(day) and day not in checked
    ]


def find_surveys(context, choice):
    from .services.surveys import held_in_term

    term = context.term
    wanted = context.settings.surveys_per_semester
    if term is None or not wanted or term.ends_on < context.today:
        return []
    held = held_in_term(context.school.id, term)
    if held >= wanted:
        return []
    return [
        Gap(
            f"{term.id}",
            at(term.ends_on, time(0), context.school),
            _("Surveys this semester: %(held)d of %(wanted)d answered", held=held, wanted=wanted),
            ("surveys.list_surveys", {}),
        )
    ]


HOURS_12 = 12 * 60

DUE_RULES = (
    DueRule(
        "food_samples",
        _l("Food samples before the meal ends"),
        find_samples,
        default_lead=30,
        period_minutes=HOURS_12,
        due_elsewhere=_l("Each meal's end time (school settings)"),
        record="food_samples",
        responsible_are_canteen_workers=True,
    ),
    DueRule(
        "tableware_disinfections",
        _l("Tableware disinfection before the meal ends"),
        find_tableware,
        default_lead=30,
        period_minutes=HOURS_12,
        due_elsewhere=_l("Each meal's end time (school settings)"),
        record="tableware_disinfections",
        responsible_are_canteen_workers=True,
    ),
    DueRule(
        "morning_checks",
        _l("Morning checks of the canteen workers"),
        find_morning_checks,
        default_lead=30,
        period_minutes=HOURS_12,
        due=AT_TIME,
        default_due_time=time(8, 0),
        record="morning_checks",
        responsible=Permission.LEDGER_MANAGE,
        responsible_are_canteen_workers=True,
    ),
    DueRule(
        "fridge_readings_morning",
        _l("Fridge and freezer temperatures, morning"),
        find_morning_readings,
        default_lead=30,
        period_minutes=HOURS_12,
        due=AT_TIME,
        default_due_time=time(10, 0),
        record="temperature_readings",
        responsible_are_canteen_workers=True,
    ),
    DueRule(
        "fridge_readings_afternoon",
        _l("Fridge and freezer temperatures, all of the day's readings"),
        find_afternoon_readings,
        default_lead=30,
        period_minutes=HOURS_12,
        due=AT_TIME,
        default_due_time=time(16, 0),
        record="temperature_readings",
        responsible_are_canteen_workers=True,
    ),
    DueRule(
        "daily_reports",
        _l("Nutrition-plan daily report"),
        find_daily_reports,
        default_lead=60,
        period_minutes=HOURS_12,
        due_elsewhere=_l("Nutrition-plan daily report due by (school settings)"),
        record="daily_reports",
        responsible=Permission.STUDENT_MANAGE,
        escalate_to=Permission.SUBSIDY_SIGN,
        stays_open=True,
    ),
    DueRule(
        "risk_reports",
        _l("Weekly risk report signed"),
        find_risk_reports,
        default_lead=1,
        lead_unit=DAYS,
        period_minutes=7 * DAY_MINUTES,
        due=WEEKDAY,
        default_due_time=time(17, 0),
        default_due_day=5,
        record="risk_reports",
        responsible=Permission.REPORT_SIGN,
        escalate_to=Permission.INSPECTION_SIGN_OFF,
        stays_open=True,
    ),
    DueRule(
        "dispatch_meetings",
        _l("Monthly dispatch meeting held and signed"),
        find_dispatch_meetings,
        default_lead=3,
        lead_unit=DAYS,
        period_minutes=28 * DAY_MINUTES,
        due=MONTH_DAY,
        default_due_time=time(17, 0),
        default_due_day=25,
        record="dispatch_meetings",
        responsible=Permission.MEETING_SIGN,
        escalate_to=Permission.INSPECTION_SIGN_OFF,
        stays_open=True,
    ),
    DueRule(
        "certificates",
        _l("Health and other certificates renewed before they expire"),
        find_certificates,
        default_lead=30,
        lead_unit=DAYS,
        period_minutes=365 * DAY_MINUTES,
        due_elsewhere=_l("The day it expires; the lead time is the certificate warning in school settings"),
        lead_setting="certificate_warning_days",
        manager_page=(Permission.CERTIFICATE_MANAGE, "certificates.index_view"),
        responsible=Permission.CERTIFICATE_MANAGE,
        stays_open=True,
    ),
    DueRule(
        "rule_confirmations",
        _l("Posted rules confirmed as read by the staff"),
        find_rule_confirmations,
        default_lead=2,
        lead_unit=DAYS,
        period_minutes=30 * DAY_MINUTES,
        due=DAYS_AFTER,
        default_due_day=7,
        escalate_to=Permission.RULE_MANAGE,
        manager_page=(Permission.RULE_MANAGE, "reports.show_rule_coverage"),
        stays_open=True,
    ),
    DueRule(
        "rectification_cutoff",
        _l("Rectification done by the daily cut-off"),
        find_tasks_at_cutoff,
        default_lead=120,
        period_minutes=HOURS_12,
        due_elsewhere=_l("Daily rectification cut-off (school settings)"),
        late_kind=NotificationKind.TASK_ESCALATED,
        stays_open=True,
    ),
    DueRule(
        "rectification_deadline",
        _l("Rectification done by its deadline"),
        find_tasks_at_deadline,
        default_lead=60,
        period_minutes=HOURS_12,
        due_elsewhere=_l("The task's deadline"),
        late_kind=NotificationKind.TASK_OVERDUE,
        stays_open=True,
    ),
    DueRule(
        "dorm_checks",
        _l("Dormitory rooms checked on boarding days"),
        find_dorm_checks,
        default_lead=60,
        period_minutes=HOURS_12,
        due=AT_TIME,
        default_due_time=time(11, 0),
        record="dorm_checks",
        responsible=Permission.DORM_CHECK,
    ),
    DueRule(
        "surveys",
        _l("Surveys held before the semester ends"),
        find_surveys,
        default_lead=30,
        lead_unit=DAYS,
        period_minutes=120 * DAY_MINUTES,
        due_elsewhere=_l("The semester's last day"),
        responsible=Permission.SURVEY_MANAGE,
        escalate_to=Permission.INSPECTION_SIGN_OFF,
        stays_open=True,
    ),
)

BY_KEY = {rule.key: rule for rule in DUE_RULES}
