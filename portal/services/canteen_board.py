"""Today's board: for one school day, what the canteen's ledgers hold and what is missing.
The same few queries whatever the day, so a past day reads like today."""

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models.accompanied_meal import AccompaniedMeal, ParentMeal
from ..models.canteen import FoodSample, MenuDish, MorningCheck, TablewareDisinfection
from ..timeutil import start_of_day_utc, utcnow, zone
from . import clean_plate, cold_chain, daily_reports, food_cost, hygiene, ledgers, purchasing, storeroom
from .calendar import days_between
from .calendar import load as load_calendar
from .canteen import meal_is_over
from .morning_checks import missing_certificates
from .users import canteen_workers


def meal_gaps(dishes, sampled, disinfected, accompanied, reviewed=None):
    """The one rule for a meal that is over: a menu, a sample of every dish, disinfection,
    a leader's accompanied-meal record; once its day is over (``reviewed`` given), every
    sample reviewed by someone else. The board, the calendar and the evidence all ask it.
    Withdrawn records count for nothing."""
    gaps = []
    if not dishes:
        gaps.append("menu")
    if sampled < dishes:
        gaps.append("samples")
    if reviewed is not None and reviewed < sampled:
        gaps.append("review")
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
    day_over: bool = False
    accompanied: object = None
    parents: list = field(default_factory=list)

    @property
    def dishes_without_sample(self):
        return [dish for dish in self.dishes if not dish.standing_samples]

    @property
    def unreviewed_samples(self):
        return [sample for dish in self.dishes for sample in dish.standing_samples if sample.reviewed_by_id is None]

    @property
    def samples_complete(self):
        return bool(self.dishes) and not self.dishes_without_sample

    @property
    def gaps(self):
        """What is missing once the meal is over (and, once the day is, the samples' review)."""
        if not self.over:
            return []
        sampled = len(self.dishes) - len(self.dishes_without_sample)
        reviewed = sampled - len(self.unreviewed_samples) if self.day_over else None
        return meal_gaps(len(self.dishes), sampled, bool(self.disinfections), self.accompanied is not None, reviewed)


@dataclass
class WorkerBoard:
    worker: object
    check: object
    lacks_certificate: list
    # The day of the last check that found the worker unfit, when no later check found them
    # fit: they stay off duty until one does.
    unfit_since: object = None

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
    # When the day's ledger records lock: after it, pages show them and take nothing new.
    locks_at: object = None
    locked: bool = False
    # [(record, amendment)] of the day's records: shown with the original beside the correction.
    amendments: list = field(default_factory=list)
    # The storeroom: what was issued on the day (food_cost.DayCost, or None when nothing was);
    # today, what on hand expired or expires soon.
    issued: object = None
    expired: list = field(default_factory=list)
    expiring: list = field(default_factory=list)
    # The fridges and freezers, and their readings of the day: {unit id: {round: reading}}.
    cold_units: list = field(default_factory=list)
    readings: dict = field(default_factory=dict)
    readings_per_day: int = 0
    # The nutrition plan's report of the day (None when not made); whether one is due (a school
    # day of a school with a roster) and overdue (its cut-off has passed).
    nutrition_report: object = None
    nutrition_report_due: bool = False
    nutrition_report_overdue: bool = False
    # The clean-plate campaign: the day's leftovers per 100 diners (clean_plate.DayFigure or None).
    leftovers: object = None

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
    def excursions(self):
        return [r for rounds in self.readings.values() for r in rounds.values() if r.out_of_range]

    @property
    def units_short_of_readings(self):
        return [unit for unit in self.cold_units if len(self.readings.get(unit.id, {})) < self.readings_per_day]

    @property
    def flagged_deliveries(self):
        return [delivery for delivery in self.deliveries if purchasing.flags(delivery)]


def board(school, day, now=None):
    now = now or utcnow()
    calendar = load_calendar(school.id, day, day)
    locks_at = ledgers.lock_moment(school, day)
    result = DayBoard(
        school=school, day=day, canteen_open=calendar.is_canteen_day(day), locks_at=locks_at, locked=locks_at <= now
    )
    result.rooms = hygiene.schedules(school, day)
    result.deliveries = purchasing.deliveries_on(school.id, day)
    _storeroom(result, school, day, now)
    _nutrition(result, school, day, calendar, now)
    result.leftovers = clean_plate.day_figure(school, day)
    if not result.canteen_open:
        return result
    dishes = db.session.scalars(
        sa.select(MenuDish)
        .where(MenuDish.school_id == school.id, MenuDish.day == day, MenuDish.standing())
        .options(selectinload(MenuDish.samples))
        .order_by(MenuDish.id)
    ).all()
    disinfections = _standing(TablewareDisinfection, school, day)
    accompanied = {record.meal: record for record in _standing(AccompaniedMeal, school, day)}
    parents = _standing(ParentMeal, school, day)
    day_over = now >= start_of_day_utc(day + timedelta(days=1), school)
    for meal in school.settings.meals():
        result.meals.append(
            MealBoard(
                meal=meal,
                dishes=[dish for dish in dishes if dish.meal is meal],
                disinfections=[record for record in disinfections if record.meal is meal],
                over=meal_is_over(school, day, meal, now),
                day_over=day_over,
                accompanied=accompanied.get(meal),
                parents=[record for record in parents if record.meal is meal],
            )
        )
    checks = {check.worker_id: check for check in _standing(MorningCheck, school, day)}
    workers = canteen_workers(school.id)
    missing = missing_certificates(school.id, [worker.id for worker in workers], day)
    unfit = unfit_since(school, [worker.id for worker in workers if worker.id not in checks], day)
    result.workers = [
        WorkerBoard(worker, checks.get(worker.id), missing[worker.id], unfit.get(worker.id)) for worker in workers
    ]
    if result.locked:
        samples = [sample for dish in dishes for sample in dish.standing_samples]
        day_records = [*dishes, *samples, *disinfections, *accompanied.values(), *parents, *checks.values()]
        result.amendments = ledgers.amendments_of_records([*day_records, *result.deliveries])
    return result


