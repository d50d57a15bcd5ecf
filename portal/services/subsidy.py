"""The nutrition subsidy: the daily report of eligible students and diners, the month's
reconciliation of the subsidy against the food actually issued (不少支不超支) signed by the
principal, and the school year's balance."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import Gap, at
from ..errors import DomainError
from ..extensions import db
from ..models.nutrition import DailyReport, EnrolmentChange, Reconciliation, Student, SubsidyCharge, SubsidyRate
from ..models.school import school_of
from ..models.storeroom import StockBatch, StockIssue
from ..models.user import User
from ..timeutil import add_months, school_today, utcnow, zone
from . import audit, nutrition, records, users
from .calendar import days_between, load_many
from .calendar import load as load_calendar
from .calendar import school_year_of as school_year_span
from .canteen import refuse_future_day, start_record
from .ledgers import lock_moment

MONEY = Decimal("0.01")


# --- the daily report -------------------------------------------------------------------------


def save_report(actor, report, now=None):
    """每日上报 of one school day: the eligible students come from the roster; diners for
    each meal served; no more diners than eligible students and the school's staff."""
    start_record(actor, report, "reported_by", now)
    refuse_future_day(report, now)
    school = school_of(report)
    if not load_calendar(school.id, report.day, report.day).is_school_day(report.day):
        raise DomainError(_l("This day is not a school day: it has no report."), field="day")
    report.eligible = nutrition.eligible_on(school.id, report.day)
    staff = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.school_id == school.id, User.active.is_(True))
    )
    for meal in school.settings.meals():
        diners = getattr(report, f"{meal.value}_diners")
        if diners is None or diners < 0:
            raise DomainError(_l("Enter the diners at %(meal)s.", meal=meal.label), field=f"{meal.value}_diners")
        if diners > report.eligible + staff:
            raise DomainError(
                _l(
                    "%(meal)s: %(diners)d diners is more than the %(eligible)d eligible students and %(staff)d staff.",
                    meal=meal.label,
                    diners=diners,
                    eligible=report.eligible,
                    staff=staff,
                ),
                field=f"{meal.value}_diners",
            )
    report.platform_ref = (report.platform_ref or "").strip()[:64]
    due = datetime.combine(report.day, school.settings.nutrition_report_cutoff, tzinfo=zone(school))
    report.late = (now or utcnow()) > due
    if _reported(school.id, report.day):
        raise DomainError(_l("This day's report is saved already."), field="day")
    return records.save_record(actor, report, None, now)


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
            and datetime.combine(day, school.settings.nutrition_report_cutoff, tzinfo=zone(school)) < now
        ]
        found[school.id] = [day for day in due if (school.id, day) not in reported]
    return found


# --- the month's reconciliation ---------------------------------------------------------------


def rates():
    """[(first day, yuan per student and school day)], oldest first."""
    return db.session.execute(sa.select(SubsidyRate.starts_on, SubsidyRate.yuan).order_by(SubsidyRate.starts_on)).all()


def _rate_spans(first, last):
    """[(first, last, rate)] of first..last, split where the rate changes."""
    table = rates()
    ends = [start - timedelta(days=1) for start, _rate in table[1:]] + [last]
    spans = []
    for (start, rate), end in zip(table, ends, strict=True):
        low, high = max(first, start), min(last, end)
        if low <= high:
            spans.append((low, high, rate))
    return spans


def save_rate(actor, rate, before):
    """A rate from a day on (the county's setting with its history): a change reaching
    into signed months reopens none of them; it shows on the next month's reconciliation."""
    if rate.starts_on is None:
        raise DomainError(_l("Enter the day the rate applies from."), field="starts_on")
    if rate.yuan is None or not Decimal(0) < rate.yuan <= Decimal(50):
        raise DomainError(_l("Enter the yuan per student and school day, more than 0 and at most 50."), field="yuan")
    rate.document_ref = (rate.document_ref or "").strip()
    with db.session.no_autoflush:
        twin = db.session.scalar(
            sa.select(SubsidyRate.id).where(SubsidyRate.starts_on == rate.starts_on, SubsidyRate.id != rate.id)
        )
    if twin is not None:
        raise DomainError(_l("A rate already starts on this day: change that one."), field="starts_on")
    return records.save_record(actor, rate, before)


