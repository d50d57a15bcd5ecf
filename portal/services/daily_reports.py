"""The nutrition plan's daily report: each school day's diners, reported to the platform by its
cut-off; the days still open, and those left unreported."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import Gap, at
from ..errors import DomainError
from ..extensions import db
from ..models.nutrition import DailyReport, EnrolmentChange, Student
from ..models.school import school_of
from ..models.user import User
from ..timeutil import school_today, utcnow, zone
from . import nutrition, records
from .calendar import days_between, load_many
from .calendar import load as load_calendar
from .canteen import refuse_future_day, start_record
from .ledgers import lock_moment


def save_report(actor, report, now=None):
    """每日上报 of one school day: the eligible students come from the roster; diners for
    each meal served, and who they were (services/food_share.py splits the day's food by them)."""
    start_record(actor, report, "reported_by", now)
    refuse_future_day(report, now)
    school = school_of(report)
    if not load_calendar(school.id, report.day, report.day).is_school_day(report.day):
        raise DomainError(_l("This day is not a school day: it has no report."), field="day")
    report.eligible = nutrition.eligible_on(school.id, report.day)
    for meal in school.settings.meals():
        diners = getattr(report, f"{meal.value}_diners")
        if diners is None or diners < 0:
            raise DomainError(_l("Enter the diners at %(meal)s.", meal=meal.label), field=f"{meal.value}_diners")
    _check_split(report, school)
    report.platform_ref = (report.platform_ref or "").strip()[:64]
    due = datetime.combine(report.day, school.settings.nutrition_report_cutoff, tzinfo=zone(school))
    report.late = (now or utcnow()) >= due
    if _reported(school.id, report.day):
        raise DomainError(_l("This day's report is saved already."), field="day")
    return records.save_record(actor, report, None, now)


def _check_split(report, school):
    """Who the diners of the day's largest meal were: staff and students without the subsidy,
    each zero or more; the rest are eligible students, never more than there are."""
    for name in ("staff_diners", "other_student_diners"):
        if getattr(report, name) is None or getattr(report, name) < 0:
            raise DomainError(_l("Enter how many of the diners they were, 0 if none."), field=name)
    staff = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.school_id == school.id, User.active.is_(True))
    )
    if report.staff_diners > staff:
        raise DomainError(
            _l("%(n)d staff diners is more than the school's %(staff)d staff.", n=report.staff_diners, staff=staff),
            field="staff_diners",
        )
    if report.staff_diners + report.other_student_diners > report.diners:
        raise DomainError(
            _l(
                "Staff and students without the subsidy are counted among the %(diners)d diners of the day's "
                "largest meal: they cannot be more.",
                diners=report.diners,
            ),
            field="other_student_diners",
        )
    if report.eligible_diners > report.eligible:
        raise DomainError(
            _l(
                "%(diners)d diners less staff and students without the subsidy leaves %(left)d eligible diners, "
                "more than the %(eligible)d eligible students.",
                diners=report.diners,
                left=report.eligible_diners,
                eligible=report.eligible,
            ),
            field="other_student_diners",
        )


def last_split(school_id):
    """The latest report's staff and students without the subsidy, to start the next day's
    form from (they change little from day to day)."""
    return db.session.execute(
        sa.select(DailyReport.staff_diners, DailyReport.other_student_diners)
        .where(DailyReport.school_id == school_id, DailyReport.standing(), DailyReport.staff_diners.is_not(None))
        .order_by(DailyReport.day.desc())
        .limit(1)
    ).first()


def open_days(school, now=None):
    """School days whose report can still be saved, newest first: today, and earlier days
    missed whose ledger has not locked yet (a day locked without a report stays a gap)."""
    now = now or utcnow()
    today = school_today(school, now)
    first = today - timedelta(days=school.settings.ledger_lock_days)
    calendar = load_calendar(school.id, first, today)
    reported = {report.day for report in reports_between(school.id, first, today)}
    return [
        day
        for day in reversed(days_between(first, today))
        if calendar.is_school_day(day) and day not in reported and lock_moment(school, day) > now
    ]


def _reported(school_id, day):
    query = sa.select(DailyReport.id).where(
        DailyReport.school_id == school_id, DailyReport.day == day, DailyReport.standing()
    )
    return db.session.scalar(query.limit(1)) is not None


def has_roster(school_id):
    return db.session.scalar(sa.select(Student.id).where(Student.school_id == school_id).limit(1)) is not None


def platform_text(report, school):
    """The day's figures as the county's platform takes them, one tap to copy."""
    diners = "，".join(
        f"{meal.label}{getattr(report, f'{meal.value}_diners') or 0}人" for meal in school.settings.meals()
    )
    return f"{report.day.isoformat()} 享受营养改善计划学生{report.eligible}人，就餐：{diners}"


def reports_between(school_id, first, last):
    return db.session.scalars(
        sa.select(DailyReport)
        .where(DailyReport.school_id == school_id, DailyReport.day.between(first, last), DailyReport.standing())
        .order_by(DailyReport.day)
    ).all()


def unreported_days(schools, first, last, now=None):
    """{school id: [school days first..last without a report, once their cut-off has passed]},
    in two queries and the calendars."""
    ids = [school.id for school in schools]
    if not ids or first > last:
        return {school_id: [] for school_id in ids}
    reported = set(
        db.session.execute(
            sa.select(DailyReport.school_id, DailyReport.day).where(
                DailyReport.school_id.in_(ids), DailyReport.day.between(first, last), DailyReport.standing()
            )
        ).all()
    )
    calendars = load_many(ids, first, last)
    now = now or utcnow()
    found = {}
    for school in schools:
        due = [
            day
            for day in days_between(first, last)
            if calendars[school.id].is_school_day(day)
            and datetime.combine(day, school.settings.nutrition_report_cutoff, tzinfo=zone(school)) <= now
        ]
        found[school.id] = [day for day in due if (school.id, day) not in reported]
    return found


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
