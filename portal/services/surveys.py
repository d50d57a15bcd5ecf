"""Surveys: written as a list of questions (from a template: the semester's satisfaction
survey, or a menu survey with the last weeks' dishes), opened to a link and its QR code,
answered anonymously once per device or typed in from paper, their results, the canteen's
actions, and the semester's count against the required number."""

import hashlib
import hmac
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.canteen import MenuDish
from ..models.survey import RATINGS, QuestionKind, Survey, SurveyAction, SurveyAnswer, SurveyQuestion, SurveyResponse
from ..timeutil import school_today, utcnow
from . import audit, records
from .calendar import load
from .canteen import start_record

MAX_QUESTIONS = 50
MAX_TEXT = 500

# How a line of the question list says its kind (Chinese first, the English words too).
PREFIXES = {
    "评分": QuestionKind.RATING,
    "rating": QuestionKind.RATING,
    "选择": QuestionKind.CHOICE,
    "choice": QuestionKind.CHOICE,
    "文字": QuestionKind.TEXT,
    "text": QuestionKind.TEXT,
    "菜品": QuestionKind.DISH,
    "dish": QuestionKind.DISH,
}
OPTION_SEPARATOR = re.compile(r"[|｜]")

SATISFACTION = """评分：饭菜的口味
评分：饭菜的分量
评分：饭菜的温度
评分：食堂的卫生
评分：打饭师傅的服务态度
选择：你觉得食堂的饭菜安全吗？｜放心｜比较放心｜不放心
文字：你对食堂有什么建议？"""


def template(kind, school_id, today):
    """The text of a new survey's questions: the satisfaction survey, or a menu survey with
    the lunch dishes of the last two weeks."""
    if kind != "menu":
        return SATISFACTION
    dishes = db.session.scalars(
        sa.select(MenuDish.name)
        .where(MenuDish.school_id == school_id, MenuDish.day.between(today - timedelta(days=14), today))
        .where(MenuDish.standing())
        .distinct()
        .order_by(MenuDish.name)
        .limit(30)
    ).all()
    return "\n".join([*(f"菜品：{name}" for name in dishes), "文字：你最不爱吃哪道菜？为什么？"])


def parse_questions(text):
    """[SurveyQuestion] from the list, one question a line as 评分：…, 选择：…｜…｜…, 文字：… or
    菜品：…; a line that says none of these is named."""
    questions = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        prefix, _colon, rest = line.replace("：", ":", 1).partition(":")
        kind = PREFIXES.get(prefix.strip().lower())
        if kind is None or not rest.strip():
            raise DomainError(
                _l(
                    "Line %(n)d: begin it with 评分：, 选择：, 文字： or 菜品： and the question.",
                    n=number,
                ),
                field="questions",
            )
        parts = [part.strip() for part in OPTION_SEPARATOR.split(rest) if part.strip()]
        options = parts[1:] if kind is QuestionKind.CHOICE else []
        if kind is QuestionKind.CHOICE and len(options) < 2:
            raise DomainError(
                _l("Line %(n)d: a choice needs two options or more, after ｜.", n=number), field="questions"
            )
        if len(parts[0]) > 200 or any(len(option) > 100 for option in options):
            raise DomainError(_l("Line %(n)d is too long.", n=number), field="questions")
        questions.append(SurveyQuestion(kind=kind, text=parts[0], options="\n".join(options), position=len(questions)))
    if not questions:
        raise DomainError(_l("Write at least one question."), field="questions")
    if len(questions) > MAX_QUESTIONS:
        raise DomainError(_l("At most %(n)d questions.", n=MAX_QUESTIONS), field="questions")
    return questions