def delete_rate(actor, rate):
    if db.session.scalar(sa.select(sa.func.count()).select_from(SubsidyRate)) <= 1:
        raise DomainError(_l("The last rate cannot be deleted: the subsidy would have none."))
    records.delete_record(actor, rate)


def entitlement_many(school_ids, first, last):
    """{school id: (eligible student-days, the subsidy they entitle to)} first..last at each
    day's rate; the same few queries whatever the number of schools."""
    found = {school_id: (0, Decimal(0)) for school_id in school_ids}
    for low, high, rate in _rate_spans(first, last):
        for school_id, counted in nutrition.student_days_many(school_ids, low, high).items():
            days, money = found[school_id]
            found[school_id] = (days + counted, money + counted * rate)
    return {school_id: (days, money.quantize(MONEY)) for school_id, (days, money) in found.items()}


def entitlement(school_id, first, last):
    return entitlement_many([school_id], first, last)[school_id]


def spending_many(school_ids, first, last):
    """{school id: the value of the food the storeroom issued first..last}, one grouped query."""
    rows = db.session.execute(
        sa.select(StockIssue.school_id, sa.func.sum(StockIssue.quantity * sa.func.coalesce(StockBatch.unit_price, 0)))
        .join(StockBatch, StockBatch.id == StockIssue.batch_id)
        .where(StockIssue.school_id.in_(school_ids), StockIssue.day.between(first, last), StockIssue.standing())
        .group_by(StockIssue.school_id)
    ).all()
    return _yuan_per_school(school_ids, rows)


def _yuan_per_school(school_ids, rows):
    """{school id: yuan} from grouped (school id, sum) rows; a school without a row has 0."""
    found = dict.fromkeys(school_ids, Decimal(0))
    found.update({school_id: Decimal(value or 0).quantize(MONEY) for school_id, value in rows})
    return found


def spending(school_id, first, last):
    return spending_many([school_id], first, last)[school_id]


def other_spending_many(school_ids, first, last):
    """{school id: the other spending charged to the subsidy first..last}, one grouped query."""
    rows = db.session.execute(
        sa.select(SubsidyCharge.school_id, sa.func.sum(SubsidyCharge.amount))
        .where(
            SubsidyCharge.school_id.in_(school_ids), SubsidyCharge.day.between(first, last), SubsidyCharge.standing()
        )
        .group_by(SubsidyCharge.school_id)
    ).all()
    return _yuan_per_school(school_ids, rows)


def save_charge(actor, charge, now=None):
    """Other spending charged to the subsidy: food for the students' meals only. Anything
    else is refused with the rule that forbids it, and nothing is saved."""
    start_record(actor, charge, "recorded_by", now)
    if charge.category is None:
        raise DomainError(_l("Choose what the money was spent on."), field="category")
    if not charge.category.allowed:
        raise DomainError(
            _l(
                "%(category)s cannot be paid from the nutrition subsidy: it buys food for the students' meals "
                "only (no cash to students or parents, no staff meals, wages, running costs, transport or "
                "publicity). Pay it from the school's other funds.",
                category=charge.category.label,
            ),
            field="category",
        )
    if charge.amount is None or charge.amount <= 0:
        raise DomainError(_l("Enter the amount in yuan, more than 0."), field="amount")
    charge.amount = Decimal(charge.amount).quantize(MONEY)
    charge.description = (charge.description or "").strip()[:200]
    if not charge.description:
        raise DomainError(_l("Say what was bought."), field="description")
    charge.voucher = (charge.voucher or "").strip()[:64]
    signed = reconciliation_of(charge.school_id, charge.day.replace(day=1))
    if signed is not None and signed.is_signed:
        raise DomainError(
            _l("The month of this day is signed: spending is charged to the month it is paid in."), field="day"
        )
    return records.save_record(actor, charge, None, now)


def charges_between(school_id, first, last):
    return db.session.scalars(
        sa.select(SubsidyCharge)
        .where(SubsidyCharge.school_id == school_id, SubsidyCharge.day.between(first, last), SubsidyCharge.standing())
        .order_by(SubsidyCharge.day, SubsidyCharge.id)
    ).all()


def month_end(month):
    return add_months(month, 1) - timedelta(days=1)


def reconciliation_of(school_id, month):
    return db.session.scalar(
        sa.select(Reconciliation).where(Reconciliation.school_id == school_id, Reconciliation.month == month)
    )


