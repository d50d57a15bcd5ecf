"""The survey as a respondent sees it: opened from a link or a QR code, on a phone, with no
login and nothing personal asked. Nothing the phone sends is trusted: one answer per device
cookie the server issued and signed (blueprints/device.py), a limited number of
answers per network address for each survey (Flask-Limiter), and both kept only as keyed
hashes."""

from flask import abort, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ...extensions import db
from ...models.survey import RATINGS, Survey
from ...outcome import attempt
from ...permissions import public
from ...services import surveys
from ...timeutil import school_today
from ..device import device as _device
from ..device import limited_per_address
from ..device import with_device as _with_device
from . import bp


def _survey(token):
    survey = db.session.scalar(db.select(Survey).where(Survey.token == token)) if len(token) <= 32 else None
    if survey is None:
        abort(404)
    return survey


def _page(survey, entered=None, problem=None, done=False, status=200):
    open_now = survey.accepts_answers(school_today(survey.school))
    device = _device()
    response = render_template(
        "surveys/answer.html",
        answered=device is not None and surveys.answered_by(survey, device),
        survey=survey,
        form=FlaskForm(),
        ratings=RATINGS,
        entered=entered or {},
        problem=problem,
        done=done,
        open_now=open_now,
        action=request.path,
    )
    return response, status


@bp.route("/s/<token>")
@public
def show_public_survey(token):
    survey = _survey(token)
    response, status = _page(survey)
    return _with_device(response), status


def _entered():
    """The answers as posted ({question id: text}), to show again with a refusal."""
    return {key: value for key, value in request.form.items() if key.isdigit()}


def _over_the_limit(_limit):
    survey = _survey(request.view_args["token"])
    problem = _("Too many answers to this survey came from your network just now: try again later.")
    response, status = _page(survey, _entered(), problem, status=429)
    return make_response(response, status)


@bp.route("/s/<token>", methods=["POST"])
@public
@limited_per_address("SURVEY_ANSWERS_PER_ADDRESS", on_breach=_over_the_limit)
def answer_public_survey(token):
    survey = _survey(token)
    entered = _entered()
    if not FlaskForm().validate_on_submit():
        return _page(survey, entered, _("The page was open too long: send your answers again."), status=422)
    device = _device()
    if device is None:
        problem = _(
            "Open the survey from its link or QR code and allow cookies, then send your answers: one answer per phone."
        )
        response, status = _page(survey, entered, problem, status=422)
        return _with_device(response), status
    problem = attempt(lambda: surveys.answer(survey, entered, device_cookie=device, address=request.remote_addr))
    if problem:
        return _page(survey, entered, problem, status=422)
    return _page(survey, done=True)
