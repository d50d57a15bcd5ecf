"""公示 (models/public_notice.py): what the school admin publishes, and what the public page reads.
Only what a parent would read on the canteen's notice board: dishes, money by month, the days and
meals a leader ate with the students and how they found them, and a survey's scores. Never a
name, a telephone, a leader's words or a survey's written answers."""

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.accompanied_meal import ASPECTS, AccompaniedMeal
from ..models.canteen import MenuDish
from ..models.nutrition import Reconciliation
from ..models.public_notice import PublicNotice
from ..models.survey import Survey
from ..timeutil import utcnow
from . import audit, surveys
from .calendar import monday_of

FUND_MONTHS = 6


def notice_of(school_id):
    return db.session.get(PublicNotice, school_id)


def save(actor, school, published_from, sections):
    """``sections``: {PublicNotice.SECTIONS name: bool}. No day publishes nothing."""
    if actor.school_id != school.id or not actor.can("school.settings"):
        raise DomainError(_l("The school admin chooses what the public notice shows."))
    notice = notice_of(school.id) or PublicNotice(school_id=school.id)
    before = audit.snapshot(notice) if notice in db.session else None
    notice.published_from = published_from
    for name in PublicNotice.SECTIONS:
        setattr(notice, name, bool(sections.get(name)))
    notice.updated_at, notice.updated_by_id = utcnow(), actor.id
    db.session.add(notice)
    db.session.flush()
    after = audit.snapshot(notice)
    audit.record(
        actor, "public_notice.updated", notice, school_id=school.id, object_id=school.id, before=before, after=after
    )
    return notice


@dataclass
class Content:
    week: list = field(default_factory=list)  # the week's seven days
    menu: dict = field(default_factory=dict)  # {day: {meal: [dish names]}}
    funds: list = field(default_factory=list)  # signed reconciliations, newest first
    meals: list = field(default_factory=list)  # [(day, meal, {aspect label: opinion label})]
    survey: object = None  # surveys.Results of the survey that closed last


def content(school, notice, today):
    """What the public page shows today: the sections ``notice`` publishes, of the week of ``today``."""
    found = Content(week=[monday_of(today) + timedelta(days=n) for n in range(7)])
    first, last = found.week[0], found.week[-1]
    if notice.shows_menu:
        for dish in db.session.scalars(
            sa.select(MenuDish)
            .where(MenuDish.school_id == school.id, MenuDish.day.between(first, last), MenuDish.standing())
            .order_by(MenuDish.day, MenuDish.meal, MenuDish.id)
        ):
            found.menu.setdefault(dish.day, {}).setdefault(dish.meal, []).append(dish.name)
    if notice.shows_funds:
        found.funds = db.session.scalars(
            sa.select(Reconciliation)
            .where(Reconciliation.school_id == school.id, Reconciliation.signed_at.is_not(None))
            .order_by(Reconciliation.month.desc())
            .limit(FUND_MONTHS)
        ).all()
    if notice.shows_meals:
        for meal in db.session.scalars(
            sa.select(AccompaniedMeal)
            .where(
                AccompaniedMeal.school_id == school.id,
                AccompaniedMeal.day.between(first, min(last, today)),
                AccompaniedMeal.standing(),
            )
            .order_by(AccompaniedMeal.day, AccompaniedMeal.meal)
        ):
            opinions = {label: getattr(meal, key).label for key, label in ASPECTS.items()}
            found.meals.append((meal.day, meal.meal, opinions))
    if notice.shows_survey:
        last_closed = db.session.scalar(
            sa.select(Survey)
            .where(Survey.school_id == school.id, Survey.closes_on < today)
            .order_by(Survey.closes_on.desc(), Survey.id.desc())
            .limit(1)
        )
        found.survey = surveys.results(last_closed) if last_closed is not None else None
    return found
