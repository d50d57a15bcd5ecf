"""The semester's surveys as 《中小学校园食品安全和膳食经费管理工作指引》(2024) asks for them: at least
one food-safety and satisfaction survey of students or staff (师生) and one of parents (家长),
each answered at least once (a survey that asks both counts for each); a school may ask for
more in all, never fewer. The list page, the
compliance page and the reminders all count with this."""

from dataclasses import dataclass
from datetime import time

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import Gap, at
from ..extensions import db
from ..models.calendar import Term
from ..models.survey import Audience, Survey, SurveyResponse

# The groups each semester needs a survey of, and the audiences that count for each.
GROUPS = {
    "staff_and_students": (_l("students and staff (师生)"), (Audience.STUDENTS, Audience.TEACHERS)),
    "parents": (_l("parents (家长)"), (Audience.PARENTS,)),
}
# The fewest surveys a semester: one of each group. SchoolSettings holds it as a floor.
AT_LEAST = len(GROUPS)


@dataclass
class SemesterSurveys:
    wanted: int
    by_group: dict  # {group: surveys answered that asked it}

    @property
    def held(self):
        """Surveys answered, one that asked both groups counted for each."""
        return sum(self.by_group.values())

    def held_for(self, group):
        return self.by_group.get(group, 0)

    @property
    def missing_groups(self):
        return [label for key, (label, _audiences) in GROUPS.items() if not self.held_for(key)]

    @property
    def met(self):
        return not self.missing_groups and self.held >= self.wanted


def of_term(school, term):
    """The surveys of ``term`` answered at least once, by audience, against the school's figure."""
    wanted = school.settings.surveys_per_semester  # never below AT_LEAST: a floor and a database check
    if term is None:
        return SemesterSurveys(wanted, {})
    answered = sa.select(SurveyResponse.id).where(SurveyResponse.survey_id == Survey.id).exists()
    held = db.session.scalars(
        sa.select(Survey).where(Survey.school_id == school.id, Survey.term_id == term.id, answered)
    ).all()
    return SemesterSurveys(
        wanted,
        {
            group: sum(1 for survey in held if set(survey.audiences) & set(audiences))
            for group, (_label, audiences) in GROUPS.items()
        },
    )


def terms_of_period(school_id, first, last):
    return db.session.scalars(
        sa.select(Term)
        .where(Term.school_id == school_id, Term.starts_on <= last, Term.ends_on >= first)
        .order_by(Term.starts_on)
    ).all()


def surveys_with_answers(school_id, terms):
    """[(survey, answers)] of ``terms``, in the order they were made."""
    answers = sa.select(sa.func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == Survey.id).scalar_subquery()
    return db.session.execute(
        sa.select(Survey, answers)
        .where(Survey.school_id == school_id, Survey.term_id.in_([term.id for term in terms]))
        .order_by(Survey.created_at, Survey.id)
    ).all()


def find_surveys(context, choice):
    """A semester whose surveys fall short is due at the end of its term."""
    term = context.term
    if term is None or term.ends_on < context.today:
        return []
    semester = of_term(context.school, term)
    if semester.met:
        return []
    return [
        Gap(
            f"{term.id}",
            at(term.ends_on, time(0), context.school),
            _("Surveys this semester: %(held)d of %(wanted)d answered", held=semester.held, wanted=semester.wanted)
            + "".join(_("; none yet of %(group)s", group=group) for group in semester.missing_groups),
            ("surveys.list_surveys", {}),
        )
    ]
