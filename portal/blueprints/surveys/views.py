"""Surveys as the school keeps them: the list and the semester's count, a new survey from a
template, its link and QR code, opened and closed, answers typed in from paper, the results
(response rate, ratings per question and dish, the dishes least liked, the words), the
canteen's actions and the report back to print."""

from datetime import timedelta

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ... import phone_links
from ...login import current_actor as actor
from ...models.survey import RATINGS, Audience, Survey
from ...outcome import attempt
from ...permissions import Permission, requires
from ...services import survey_requirement, surveys
from ...services.calendar import current_term
from ...tenancy import chosen_school, get_or_404
from ...timeutil import school_today
from ..pdf import pdf_response
from . import bp
from .forms import ActionForm, SurveyForm


@bp.route("/surveys")
@requires(Permission.LEDGER_READ)
def list_surveys():
    school = chosen_school()
    if school is None:  # a county user who has not chosen a school: every school's actions
        return redirect(url_for("survey_actions.index_view"))
    term = current_term(school.id, school_today(school))
    return render_template(
        "surveys/list.html",
        school=school,
        surveys=surveys.surveys_of(school.id),
        semester=survey_requirement.of_term(school, term),
        term=term,
    )


def _new_page(form, status=200):
    return render_template("surveys/new.html", form=form), status


@bp.route("/surveys/new")
@requires(Permission.SURVEY_MANAGE)
def show_new_survey():
    kind = request.args.get("template", "satisfaction")
    school = current_user.school
    today = school_today(school)
    form = SurveyForm(
        title=_("Menu survey") if kind == "menu" else _("Food-safety and satisfaction survey"),
        audiences=[Audience.STUDENTS.value, Audience.TEACHERS.value],
        questions=surveys.template(kind, school.id, today),
        closes_on=today + timedelta(days=14),
    )
    return _new_page(form)[0]


@bp.route("/surveys/new", methods=["POST"])
@requires(Permission.SURVEY_MANAGE)
def create_survey():
    form = SurveyForm()
    if not form.validate_on_submit():
        return _new_page(form, status=422)
    survey = Survey(
        title=form.title.data,
        audiences=[Audience(value) for value in form.audiences.data],
        audience_size=form.audience_size.data,
        closes_on=form.closes_on.data,
    )
    problem = attempt(lambda: surveys.create_survey(actor(), survey, form.questions.data))
    if problem:
        flash(problem, "error")
        return _new_page(form, status=422)
    flash(_("The survey is saved: open it when the link and the QR code are handed out."), "success")
    return redirect(url_for("surveys.show_survey", survey_id=survey.id))


@bp.route("/surveys/<survey_id>")
@requires(Permission.LEDGER_READ)
def show_survey(survey_id):
    survey = get_or_404(Survey, survey_id)
    return render_template(
        "surveys/show.html",
        survey=survey,
        results=surveys.results(survey),
        bursts=surveys.bursts(survey),
        burst_minutes=current_app.config["SURVEY_BURST_MINUTES"],
        actions=surveys.actions_of(survey),
        link=_link(survey),
        reaches_phones=phone_links.reaches_phones(),
        addresses=phone_links.addresses_to_choose_from(),
        form=FlaskForm(),
        action_form=ActionForm(),
        ratings=RATINGS,
        today=school_today(survey.school),
    )


@bp.route("/surveys/<survey_id>/qr.svg")
@requires(Permission.LEDGER_READ)
def download_survey_qr(survey_id):
    survey = get_or_404(Survey, survey_id)
    return Response(phone_links.qr_svg(_link(survey)), mimetype="image/svg+xml")


def _link(survey):
    return phone_links.link_to_hand_out("surveys.show_public_survey", token=survey.token)


@bp.route("/surveys/<survey_id>/poster.pdf")
@requires(Permission.LEDGER_READ)
def download_survey_poster(survey_id):
    """An A4 poster to put up where the survey's people pass: the title, the QR code, the link
    in words and the closing day."""
    survey = get_or_404(Survey, survey_id)
    link = _link(survey)
    qr = phone_links.qr_data_uri(link)
    html = render_template("surveys/poster_pdf.html", survey=survey, link=link, qr=qr)
    return pdf_response(html, f"survey-poster-{survey.id}.pdf", url_for("surveys.show_survey", survey_id=survey.id))


@bp.route("/surveys/<survey_id>/open", methods=["POST"])
@requires(Permission.SURVEY_MANAGE)
def open_survey(survey_id):
    return _set_open(survey_id, True)


@bp.route("/surveys/<survey_id>/close", methods=["POST"])
@requires(Permission.SURVEY_MANAGE)
def close_survey(survey_id):
    return _set_open(survey_id, False)


def _set_open(survey_id, is_open):
    survey = get_or_404(Survey, survey_id)
    if FlaskForm().validate_on_submit():
        problem = attempt(lambda: surveys.set_open(actor(), survey, is_open))
        flash(
            problem or (_("The survey is open.") if is_open else _("The survey is closed.")),
            "error" if problem else "success",
        )
    return redirect(url_for("surveys.show_survey", survey_id=survey.id))


def _paper_page(survey, entered=None, status=200):
    return render_template(
        "surveys/paper.html", survey=survey, form=FlaskForm(), ratings=RATINGS, entered=entered or {}
    ), status


@bp.route("/surveys/<survey_id>/paper")
@requires(Permission.SURVEY_MANAGE)
def show_paper_form(survey_id):
    return _paper_page(get_or_404(Survey, survey_id))[0]


@bp.route("/surveys/<survey_id>/paper", methods=["POST"])
@requires(Permission.SURVEY_MANAGE)
def enter_paper_answers(survey_id):
    survey = get_or_404(Survey, survey_id)
    entered = {key: value for key, value in request.form.items() if key.isdigit()}
    if not FlaskForm().validate_on_submit():
        return _paper_page(survey, entered, status=422)
    problem = attempt(lambda: surveys.answer(survey, entered, actor=actor()))
    if problem:
        flash(problem, "error")
        return _paper_page(survey, entered, status=422)
    flash(_("The paper form is entered: the next one."), "success")
    return redirect(url_for("surveys.show_paper_form", survey_id=survey.id))


@bp.route("/surveys/<survey_id>/actions", methods=["POST"])
@requires(Permission.SURVEY_MANAGE)
def record_survey_action(survey_id):
    survey = get_or_404(Survey, survey_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Say what the canteen did."), "error")
        return redirect(url_for("surveys.show_survey", survey_id=survey.id))
    problem = attempt(lambda: surveys.record_action(actor(), survey, form.action.data, form.dish.data))
    flash(problem or _("The action is recorded."), "error" if problem else "success")
    return redirect(url_for("surveys.show_survey", survey_id=survey.id))


@bp.route("/surveys/<survey_id>/report.pdf")
@requires(Permission.LEDGER_READ)
def download_survey_report(survey_id):
    survey = get_or_404(Survey, survey_id)
    html = render_template(
        "surveys/report_pdf.html", survey=survey, results=surveys.results(survey), actions=surveys.actions_of(survey)
    )
    return pdf_response(html, "survey-report.pdf", url_for("surveys.show_survey", survey_id=survey.id))