def create_survey(actor, survey, questions_text):
    records.assign_school(actor, survey)
    survey.title = (survey.title or "").strip()
    if not survey.title:
        raise DomainError(_l("Give the survey a title."), field="title")
    if not survey.audiences:
        raise DomainError(_l("Choose who answers: students, teachers, parents or several of them."), field="audiences")
    if not survey.audience_size or survey.audience_size <= 0:
        raise DomainError(_l("Enter how many people are asked, more than 0."), field="audience_size")
    today = school_today(actor.school)
    if survey.closes_on is None or survey.closes_on < today:
        raise DomainError(_l("The survey closes today or later."), field="closes_on")
    term = load(survey.school_id, today, today).term_of(today)
    if term is None:
        raise DomainError(_l("A survey belongs to a semester: add this semester to the school calendar first."))
    survey.term = term
    survey.created_by = actor
    for question in parse_questions(questions_text):
        question.school_id = survey.school_id
        survey.questions.append(question)
    records.save_record(actor, survey)
    return survey


def set_open(actor, survey, is_open):
    if survey.school_id != actor.school_id:
        raise DomainError(_l("Record not found."))
    survey.is_open = is_open
    db.session.flush()
    audit.record(actor, "survey.opened" if is_open else "survey.closed", survey)


# --- answers ----------------------------------------------------------------------------------


