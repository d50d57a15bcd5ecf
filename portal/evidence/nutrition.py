"""The nutrition plan as a section of the period evidence: the roster at the period's end,
the eligible student-days of the period, the daily reports with their gaps, the monthly
reconciliations and each school year's balance (年度平衡), then the plan's ledgers."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models.nutrition import Student
from ..services import daily_reports, nutrition, subsidy, subsidy_county
from ..timeutil import add_months, school_today
from .ledgers import ledger_part, ledger_tables
from .parts import iso, money, sheet
from .tables import Table, column, label, moment, name_of, register


def _balance_sheets(school, first, last):
    """One sheet per school year the period touches: each month's signed subsidy and
    spending, the year's totals and what it carries over."""
    today = min(last, school_today(school))
    sheets, year = [], subsidy.school_year_of(first)
    while year <= last:
        balance = subsidy_county.balance(school.id, year, today)
        rows = [
            [
                month.strftime("%Y-%m"),
                money(r.subsidy),
                money(r.total_spending),
                money(r.difference),
                str(r.signed_by),
            ]
            if r is not None and r.is_signed
            else [month.strftime("%Y-%m"), "", "", "", str(_l("not signed"))]
            for month, r in balance.months
        ]
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
        year = add_months(year, 12)
    return sheets


def build_nutrition(section, scope):
    school = scope.school
    tables = ledger_tables("nutrition", scope)
    enrolled, eligible = db.session.execute(
        sa.select(
            sa.func.count().filter(Student.enrolled),
            sa.func.count().filter(Student.enrolled & Student.eligible),
        ).where(Student.school_id == school.id)
    ).one()
    unchecked = [change for change in tables.standing("enrolment_changes") if change.checked_by_id is None]
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
                "Enrolment changes: %(n)d, %(unchecked)d not checked by a second person.",
                n=len(tables.standing("enrolment_changes")),
                unchecked=len(unchecked),
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
    return ledger_part(section, tables, summary, leading=_balance_sheets(school, scope.first, scope.last))


register(
    Table(
        "enrolment_changes",
        "nutrition",
        (
            column(_l("Effective from"), lambda c: iso(c.effective_on)),
            column(_l("Register number"), lambda c: c.student.register_number),
            column(_l("Student"), lambda c: c.student.name),
            column(_l("Class"), lambda c: c.student.class_name),
            column(_l("Change"), lambda c: label(c.kind)),
            column(_l("Document"), lambda c: c.document_ref),
            column(_l("Recorded by"), lambda c: name_of(c.recorded_by)),
            column(_l("Recorded on"), lambda c: iso(c.day)),
            column(_l("Checked by"), lambda c: name_of(c.checked_by)),
        ),
        flag=lambda c: "" if c.checked_by_id else str(_l("not checked by a second person")),
        loads=("student", "recorded_by", "checked_by"),
    )
)

register(
    Table(
        "daily_reports",
        "nutrition",
        (
            column(_l("Date"), lambda r: iso(r.day)),
            column(_l("Eligible students"), lambda r: r.eligible),
            column(_l("Diners at breakfast"), lambda r: r.breakfast_diners if r.breakfast_diners is not None else ""),
            column(_l("Diners at lunch"), lambda r: r.lunch_diners if r.lunch_diners is not None else ""),
            column(_l("Diners at dinner"), lambda r: r.dinner_diners if r.dinner_diners is not None else ""),
            column(_l("Platform reference"), lambda r: r.platform_ref),
            column(_l("Reported by"), lambda r: name_of(r.reported_by)),
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
            column(_l("Paid on"), lambda c: iso(c.day)),
            column(_l("Spent on"), lambda c: label(c.category)),
            column(_l("What was bought"), lambda c: c.description),
            column(_l("Amount (yuan)"), lambda c: money(c.amount)),
            column(_l("Voucher number"), lambda c: c.voucher),
            column(_l("Recorded by"), lambda c: name_of(c.recorded_by)),
        ),
        loads=("recorded_by",),
    )
)

register(
    Table(
        "reconciliations",
        "nutrition",
        (
            column(_l("Month"), lambda r: r.month.strftime("%Y-%m")),
            column(_l("Eligible student-days"), lambda r: r.student_days),
            column(_l("Subsidy (yuan)"), lambda r: money(r.entitlement)),
            column(_l("Food issued (yuan)"), lambda r: money(r.spending)),
            column(_l("Other spending charged (yuan)"), lambda r: money(r.other_spending)),
            column(_l("Difference (yuan)"), lambda r: money(r.difference)),
            column(_l("Explanation"), lambda r: r.explanation),
            column(_l("Signed by"), lambda r: name_of(r.signed_by)),
            moment(_l("Signed at"), "signed_at"),
        ),
        flag=lambda r: "；".join(str(t) for t in (r.verdict, None if r.is_signed else _l("not signed")) if t),
        loads=("signed_by",),
    )
)