def earlier_months_change_many(school_ids, month):
    """{school id: what changes dated into the school year's signed months before ``month``
    did to their subsidy, less what later months already took}: counted once, in the next
    month signed. One query per earlier month, whatever the number of schools."""
    signed = db.session.scalars(
        sa.select(Reconciliation).where(
            Reconciliation.school_id.in_(school_ids),
            Reconciliation.month.between(school_year_of(month), month - timedelta(days=1)),
            Reconciliation.signed_at.is_not(None),
        )
    ).all()
    found = dict.fromkeys(school_ids, Decimal(0))
    by_month = {}
    for record in signed:
        by_month.setdefault(record.month, []).append(record)
        found[record.school_id] -= record.entitlement + record.earlier_months_change
    for earlier, signed_then in by_month.items():
        now = entitlement_many([r.school_id for r in signed_then], earlier, month_end(earlier))
        for record in signed_then:
            found[record.school_id] += now[record.school_id][1]
    return {school_id: value.quantize(MONEY) for school_id, value in found.items()}


def figures_many(schools, month):
    """{school id: the month as a page shows it} (a GET writes nothing): the signed
    reconciliation, or the figures as the roster, its changes and the storeroom say them
    now, counted up to today while the month is not over. The same queries for one school
    and for a county."""
    ids = [school.id for school in schools]
    existing = {
        r.school_id: r
        for r in db.session.scalars(
            sa.select(Reconciliation).where(Reconciliation.school_id.in_(ids), Reconciliation.month == month)
        )
    }
    found = {school_id: r for school_id, r in existing.items() if r.is_signed}
    open_schools = [school for school in schools if school.id not in found]
    if not open_schools:
        return found
    today = max(school_today(school) for school in open_schools)
    last = min(month_end(month), today)
    open_ids = [school.id for school in open_schools]
    entitled = entitlement_many(open_ids, month, last)
    spent = spending_many(open_ids, month, last)
    spent_otherwise = other_spending_many(open_ids, month, last)
    earlier = earlier_months_change_many(open_ids, month)
    for school in open_schools:
        explanation = existing[school.id].explanation if school.id in existing else ""
        found[school.id] = Reconciliation(
            school_id=school.id,
            month=month,
            student_days=entitled[school.id][0],
            entitlement=entitled[school.id][1],
            earlier_months_change=earlier[school.id],
            spending=spent[school.id],
            other_spending=spent_otherwise[school.id],
            tolerance=Decimal(school.settings.subsidy_tolerance_yuan),
            explanation=explanation,
        )
    return found


def figures(school, month):
    return figures_many([school], month)[school.id]


def refresh(actor, month):
    """An unsigned reconciliation brought up to date (made when there is none); a signed
    one is never touched."""
    school = actor.school
    counted = figures(school, month)
    if counted.is_signed:
        return counted
    reconciliation = reconciliation_of(school.id, month) or Reconciliation(school_id=school.id, month=month)
    for name in (
        "student_days",
        "entitlement",
        "earlier_months_change",
        "spending",
        "other_spending",
        "tolerance",
        "explanation",
    ):
        setattr(reconciliation, name, getattr(counted, name))
    if reconciliation.id is None:
        db.session.add(reconciliation)
    db.session.flush()
    return reconciliation


def explain(actor, month, explanation):
    if not actor.can("student.manage"):
        raise DomainError(_l("The difference is explained by the school admin who keeps the roster."))
    reconciliation = refresh(actor, month)
    if reconciliation.is_signed:
        raise DomainError(_l("This record is signed and can no longer be changed."))
    before = audit.snapshot(reconciliation)
    reconciliation.explanation = (explanation or "").strip()
    return records.save_record(actor, reconciliation, before)


def sign(actor, month, password, now=None):
    """The principal signs a month that is over, with its figures brought up to date and its
    difference beyond the tolerance explained; the month is then frozen."""
    today = school_today(actor.school, now)
    if month_end(month) >= today:
        raise DomainError(_l("A month is reconciled once it is over."))
    existing = reconciliation_of(actor.school_id, month)
    if existing is not None and existing.is_signed:
        raise DomainError(_l("This record is signed and can no longer be changed."))
    if not actor.can("subsidy.sign"):
        raise DomainError(_l("The month's subsidy reconciliation is signed by the principal."))
    users.check_own_password(actor, password)
    reconciliation = refresh(actor, month)
    if reconciliation.beyond_tolerance and not reconciliation.explanation:
        raise DomainError(
            _l(
                "%(verdict)s by ¥%(amount)s, beyond the tolerance of ¥%(tolerance)s: explain it before signing.",
                verdict=reconciliation.verdict,
                amount=f"{abs(reconciliation.difference):.2f}",
                tolerance=f"{reconciliation.tolerance:.0f}",
            ),
            field="explanation",
        )
    reconciliation.signed_by_id, reconciliation.signed_at = actor.id, now or utcnow()
    db.session.flush()
    audit.record(actor, "reconciliation.signed", reconciliation, after=audit.snapshot(reconciliation))
    return reconciliation