def _storeroom(result, school, day, now):
    result.issued = next(iter(food_cost.per_day(school.id, day, day)), None)
    result.cold_units = cold_chain.units_of(school.id)
    result.readings = cold_chain.readings_on(school.id, day)
    result.readings_per_day = school.settings.temperature_readings_per_day
    if day == now.astimezone(zone(school)).date():
        rows = storeroom.on_hand(school.id)
        result.expired = storeroom.expired(rows, day)
        result.expiring = storeroom.expiring(rows, day, school.settings.expiry_warning_days)


def _nutrition(result, school, day, calendar, now):
    result.nutrition_report_due = calendar.is_school_day(day) and daily_reports.has_roster(school.id)
    if result.nutrition_report_due:
        [result.nutrition_report] = daily_reports.reports_between(school.id, day, day) or [None]
        result.nutrition_report_overdue = (
            result.nutrition_report is None
            and day in (daily_reports.unreported_days([school], day, day, now)[school.id])
        )


def _standing(model, school, day):
    return db.session.scalars(
        sa.select(model).where(model.school_id == school.id, model.day == day, model.standing()).order_by(model.id)
    ).all()


def unfit_since(school, worker_ids, day):
    """{worker id: the day they were last found unfit} for the workers whose last check
    before ``day`` found them unfit: off duty until a check finds them fit."""
    if not worker_ids:
        return {}
    last = (
        sa.select(MorningCheck.worker_id, sa.func.max(MorningCheck.day).label("day"))
        .where(
            MorningCheck.school_id == school.id,
            MorningCheck.worker_id.in_(worker_ids),
            MorningCheck.day < day,
            MorningCheck.standing(),
        )
        .group_by(MorningCheck.worker_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(MorningCheck.worker_id, MorningCheck.day)
        .join(last, sa.and_(last.c.worker_id == MorningCheck.worker_id, last.c.day == MorningCheck.day))
        .where(MorningCheck.fit.is_(False), MorningCheck.standing())
    ).all()
    return dict(rows)


def _days_and_meals(model, school, first, last):
    return set(
        db.session.execute(
            sa.select(model.day, model.meal)
            .where(model.school_id == school.id, model.day.between(first, last), model.standing())
            .distinct()
        ).all()
    )


def _meal_gaps(counts, disinfected, accompanied, day_over):
    dishes, sampled, reviewed = counts
    return meal_gaps(dishes, sampled, disinfected, accompanied, reviewed if day_over else None)


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
            sa.func.count(sa.distinct(sa.case((FoodSample.reviewed_by_id.is_not(None), FoodSample.dish_id)))),
        )
        .outerjoin(FoodSample, sa.and_(FoodSample.dish_id == MenuDish.id, FoodSample.standing()))
        .where(MenuDish.school_id == school.id, MenuDish.day.between(first, last), MenuDish.standing())
        .group_by(MenuDish.day, MenuDish.meal)
    ).all()
    menu = {(day, meal): (count, sampled, reviewed) for day, meal, count, sampled, reviewed in dishes}
    disinfected = _days_and_meals(TablewareDisinfection, school, first, last)
    accompanied = _days_and_meals(AccompaniedMeal, school, first, last)
    checked = dict(
        db.session.execute(
            sa.select(MorningCheck.day, sa.func.count(MorningCheck.id))
            .where(MorningCheck.school_id == school.id, MorningCheck.day.between(first, last), MorningCheck.standing())
            .group_by(MorningCheck.day)
        ).all()
    )
    rostered = len(canteen_workers(school.id))
    days = []
    for day in days_between(first, last):
        summary = DaySummary(day, calendar.is_canteen_day(day), future=day > today)
        if summary.canteen_open and not summary.future:
            summary.has_gaps = checked.get(day, 0) < rostered or any(
                _meal_gaps(
                    menu.get((day, meal), (0, 0, 0)),
                    (day, meal) in disinfected,
                    (day, meal) in accompanied,
                    day < today,
                )
                for meal in school.settings.meals()
                if meal_is_over(school, day, meal, now)
            )
        days.append(summary)
    return days
