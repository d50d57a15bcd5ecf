"""The survey as a respondent sees it: opened from a link or a QR code, on a phone, with no
login and nothing personal asked; one answer per device (a cookie of its own, kept only as a
keyed hash)."""

import secrets

from flask import abort, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ...extensions import db
from ...models.survey import RATINGS, Survey
from ...outcome import attempt
from ...permissions import public
from ...services import surveys
from ...timeutil import school_today
from . import bp

DEVICE_COOKIE = "survey_device"
ONE_YEAR = 365 * 24 * 3600


def _survey(token):
    survey = db.session.scalar(db.select(Survey).where(Survey.token == token)) if len(token) <= 32 else None
    if survey is None:
        abort(404)
    return survey


def _page(survey, entered=None, problem=None, done=False, status=200):
    open_now = survey.accepts_answers(school_today(survey.school))
    response = render_template(
        "surveys/answer.html",
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


@bp.route("/s/<token>", methods=["POST"])
@public
def answer_public_survey(token):
    survey = _survey(token)
    entered = {key: value for key, value in request.form.items() if key.isdigit()}
    if not FlaskForm().validate_on_submit():
        return _page(survey, entered, _("The page was open too long: send your answers again."), status=422)
    device = request.cookies.get(DEVICE_COOKIE) or ""
    if not device:
        return _page(survey, entered, _("Allow cookies in your browser to answer: one answer per phone."), status=422)
    problem = attempt(lambda: surveys.answer(survey, entered, device_cookie=device))
    if problem:
        return _page(survey, entered, problem, status=422)
    return _page(survey, done=True)


def _with_device(html):
    response = make_response(html)
    if not request.cookies.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_hex(16),
            max_age=ONE_YEAR,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response