def _keyed(survey, value):
    """A keyed hash for this survey only: the same phone or address is known again within the
    survey, and nothing else about it is kept."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{survey.id}:{value}".encode(), hashlib.sha256).hexdigest()


def answer(survey, raw, *, device_cookie=None, address=None, actor=None, now=None):
    """One person's answers ({question id: text from the form}): from a phone (anonymous,
    once per device the server signed a cookie for, while the survey is open; ``address``
    its network address) or typed from paper by ``actor``."""
    today = school_today(survey.school, now)
    if actor is None and not survey.accepts_answers(today):
        raise DomainError(_l("This survey is closed. Thank you."))
    if actor is not None and actor.school_id != survey.school_id:
        raise DomainError(_l("Record not found."))
    device = _keyed(survey, device_cookie) if actor is None else None
    if device is not None and _answered(survey, device):
        raise DomainError(_l("This phone has answered this survey already. Thank you."))
    response = SurveyResponse(
        school_id=survey.school_id,
        survey_id=survey.id,
        device=device,
        address=_keyed(survey, address) if actor is None and address else None,
        submitted_at=now or utcnow(),
    )
    if actor is not None:
        response.entered_by_id = actor.id
    for question in survey.questions:
        value = (raw.get(str(question.id)) or "").strip()
        if value:
            response.answers.append(_answer(question, value))
    if not response.answers:
        raise DomainError(_l("Answer at least one question."))
    db.session.add(response)
    db.session.flush()
    if actor is not None:
        audit.record(actor, "survey_response.created", survey, after={"answers": len(response.answers)})
    return response


@dataclass(frozen=True)
class Burst:
    """Many answers from one network address within a few minutes: a class on the school's
    Wi-Fi, or one person answering again and again."""

    answers: int
    first: datetime
    last: datetime


def bursts(survey):
    """Each address's busiest stretch of SURVEY_BURST_MINUTES, where it holds at least
    SURVEY_BURST_ANSWERS answers; the largest first."""
    config = current_app.config
    window, least = timedelta(minutes=config["SURVEY_BURST_MINUTES"]), config["SURVEY_BURST_ANSWERS"]
    times = defaultdict(list)
    rows = db.session.execute(
        sa.select(SurveyResponse.address, SurveyResponse.submitted_at)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.address.is_not(None))
        .order_by(SurveyResponse.submitted_at)
    )
    for address, submitted_at in rows:
        times[address].append(submitted_at)
    found = []
    for moments in times.values():
        start, best = 0, None
        for end, moment in enumerate(moments):
            while moment - moments[start] > window:
                start += 1
            if end - start + 1 >= least and (best is None or end - start + 1 > best.answers):
                best = Burst(end - start + 1, moments[start], moment)
        if best:
            found.append(best)
    return sorted(found, key=lambda burst: (-burst.answers, burst.first))


def answered_by(survey, device_cookie):
    """Whether the phone of this device cookie has answered the survey."""
    return _answered(survey, _keyed(survey, device_cookie))


def _answered(survey, device):
    query = sa.select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id, SurveyResponse.device == device)
    return db.session.scalar(query) is not None


def _answer(question, value):
    found = SurveyAnswer(school_id=question.school_id, question_id=question.id)
    if question.kind.rated:
        if not value.isdigit() or int(value) not in RATINGS:
            raise DomainError(_l("“%(question)s”: choose 1 to 5.", question=question.text))
        found.rating = int(value)
    elif question.kind is QuestionKind.CHOICE:
        if value not in question.option_list:
            raise DomainError(_l("“%(question)s”: choose one of the options.", question=question.text))
        found.choice = value
    else:
        found.text = value[:MAX_TEXT]
    return found


# --- results ----------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: object
    ratings: Counter = field(default_factory=Counter)
    choices: Counter = field(default_factory=Counter)
    texts: list = field(default_factory=list)

    @property
    def answered(self):
        return sum(self.ratings.values()) + sum(self.choices.values()) + len(self.texts)

    @property
    def text_counts(self):
        """The answers in words, the same words once with how many wrote them, most first."""
        return Counter(self.texts).most_common(200)

    @property
    def average(self):
        count = sum(self.ratings.values())
        return round(sum(r * n for r, n in self.ratings.items()) / count, 2) if count else None


@dataclass
class Results:
    survey: object
    responses: int
    questions: list

    @property
    def response_rate(self):
        return round(100 * self.responses / self.survey.audience_size) if self.survey.audience_size else None

    @property
    def dishes_least_liked(self):
        rated = [r for r in self.questions if r.question.kind is QuestionKind.DISH and r.average is not None]
        return sorted(rated, key=lambda r: (r.average, r.question.text))[:5]


def results(survey):
    """The survey's results in two queries, whatever the number of answers: ratings and
    choices counted by the database, the words read as they are."""
    by_question = {question.id: QuestionResult(question) for question in survey.questions}
    responses = db.session.scalar(
        sa.select(sa.func.count()).select_from(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
    )
    counted = db.session.execute(
        sa.select(
            SurveyAnswer.question_id, SurveyAnswer.rating, SurveyAnswer.choice, SurveyAnswer.text, sa.func.count()
        )
        .where(SurveyAnswer.question_id.in_(by_question))
        .group_by(SurveyAnswer.question_id, SurveyAnswer.rating, SurveyAnswer.choice, SurveyAnswer.text)
    )
    for question_id, rating, choice, text, count in counted:
        result = by_question[question_id]
        if rating is not None:
            result.ratings[rating] += count
        elif choice:
            result.choices[choice] += count
        elif text:
            result.texts.extend([text] * count)
    return Results(survey, responses, list(by_question.values()))


# --- actions and the semester -----------------------------------------------------------------


def record_action(actor, survey, action, dish="", now=None):
    if survey.school_id != actor.school_id:
        raise DomainError(_l("Record not found."))
    record = SurveyAction(survey=survey, action=(action or "").strip(), dish=(dish or "").strip()[:100])
    if not record.action:
        raise DomainError(_l("Say what the canteen did."), field="action")
    record.day = school_today(actor.school, now)
    start_record(actor, record, "recorded_by", now)
    records.save_record(actor, record, None, now)
    return record


def surveys_of(school_id):
    return db.session.scalars(
        sa.select(Survey).where(Survey.school_id == school_id).order_by(Survey.created_at.desc())
    ).all()


def actions_of(survey):
    return db.session.scalars(
        sa.select(SurveyAction)
        .where(SurveyAction.survey_id == survey.id, SurveyAction.standing())
        .order_by(SurveyAction.day, SurveyAction.id)
    ).all()
