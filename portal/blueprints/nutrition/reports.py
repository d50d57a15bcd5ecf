"""每日上报: the month's school days with their reports (a missing one in red) and the form for
a day still open; the day's figures ready to copy into the county's platform."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from ...i18n import date_filter
from ...login import current_actor as actor
from ...models.nutrition import DailyReport
from ...outcome import attempt
from ...permissions import Permission, reads_all_schools, requires
from ...services import daily_reports, subsidy
from ...services.calendar import days_between
from ...services.calendar import load as load_calendar
from ...tenancy import chosen_school
from ...timeutil import parse_day, school_today
from . import bp
from .forms import ReportForm


def _month(text, school):
    return parse_day(f"{text}-01") or school_today(school).replace(day=1)


def _page(school, first, form=None, status=200):
    last = subsidy.month_end(first)
    today = school_today(school)
    calendar = load_calendar(school.id, first, last)
    reports = {report.day: report for report in daily_reports.reports_between(school.id, first, last)}
    missing = set(daily_reports.unreported_days([school], first, last)[school.id])
    days = [day for day in days_between(first, min(last, today)) if calendar.is_school_day(day)]
    form = form or ReportForm(obj=daily_reports.last_split(school.id))
    form.day.choices = [
        (day.isoformat(), f"{date_filter(day)} {format_date(day, 'EEE')}") for day in daily_reports.open_days(school)
    ]
    return render_template(
        "nutrition/reports.html",
        school=school,
        first=first,
        days=days,
        reports=reports,
        missing=missing,
        form=form,
        meals=school.settings.meals(),
        platform_text=lambda report: daily_reports.platform_text(report, school),
        county=reads_all_schools(current_user),
        previous_month=(first - timedelta(days=1)).strftime("%Y-%m"),
        next_month=(last + timedelta(days=1)).strftime("%Y-%m"),
    ), status


@bp.route("/nutrition/reports")
@requires(Permission.LEDGER_READ)
def list_reports():
    school = chosen_school()
    if school is None:
        return redirect(url_for("nutrition.show_county"))
    return _page(school, _month(request.args.get("month"), school))[0]


@bp.route("/nutrition/reports", methods=["POST"])
@requires(Permission.STUDENT_MANAGE)
def save_report():
    school = current_user.school
    form = ReportForm()
    form.day.choices = [(day.isoformat(), "") for day in daily_reports.open_days(school)]
    first = school_today(school).replace(day=1)
    if not form.validate_on_submit():
        return _page(school, first, form, status=422)
    report = DailyReport(
        day=parse_day(form.day.data),
        **{f"{meal.value}_diners": form[f"{meal.value}_diners"].data for meal in school.settings.meals()},
        staff_diners=form.staff_diners.data,
        other_student_diners=form.other_student_diners.data,
        platform_ref=form.platform_ref.data or "",
    )
    problem = attempt(lambda: daily_reports.save_report(actor(), report))
    if problem:
        flash(problem, "error")
        return _page(school, first, form, status=422)
    flash(_("The report of %(day)s is saved.", day=date_filter(report.day)), "success")
    return redirect(url_for("nutrition.list_reports"))
