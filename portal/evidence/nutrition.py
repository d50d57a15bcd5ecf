"""The nutrition plan as a section of the period evidence: the roster at the period's end,
the eligible student-days of the period, the daily reports with their gaps, the monthly
reconciliations and each school year's balance (年度平衡), then the plan's ledgers."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models.nutrition import DailyReport, EnrolmentChange, Reconciliation, Student, SubsidyCharge
from ..services import daily_reports, enrolment, nutrition, subsidy, subsidy_county
from ..timeutil import add_months, school_today
from .ledgers import ledger_part, ledger_tables
from .parts import iso, money, sheet
from .tables import Table, column, flags, label, moment, name_of, register


def _balances(school, first, last):
    """The balance of each school year the period touches."""
    today = min(last, school_today(school))
    balances, year = [], subsidy.school_year_of(first)
    while year <= last:
        balances.append(subsidy_county.balance(school.id, year, today))
        year = add_months(year, 12)
    return balances


def _balance_sheets(school, balances):
    """One sheet per school year: each month's signed subsidy and spending, the year's totals
    and what it carries over."""
    sheets = []
    for balance in balances:
        year = balance.first
        rows = [_balance_row(school, month, r) for month, r in balance.months]
        rows.append(
            [
                str(_l("Signed months")),
                money(balance.entitlement),
                money(balance.spending),
                money(balance.carry_over),
                "",
            ]
        )
        title = _l("Subsidy balance, school year %(year)s", year=f"{year.year}–{year.year + 1}")
        headers = (
            _l("Month"),
            _l("Subsidy (yuan)"),
            _l("Spent from the subsidy (yuan)"),
            _l("Difference (yuan)"),
            _l("Signed by"),
        )
        sheets.append(sheet(title, headers, rows))
    return sheets


def _balance_charts(balances):
    """Each school year with a signed month as a chart; its figures are the sheet beside it."""
    return [
        (
            balance.chart(),
            _l(
                "School year %(year)s: %(months)d months signed, %(carried)s yuan carried over.",
                year=f"{balance.first.year}–{balance.first.year + 1}",
                months=len(balance.signed),
                carried=money(balance.carry_over),
            ),
        )
        for balance in balances
        if balance.signed
    ]


def _balance_row(school, month, reconciliation):
    """A signed month as signed; an unsigned one with its figures as they stand, marked so
    (an auditor sees its 超支 or 少支 too)."""
    signed = reconciliation is not None and reconciliation.is_signed
    r = reconciliation if signed else subsidy.figures(school, month)
    status = str(r.signed_by) if signed else flags(r.verdict, _l("not signed"))
    return [month.strftime("%Y-%m"), money(r.subsidy), money(r.total_spending), money(r.difference), status]


def build_nutrition(section, scope):
    school = scope.school
    tables = ledger_tables("nutrition", scope)
    enrolled, eligible = db.session.execute(
        sa.select(
            sa.func.count().filter(Student.enrolled),
            sa.func.count().filter(Student.enrolled & Student.eligible),
        ).where(Student.school_id == school.id)
    ).one()
    changes = _real_changes(school, tables.standing("enrolment_changes"))
    first_roster = len(tables.standing("enrolment_changes")) - len(changes)
    unchecked = [change for change in changes if change.checked_by_id is None]
    summary = [
        (
            _l(
                "On the roster now: %(enrolled)d students, %(eligible)d eligible.", enrolled=enrolled, eligible=eligible
            ),
            "",
        ),
        (
            _l(
                "Eligible student-days in the period: %(days)d.",
                days=nutrition.student_days(school.id, scope.first, scope.last),
            ),
            "",
        ),
        (
            _l(
                "Enrolment changes: %(n)d, %(unchecked)d not checked by a second person "
                "(the first roster's %(first)d entries are the roster, not changes).",
                n=len(changes),
                unchecked=len(unchecked),
                first=first_roster,
            ),
            "",
        ),
    ]
    in_the_plan = daily_reports.has_roster(school.id)
    unreported = daily_reports.unreported_days([school], scope.first, scope.last)[school.id] if in_the_plan else []
    reports = tables.standing("daily_reports")
    summary.append(
        (
            _l(
                "Daily reports: %(done)d school days reported, %(missing)d not.",
                done=len(reports),
                missing=len(unreported),
            ),
            "、".join(iso(day) for day in unreported),
        )
    )
    months = tables.records["reconciliations"]
    unsigned = [month for month in months if not month.is_signed]
    summary.append(
        (
            _l("Monthly reconciliations: %(signed)d signed.", signed=len(months) - len(unsigned)),
            "、".join(month.month.strftime("%Y-%m") for month in unsigned),
        )
    )
    balances = _balances(school, scope.first, scope.last)
    return ledger_part(
        section,
        tables,
        summary,
        leading=_balance_sheets(school, balances),
        charts_heading=_l("Subsidy balance over the school year"),
        charts=_balance_charts(balances),
    )


def _count(name):
    """A count of the daily report, blank where it was not asked."""

    def text(report):
        value = getattr(report, name)
        return "" if value is None else value

    return text


def _real_changes(school, changes):
    """The changes without the first roster's entries (students put on it, beneficiaries)."""
    initial = enrolment.initial_roster_keys(school.id)
    return [change for change in changes if not enrolment.is_initial_roster(change, initial)]


