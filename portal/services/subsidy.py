"""The nutrition subsidy: the daily report of eligible students and diners, the month's
reconciliation of the subsidy against the food actually issued (不少支不超支) signed by the
principal, and the school year's balance."""

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.nutrition import Reconciliation, SubsidyCharge, SubsidyRate
from ..timeutil import add_months, school_today, utcnow
from . import audit, enrolment, food_share, nutrition, records, users
from .calendar import school_year_of as school_year_span
from .canteen import start_record

MONEY = Decimal("0.01")


# --- the daily report -------------------------------------------------------------------------


# --- the month's reconciliation ---------------------------------------------------------------


def rates():
    """[(first day, yuan per student and school day)], oldest first."""
    return db.session.execute(sa.select(SubsidyRate.starts_on, SubsidyRate.yuan).order_by(SubsidyRate.starts_on)).all()


def tolerance_on(day):
    """The county's tolerance for a month ending on ``day`` (¥100 before any rate)."""
    found = db.session.scalar(
        sa.select(SubsidyRate.tolerance_yuan)
        .where(SubsidyRate.starts_on <= day)
        .order_by(SubsidyRate.starts_on.desc())
        .limit(1)
    )
    return Decimal(100 if found is None else found)


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
    if rate.tolerance_yuan is None:  # a new rate keeps the tolerance in force
        rate.tolerance_yuan = int(tolerance_on(rate.starts_on))
    if not 0 <= rate.tolerance_yuan <= 10000:
        raise DomainError(_l("Enter the month's tolerance in yuan, from 0 to 10,000."), field="tolerance_yuan")
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


def _yuan_per_school(school_ids, rows):
    """{school id: yuan} from grouped (school id, sum) rows; a school without a row has 0."""
    found = dict.fromkeys(school_ids, Decimal(0))
    found.update({school_id: Decimal(value or 0).quantize(MONEY) for school_id, value in rows})
    return found


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
    shares = food_share.shares_many(open_ids, month, last)
    spent_otherwise = other_spending_many(open_ids, month, last)
    earlier = earlier_months_change_many(open_ids, month)
    tolerance = tolerance_on(month_end(month))
    for school in open_schools:
        explanation = existing[school.id].explanation if school.id in existing else ""
        found[school.id] = Reconciliation(
            school_id=school.id,
            month=month,
            student_days=entitled[school.id][0],
            entitlement=entitled[school.id][1],
            earlier_months_change=earlier[school.id],
            spending=shares[school.id].issued.quantize(MONEY),
            others_share=shares[school.id].others,
            other_spending=spent_otherwise[school.id],
            tolerance=tolerance,
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
        "others_share",
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
    unchecked = enrolment.unchecked_in(actor.school_id, month, month_end(month))
    if unchecked:
        raise DomainError(
            _l(
                "%(n)d enrolment changes of this month are not checked yet (%(first)s…): "
                "the month is signed once they are.",
                n=len(unchecked),
                first=f"{unchecked[0].student.name} {unchecked[0].kind.label}",
            )
        )
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


# --- the county's view ------------------------------------------------------------------------


# --- what is due, for the reminders (portal/due_rules.py) -------------------------------------


def school_year_of(day):
    """The first day of the school year (1 September) ``day`` falls in."""
    return school_year_span(day)[0]
