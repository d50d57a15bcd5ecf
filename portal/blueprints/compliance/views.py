"""The compliance dashboard per school (and side by side for the county), and excusing
an assignment that could not be done."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import figures
from ...database import immediate_transaction
from ...errors import DomainError
from ...extensions import db
from ...login import current_actor as actor
from ...models.cadence import Assignment, AssignmentState
from ...permissions import Permission, reads_all_schools, requires
from ...services import calendar as school_calendar
from ...services import compliance, compliance_county, planning
from ...tenancy import chosen_school, get_or_404
from ...timeutil import EARLIEST_DAY, LATEST_DAY, parse_day, school_today
from ..schools_page import requested_page_of_schools
from . import bp
from .forms import ExcuseForm

MAX_RANGE_DAYS = 400


def _range(school, terms=None):
    """From the query string: a preset (week, term, year) or from/to dates."""
    today = school_today(school)
    preset = request.args.get("range", "week")
    if preset == "term":
        return compliance.term_range(school, today, terms), preset, None
    if preset == "year":
        return school_calendar.school_year_of(today), preset, None
    if preset == "custom":
        first, last = parse_day(request.args.get("from")), parse_day(request.args.get("to"))
        if first is None or last is None:
            return (
                compliance.default_range(school, today),
                "week",
                _(
                    "Enter both dates as YYYY-MM-DD, between %(first)s and %(last)s.",
                    first=EARLIEST_DAY.isoformat(),
                    last=LATEST_DAY.isoformat(),
                ),
            )
        if last < first:
            return compliance.default_range(school, today), "week", _("The end date is before the start date.")
        if (last - first).days > MAX_RANGE_DAYS:
            return compliance.default_range(school, today), "week", _("Choose at most about a year at once.")
        return (first, last), preset, None
    return compliance.default_range(school, today), "week", None


def _plan_ahead(school, first, last):
    """Plan what the page shows from today's week on; past windows stay as they were."""
    today = school_today(school)
    first = max(first, school_calendar.monday_of(today))
    if first <= last and planning.needs_planning(school, first, last, today):
        with immediate_transaction():
            planning.plan(actor(), school, first, last, today)


@bp.route("/compliance")
@requires(Permission.INSPECTION_READ)
def show_compliance():
    if reads_all_schools(current_user) and not request.args.get("school"):
        return _show_county_compliance()
    school = chosen_school()
    (first, last), preset, problem = _range(school)
    if problem:
        flash(problem, "error")
    _plan_ahead(school, first, last)
    today = school_today(school)
    missed = [
        assignment
        for assignment in planning.assignments_between(school.id, first, last)
        if assignment.state_on(today) in (AssignmentState.MISSED, AssignmentState.EXCUSED)
    ]
    report = compliance.compute(school, first, last, today)
    return render_template(
        "compliance/school.html",
        report=report,
        preset=preset,
        missed=missed,
        today=today,
        has_term=school_calendar.current_term(school.id, today) is not None,
        weeks=_weeks(report.days),
    )


def _show_county_compliance():
    page = requested_page_of_schools()
    terms = school_calendar.current_terms([school.id for school in page.items], school_today())
    ranges, problems, preset = [], set(), "week"
    for school in page.items:
        (first, last), preset, problem = _range(school, terms)
        problems.add(problem)
        ranges.append((school, first, last))
    for problem in problems - {None}:
        flash(problem, "error")
    return render_template(
        "compliance/county.html",
        reports=compliance_county.county(ranges),
        figures=figures.figures(),
        preset=preset,
        schools=page,
    )


def _weeks(days):
    """The coloured days as rows of Monday..Sunday for the calendar grid."""
    if not days:
        return []
    lead = [(None, None)] * days[0][0].weekday()
    cells = lead + list(days)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


@bp.route("/assignments/<assignment_id>/excuse", methods=["GET", "POST"])
@requires(Permission.CALENDAR_MANAGE)
def excuse_assignment(assignment_id):
    assignment = get_or_404(Assignment, assignment_id)
    form = ExcuseForm()
    if form.validate_on_submit():
        try:
            planning.excuse(actor(), assignment, form.reason.data)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(_("Excused: %(what)s", what=str(assignment)), "success")
            return redirect(url_for("compliance.show_compliance", range="term"))
    return render_template(
        "compliance/excuse.html", assignment=assignment, form=form, today=school_today(assignment.school)
    )
