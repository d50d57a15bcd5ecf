"""Surveys of students, teachers and parents (满意度调查, 菜品调查): questions to rate, choose or
answer in words, dishes to rate; answered anonymously on a phone through a link or a QR code
(one answer per device, nothing personal asked) or typed in from paper by the clerk; and the
canteen's actions taken on the results (菜单随学生变).

Answers are written once and never changed. The actions are a ledger: they lock like every
ledger and are the survey's evidence."""

import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .calendar import Term
from .ledger import LedgerRecord
from .registry import RecordKind, register
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User

RATINGS = range(1, 6)  # 1 very dissatisfied .. 5 very satisfied


class Audience(LabelledEnum):
    STUDENTS = "students"
    TEACHERS = "teachers"
    PARENTS = "parents"

    @classmethod
    def _labels(cls):
        return {cls.STUDENTS: _l("Students"), cls.TEACHERS: _l("Teachers"), cls.PARENTS: _l("Parents")}


class QuestionKind(LabelledEnum):
    RATING = "rating"
    CHOICE = "choice"
    TEXT = "text"
    DISH = "dish"

    @classmethod
    def _labels(cls):
        return {
            cls.RATING: _l("Rating (1 to 5)"),
            cls.CHOICE: _l("One choice"),
            cls.TEXT: _l("In words"),
            cls.DISH: _l("A dish to rate"),
        }

    @property
    def rated(self):
        return self in (QuestionKind.RATING, QuestionKind.DISH)


def new_token():
    return secrets.token_urlsafe(16)


class Survey(SchoolOwned, db.Model):
    __tablename__ = "survey"
    __table_args__ = (
        sa.CheckConstraint("audience_size > 0", name="audience_size_positive"),
        sa.CheckConstraint("asks_students OR asks_teachers OR asks_parents", name="asks_someone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    # Who it asks (one survey may ask several): a column per Audience, named asks_<value>.
    asks_students: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    asks_teachers: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    asks_parents: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    term_id: Mapped[int] = mapped_column(sa.ForeignKey("term.id", ondelete="RESTRICT"), index=True)
    # How many were asked: the response rate is counted against it.
    audience_size: Mapped[int]
    closes_on: Mapped[date]
    # The public link's secret part: the link and its QR code open the survey without a login.
    token: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_token)
    is_open: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    term: Mapped[Term] = relationship()
    created_by: Mapped[User] = relationship()
    questions: Mapped[list["SurveyQuestion"]] = relationship(
        back_populates="survey", order_by="SurveyQuestion.position", cascade="all, delete-orphan"
    )

    def __str__(self):
        return self.title

    @property
    def audiences(self):
        return [audience for audience in Audience if getattr(self, f"asks_{audience.value}")]

    @audiences.setter
    def audiences(self, chosen):
        for audience in Audience:
            setattr(self, f"asks_{audience.value}", audience in chosen)

    @property
    def audience_text(self):
        return "/".join(str(audience.label) for audience in self.audiences)

    def accepts_answers(self, today):
        return self.is_open and today <= self.closes_on


class SurveyQuestion(SchoolOwned, db.Model):
    __tablename__ = "survey_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind, "question_kind"))
    # The question, or the dish's name for a dish to rate.
    text: Mapped[str] = mapped_column(sa.String(200))
    # A choice question's options, one a line.
    options: Mapped[str] = mapped_column(sa.Text, default="")

    survey: Mapped[Survey] = relationship(back_populates="questions")

    def __str__(self):
        return self.text

    @property
    def option_list(self):
        return [line.strip() for line in (self.options or "").splitlines() if line.strip()]


class SurveyResponse(SchoolOwned, db.Model):
    """One person's answers: from a phone (known only by a keyed hash of the device cookie the
    server signed, so a second answer from it is refused, and of its network address, so that
    many answers from one address show on the results page) or typed in from paper by the
    clerk."""

    __tablename__ = "survey_response"
    __table_args__ = (sa.UniqueConstraint("survey_id", "device"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("survey.id", ondelete="RESTRICT"), index=True)
    device: Mapped[str | None] = mapped_column(sa.String(64))
    address: Mapped[str | None] = mapped_column(sa.String(64), info=label(_l("Network address (a keyed hash)")))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answers: Mapped[list["SurveyAnswer"]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(SchoolOwned, db.Model):
    __tablename__ = "survey_answer"
    __table_args__ = (
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        sa.Index("ix_survey_answer_question", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_question.id", ondelete="RESTRICT"))
    rating: Mapped[int | None]
    choice: Mapped[str] = mapped_column(sa.String(100), default="")
    text: Mapped[str] = mapped_column(sa.Text, default="")


class SurveyAction(LedgerRecord, SchoolOwned, db.Model):
    """What the canteen did about a survey's results (“cucumber removed from the lunch
    rotation”), and the dish it concerns."""

    __tablename__ = "survey_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey.id", ondelete="RESTRICT"), index=True, info=label(_l("Survey"))
    )
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    action: Mapped[str] = mapped_column(sa.Text, info=label(_l("What the canteen did")))
    dish: Mapped[str] = mapped_column(sa.String(100), default="", info=label(_l("The dish it concerns")))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    survey: Mapped[Survey] = relationship(info=label(_l("Survey")))
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id], info=label(_l("Recorded by")))

    def __str__(self):
        return f"{self.day} {self.action}"


register(
    RecordKind(
        "survey_actions",
        SurveyAction,
        _l("Actions on survey results"),
        _l("Action on a survey's results"),
    )
)