register(
    Table(
        "enrolment_changes",
        "nutrition",
        (
            column(EnrolmentChange.effective_on, lambda c: iso(c.effective_on)),
            column(_l("Register number"), lambda c: c.student.register_number),
            column(EnrolmentChange.student, lambda c: c.student.name),
            column(_l("Class"), lambda c: c.student.class_name),
            column(EnrolmentChange.kind, lambda c: label(c.kind)),
            column(EnrolmentChange.document_ref, lambda c: c.document_ref),
            column(EnrolmentChange.recorded_by, lambda c: name_of(c.recorded_by)),
            column(EnrolmentChange.day, lambda c: iso(c.day)),
            column(EnrolmentChange.checked_by, lambda c: name_of(c.checked_by)),
        ),
        flag=lambda c: "" if c.checked_by_id else str(_l("not checked by a second person")),
        loads=("student", "recorded_by", "checked_by"),
        listed=lambda school, changes: _real_changes(school, changes),
    )
)

register(
    Table(
        "daily_reports",
        "nutrition",
        (
            column(DailyReport.day, lambda r: iso(r.day)),
            column(DailyReport.eligible, lambda r: r.eligible),
            *(
                column(getattr(DailyReport, name), _count(name))
                for name in (
                    "breakfast_diners",
                    "lunch_diners",
                    "dinner_diners",
                    "staff_diners",
                    "other_student_diners",
                )
            ),
            column(DailyReport.platform_ref, lambda r: r.platform_ref),
            column(DailyReport.reported_by, lambda r: name_of(r.reported_by)),
        ),
        flag=lambda r: str(_l("after the cut-off")) if r.late else "",
        loads=("reported_by",),
    )
)

register(
    Table(
        "subsidy_charges",
        "nutrition",
        (
            column(SubsidyCharge.day, lambda c: iso(c.day)),
            column(SubsidyCharge.category, lambda c: label(c.category)),
            column(SubsidyCharge.description, lambda c: c.description),
            column(SubsidyCharge.amount, lambda c: money(c.amount)),
            column(SubsidyCharge.voucher, lambda c: c.voucher),
            column(SubsidyCharge.recorded_by, lambda c: name_of(c.recorded_by)),
        ),
        loads=("recorded_by",),
    )
)

register(
    Table(
        "reconciliations",
        "nutrition",
        (
            column(Reconciliation.month, lambda r: r.month.strftime("%Y-%m")),
            column(Reconciliation.student_days, lambda r: r.student_days),
            column(Reconciliation.entitlement, lambda r: money(r.entitlement)),
            column(Reconciliation.spending, lambda r: money(r.spending)),
            column(Reconciliation.others_share, lambda r: money(r.others_share)),
            column(Reconciliation.other_spending, lambda r: money(r.other_spending)),
            column(_l("Difference (yuan)"), lambda r: money(r.difference)),
            column(Reconciliation.explanation, lambda r: r.explanation),
            column(Reconciliation.signed_by, lambda r: name_of(r.signed_by)),
            moment(Reconciliation.signed_at, "signed_at"),
        ),
        flag=lambda r: flags(r.verdict, None if r.is_signed else _l("not signed")),
        loads=("signed_by",),
    )
)