# --- the school year's balance ----------------------------------------------------------------


def school_year_of(day):
    """The first day of the school year (1 September) ``day`` falls in."""
    return school_year_span(day)[0]


@dataclass
class Balance:
    first: object
    months: list = field(default_factory=list)  # [(month, Reconciliation or None)]

    @property
    def signed(self):
        return [rec for _month, rec in self.months if rec is not None and rec.is_signed]

    @property
    def entitlement(self):
        return sum((rec.subsidy for rec in self.signed), Decimal(0))

    @property
    def spending(self):
        return sum((rec.total_spending for rec in self.signed), Decimal(0))

    @property
    def carry_over(self):
        """What the signed months leave to spend (negative: spent ahead of the subsidy)."""
        return self.entitlement - self.spending


def balance(school_id, first, today):
    """The school year from ``first``: each of its months up to this one, with its reconciliation."""
    found = {
        rec.month: rec
        for rec in db.session.scalars(
            sa.select(Reconciliation).where(
                Reconciliation.school_id == school_id, Reconciliation.month.between(first, add_months(first, 11))
            )
        )
    }
    months, month = [], first
    while month <= today and month < add_months(first, 12):
        months.append((month, found.get(month)))
        month = add_months(month, 1)
    return Balance(first, months)


# --- the county's view ------------------------------------------------------------------------

# A canteen serving this many diners or more needs a food-safety director (食品安全总监).
DIRECTOR_FROM_DINERS = 500


@dataclass
class CountyRow:
    school: object
    eligible: int
    diners: int
    reconciliation: object
    unreported: list
    changes: int
    needs_food_safety_director: bool

    @property
    def sort_key(self):
        rec = self.reconciliation
        return (not rec.beyond_tolerance, -abs(rec.difference), self.school.name)


def county(schools, month, today):
    """Every school's month: eligible students, most diners of a day, subsidy, spending, the
    difference, days unreported, enrolment changes; schools beyond the tolerance first."""
    ids = [school.id for school in schools]
    last = min(month_end(month), today)
    eligible = dict(
        db.session.execute(
            sa.select(Student.school_id, sa.func.count())
            .where(Student.school_id.in_(ids), Student.enrolled, Student.eligible)
            .group_by(Student.school_id)
        ).all()
    )
    diners = dict(
        db.session.execute(
            sa.select(DailyReport.school_id, sa.func.max(DailyReport.lunch_diners))
            .where(DailyReport.school_id.in_(ids), DailyReport.day.between(month, last), DailyReport.standing())
            .group_by(DailyReport.school_id)
        ).all()
    )
    changes = dict(
        db.session.execute(
            sa.select(EnrolmentChange.school_id, sa.func.count())
            .where(EnrolmentChange.school_id.in_(ids), EnrolmentChange.effective_on.between(month, last))
            .group_by(EnrolmentChange.school_id)
        ).all()
    )
    directors = set(
        db.session.scalars(
            sa.select(User.school_id).where(User.school_id.in_(ids), User.food_safety_manager.is_(True), User.active)
        )
    )
    in_the_plan = set(db.session.scalars(sa.select(Student.school_id).where(Student.school_id.in_(ids)).distinct()))
    unreported = unreported_days([school for school in schools if school.id in in_the_plan], month, last)
    counted = figures_many(schools, month)
    rows = [
        CountyRow(
            school=school,
            eligible=eligible.get(school.id, 0),
            diners=diners.get(school.id) or 0,
            reconciliation=counted[school.id],
            unreported=unreported.get(school.id, []),
            changes=changes.get(school.id, 0),
            needs_food_safety_director=(diners.get(school.id) or 0) >= DIRECTOR_FROM_DINERS
            and school.id not in directors,
        )
        for school in schools
    ]
    return sorted(rows, key=lambda row: row.sort_key)


# --- what is due, for the reminders (portal/due_rules.py) -------------------------------------


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
