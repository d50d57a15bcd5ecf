"""Today's board: for one school day, what the canteen's ledgers hold and what is missing.
The same few queries whatever the day, so a past day reads like today."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models.accompanied_meal import AccompaniedMeal, ParentMeal
from ..models.canteen import FoodSample, MenuDish, MorningCheck, TablewareDisinfection
from ..timeutil import utcnow, zone
from . import hygiene, purchasing
from .calendar import days_between
from .calendar import load as load_calendar
from .canteen import meal_is_over, missing_certificates
from .users import canteen_workers


def meal_gaps(dishes, sampled, disinfected, accompanied):
    """The one rule for a meal that is over: a menu, a sample of every dish, disinfection,
    a leader's accompanied-meal record. The board, the calendar and the evidence all ask it."""
    gaps = []
    if not dishes:
        gaps.append("menu")
    if sampled < dishes:
        gaps.append("samples")
    if not disinfected:
        gaps.append("disinfection")
    if not accompanied:
        gaps.append("accompanied")
    return gaps


@dataclass
class MealBoard:
    meal: object
    dishes: list
    disinfections: list
    over: bool
    accompanied: object = None
    parents: list = field(default_factory=list)

    @property
    def dishes_without_sample(self):
        return [dish for dish in self.dishes if not dish.samples]

    @property
    def samples_complete(self):
        return bool(self.dishes) and not self.dishes_without_sample

    @property
    def gaps(self):
        """What is missing once the meal is over."""
        if not self.over:
            return []
        sampled = len(self.dishes) - len(self.dishes_without_sample)
        return meal_gaps(len(self.dishes), sampled, bool(self.disinfections), self.accompanied is not None)


@dataclass
class WorkerBoard:
    worker: object
    check: object
    lacks_certificate: list

    @property
    def unchecked(self):
        return self.check is None


@dataclass
class DayBoard:
    school: object
    day: object
    canteen_open: bool
    meals: list = field(default_factory=list)
    workers: list = field(default_factory=list)
    deliveries: list = field(default_factory=list)
    rooms: list = field(default_factory=list)

    @property
    def unchecked(self):
        return [row for row in self.workers if row.unchecked]

    @property
    def checked(self):
        return [row for row in self.workers if not row.unchecked]

    @property
    def has_gaps(self):
        return bool(self.unchecked) or any(meal.gaps for meal in self.meals)

    @property
    def overdue_rooms(self):
        return [row for row in self.rooms if row.disinfection_overdue or row.prevention_overdue]

    @property
    def flagged_deliveries(self):
        return [delivery for delivery in self.deliveries if delivery.licence_expired]


def board(school, day, now=None):
    calendar = load_calendar(school.id, day, day)
    result = DayBoard(school=school, day=day, canteen_open=calendar.is_canteen_day(day))
    result.rooms = hygiene.schedules(school, day)
    result.deliveries = purchasing.deliveries_on(school.id, day)
    if not result.canteen_open:
        return result
    dishes = db.session.scalars(
        sa.select(MenuDish)
        .where(MenuDish.school_id == school.id, MenuDish.day == day)
        .options(selectinload(MenuDish.samples))
        .order_by(MenuDish.id)
    ).all()
    disinfections = db.session.scalars(
        sa.select(TablewareDisinfection).where(
            TablewareDisinfection.school_id == school.id, TablewareDisinfection.day == day
        )
    ).all()
    accompanied = {
        record.meal: record
        for record in db.session.scalars(
            sa.select(AccompaniedMeal).where(AccompaniedMeal.school_id == school.id, AccompaniedMeal.day == day)
        )
    }
    parents = db.session.scalars(
        sa.select(ParentMeal).where(ParentMeal.school_id == school.id, ParentMeal.day == day).order_by(ParentMeal.id)
    ).all()
    for meal in school.settings.meals():
        result.meals.append(
            MealBoard(
                meal=meal,
                dishes=[dish for dish in dishes if dish.meal is meal],
                disinfections=[record for record in disinfections if record.meal is meal],
                over=meal_is_over(school, day, meal, now),
                accompanied=accompanied.get(meal),
                parents=[record for record in parents if record.meal is meal],
            )
        )
    checks = {
        check.worker_id: check
        for check in db.session.scalars(
            sa.select(MorningCheck).where(MorningCheck.school_id == school.id, MorningCheck.day == day)
        )
    }
    workers = canteen_workers(school.id)
    missing = missing_certificates(school.id, [worker.id for worker in workers], day)
    result.workers = [WorkerBoard(worker, checks.get(worker.id), missing[worker.id]) for worker in workers]
    return result


@dataclass
class DaySummary:
    """One day of the history calendar: the board's verdict without its details."""

    day: object
    canteen_open: bool
    has_gaps: bool = False
    future: bool = False


def month(school, first, last, now=None):
    """The board's verdict for every day first..last, in six queries whatever the range."""
    now = now or utcnow()
    today = now.astimezone(zone(school)).date()
    calendar = load_calendar(school.id, first, last)
    dishes = db.session.execute(
        sa.select(
            MenuDish.day,
            MenuDish.meal,
            sa.func.count(sa.distinct(MenuDish.id)),
            sa.func.count(sa.distinct(FoodSample.dish_id)),
        )
        .outerjoin(FoodSample, FoodSample.dish_id == MenuDish.id)
        .where(MenuDish.school_id == school.id, MenuDish.day.between(first, last))
        .group_by(MenuDish.day, MenuDish.meal)
    ).all()
    menu = {(day, meal): (count, sampled) for day, meal, count, sampled in dishes}
    disinfected = set(
        db.session.execute(
            sa.select(TablewareDisinfection.day, TablewareDisinfection.meal)
            .where(TablewareDisinfection.school_id == school.id, TablewareDisinfection.day.between(first, last))
            .distinct()
        ).all()
    )
    accompanied = set(
        db.session.execute(
            sa.select(AccompaniedMeal.day, AccompaniedMeal.meal).where(
                AccompaniedMeal.school_id == school.id, AccompaniedMeal.day.between(first, last)
            )
        ).all()
    )
    checked = dict(
        db.session.execute(
            sa.select(MorningCheck.day, sa.func.count(MorningCheck.id))
            .where(MorningCheck.school_id == school.id, MorningCheck.day.between(first, last))
            .group_by(MorningCheck.day)
        ).all()
    )
    rostered = len(canteen_workers(school.id))
    days = []
    for day in days_between(first, last):
        summary = DaySummary(day, calendar.is_canteen_day(day), future=day > today)
        if summary.canteen_open and not summary.future:
            summary.has_gaps = checked.get(day, 0) < rostered or any(
                meal_gaps(*menu.get((day, meal), (0, 0)), (day, meal) in disinfected, (day, meal) in accompanied)
                for meal in school.settings.meals()
                if meal_is_over(school, day, meal, now)
            )
        days.append(summary)
    return days
