"""周排查 and 月调度: the week's risk report (drafted from the records, completed and signed by
the food-safety manager) and the monthly dispatch meetings (recorded, signed by the principal)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...login import current_actor as actor
from ...models.food_safety import DispatchMeeting
from ...outcome import attempt
from ...permissions import Permission, requires
from ...services import audit, food_safety
from ...services.calendar import monday_of
from ...tenancy import chosen_school, get_or_404
from ...timeutil import parse_day, school_today
from . import bp
from .forms import MeetingForm, RiskReportForm, SignForm


def _monday(text, school):
    day = parse_day(text)
    if day is None or day != monday_of(day) or day > school_today(school):
        abort(404)
    return day


def _report_page(school, monday, form=None, status=200):
    report = food_safety.report_for_week(school, monday)
    return render_template(
        "canteen/risk_report.html",
        report=report,
        form=form or RiskReportForm(obj=report),
        sign_form=SignForm(),
    ), status


@bp.route("/canteen/weeks/<monday>/risk-report")
@requires(Permission.LEDGER_READ)
def show_risk_report(monday):
    school = chosen_school()
    if school is None:
        return redirect(url_for("canteen.show_board"))
    return _report_page(school, _monday(monday, school))[0]


@bp.route("/canteen/weeks/<monday>/risk-report", methods=["POST"])
@requires(Permission.REPORT_SIGN)
def save_risk_report(monday):
    school = current_user.school
    monday = _monday(monday, school)
    form = RiskReportForm()
    if not form.validate_on_submit():
        return _report_page(school, monday, form, status=422)
    report = food_safety.report_for_week(school, monday)
    before = audit.snapshot(report) if report.id else None
    report.risks_found, report.measures = form.risks_found.data, form.measures.data
    problem = attempt(lambda: food_safety.save_report(actor(), report, before))
    if problem:
        flash(problem, "error")
        return _report_page(school, monday, form, status=422)
    flash(_("The risk report is saved."), "success")
    return redirect(url_for("canteen.show_risk_report", monday=monday.isoformat()))


@bp.route("/canteen/weeks/<monday>/risk-report/sign", methods=["POST"])
@requires(Permission.REPORT_SIGN)
def sign_risk_report(monday):
    school = current_user.school
    monday = _monday(monday, school)
    form = SignForm()
    report = food_safety.report_for_week(school, monday)
    if report.id is None:
        flash(_("Save the report before signing it."), "error")
        return _report_page(school, monday, status=422)
    if not form.validate_on_submit():
        return _report_page(school, monday, status=422)
    problem = attempt(lambda: food_safety.sign_report(actor(), report, form.password.data))
    if problem:
        flash(problem, "error")
        return _report_page(school, monday, status=422)
    flash(_("The risk report is signed."), "success")
    return redirect(url_for("canteen.show_risk_report", monday=monday.isoformat()))


# --- monthly dispatch meetings ------------------------------------------------------------


def _meetings_page(school, form=None, status=200):
    meetings = db.session.scalars(
        db.select(DispatchMeeting)
        .where(DispatchMeeting.school_id == school.id)
        .order_by(DispatchMeeting.held_on.desc())
    ).all()
    probe = DispatchMeeting(school_id=school.id)
    return render_template(
        "canteen/meetings.html",
        meetings=meetings,
        form=form or MeetingForm(held_on=school_today(school)),
        may_record=probe.can_edit(current_user),
        sign_form=SignForm(),
    ), status


@bp.route("/canteen/meetings")
@requires(Permission.LEDGER_READ)
def list_meetings():
    school = chosen_school()
    if school is None:
        return redirect(url_for("canteen.show_board"))
    return _meetings_page(school)[0]


@bp.route("/canteen/meetings", methods=["POST"])
@requires(Permission.MEETING_RECORD)
def add_meeting():
    form = MeetingForm()
    if not form.validate_on_submit():
        return _meetings_page(current_user.school, form, status=422)
    meeting = DispatchMeeting()
    form.populate_obj(meeting)
    problem = attempt(lambda: food_safety.save_meeting(actor(), meeting, None))
    if problem:
        flash(problem, "error")
        return _meetings_page(current_user.school, form, status=422)
    flash(_("The meeting is recorded; the principal signs the minutes."), "success")
    return redirect(url_for("canteen.list_meetings"))


@bp.route("/canteen/meetings/<meeting_id>/sign", methods=["POST"])
@requires(Permission.MEETING_SIGN)
def sign_meeting(meeting_id):
    meeting = get_or_404(DispatchMeeting, meeting_id)
    form = SignForm()
    if not form.validate_on_submit():
        return _meetings_page(current_user.school, status=422)
    problem = attempt(lambda: food_safety.sign_meeting(actor(), meeting, form.password.data))
    if problem:
        flash(problem, "error")
        return _meetings_page(current_user.school, status=422)
    flash(_("The minutes are signed."), "success")
    return redirect(url_for("canteen.list_meetings"))
