"""The canteen's daily ledgers as a section of the period evidence. What is missing comes
first: completeness per canteen day and the workers kept off duty; then each ledger's table."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..i18n import amount_filter
from ..models.additive import AdditiveUse
from ..models.canteen import SYMPTOMS, FoodSample, MenuDish, MorningCheck, TablewareDisinfection
from ..models.clean_plate import LeftoverWeighing
from ..models.cooking import CoreTemperature
from ..models.school import SchoolSettings
from ..services import calendar as school_calendar
from ..services import clean_plate
from ..services.canteen_board import meal_gaps
from ..timeutil import school_today, utcnow
from .ledgers import ledger_part, ledger_records, ledger_tables
from .parts import Sheet, iso
from .tables import Table, column, flags, label, moment, name_of, register, yes_no


@dataclass
class LedgerDay:
    """One canteen day of the period: per served meal, the menu, samples and disinfection."""

    day: date
    meals: list

    @property
    def gaps(self):
        return [gap for meal in self.meals for gap in meal.gaps]


@dataclass
class LedgerMeal:
    meal: object
    dishes: int
    sampled: int
    reviewed: int
    disinfected: bool
    accompanied: bool

    @property
    def gaps(self):
        labels = {
            "menu": _l("no menu"),
            "samples": _l("%(n)d dishes without sample", n=self.dishes - self.sampled),
            "review": _l("%(n)d samples not reviewed", n=self.sampled - self.reviewed),
            "disinfection": _l("no tableware disinfection"),
            "accompanied": _l("no accompanied meal"),
        }
        gaps = meal_gaps(self.dishes, self.sampled, self.disinfected, self.accompanied, self.reviewed)
        return [f"{self.meal.label}: {labels[gap]}" for gap in gaps]


def _canteen_days(scope, tables):
    menu = defaultdict(list)
    for dish in tables.standing("menu_dishes"):
        menu[dish.day, dish.meal].append(dish)
    disinfected = {(record.day, record.meal) for record in tables.standing("tableware_disinfections")}
    accompanied = {(record.day, record.meal) for record in ledger_records("accompanied_meals", scope)}
    calendar = school_calendar.load(scope.school.id, scope.first, scope.last)
    last_complete_day = min(scope.last, school_today(scope.school) - timedelta(days=1))
    days = []
    for day in school_calendar.days_between(scope.first, last_complete_day):
        if not calendar.is_canteen_day(day):
            continue
        meals = []
        for meal in scope.school.settings.meals():
            samples = [dish.standing_samples for dish in menu[day, meal]]
            meals.append(
                LedgerMeal(
                    meal,
                    len(menu[day, meal]),
                    sum(1 for kept in samples if kept),
                    sum(1 for kept in samples if kept and all(sample.reviewed_by_id for sample in kept)),
                    (day, meal) in disinfected,
                    (day, meal) in accompanied,
                )
            )
        days.append(LedgerDay(day, meals))
    return days


def _clean_plate_line(figure):
    if figure is None:
        return (_l("Clean plate: no leftovers weighed in the period."), "")
    return (
        _l(
            "Clean plate: %(kg)s kg left for %(diners)d diners, %(value)s kg per 100 (target at most %(target)s).",
            kg=figure.kg,
            diners=figure.diners,
            value=figure.per_100,
            target=figure.target,
        ),
        str(_l("over the target")) if figure.over_target else "",
    )


def build_canteen(section, scope):
    tables = ledger_tables("canteen", scope)
    days = _canteen_days(scope, tables)
    gap_days = [day for day in days if day.gaps]
    off_duty = [check for check in tables.standing("morning_checks") if not check.on_duty]
    days_sheet = Sheet(
        str(_l("Canteen days")),
        [
            str(header)
            for header in (
                _l("Date"),
                _l("Meal"),
                _l("Dishes"),
                _l("Samples"),
                _l("Reviewed"),
                _l("Disinfected"),
                _l("Accompanied meal"),
            )
        ],
        [
            [
                iso(day.day),
                str(m.meal.label),
                m.dishes,
                m.sampled,
                m.reviewed,
                yes_no(m.disinfected),
                yes_no(m.accompanied),
            ]
            for day in days
            for m in day.meals
        ],
    )
    weighed = clean_plate.daily_figures(scope.school, scope.first, scope.last)
    summary = [
        (
            _l("%(complete)d of %(total)d canteen days complete.", complete=len(days) - len(gap_days), total=len(days)),
            "",
        ),
        _clean_plate_line(clean_plate.total_of(scope.school, weighed)),
    ]
    return ledger_part(
        section,
        tables,
        summary,
        workbook_only=[days_sheet],
        days=gap_days,
        off_duty=off_duty,
        charts_heading=_l("Clean plate"),
        charts=_clean_plate_charts(weighed),
    )


def _clean_plate_charts(weighed):
    """The period's days weighed as a curve against the target, with its figures in words."""
    if len(weighed) < 2:
        return []
    text = _l(
        "%(days)d days weighed, %(over)d of them over the target of %(target)s kg per 100 diners.",
        days=len(weighed),
        over=sum(bool(figure.over_target) for figure in weighed),
        target=weighed[0].target,
    )
    return [(clean_plate.semester_chart(weighed), text)]


def _symptoms(check):
    return "、".join(str(SYMPTOMS[key]) for key in check.symptom_keys)


register(
    Table(
        "menu_dishes",
        "canteen",
        (
            column(MenuDish.day, lambda d: iso(d.day)),
            column(MenuDish.meal, lambda d: label(d.meal)),
            column(MenuDish.name, lambda d: d.name),
        ),
    )
)

register(
    Table(
        "food_samples",
        "canteen",
        (
            column(_l("Date"), lambda s: iso(s.dish.day)),
            column(_l("Meal"), lambda s: label(s.dish.meal)),
            column(FoodSample.dish, lambda s: s.dish.name),
            column(FoodSample.grams, lambda s: amount_filter(s.grams)),
            column(FoodSample.container_label, lambda s: s.container_label),
            moment(FoodSample.retained_at, "retained_at"),
            column(FoodSample.retained_by, lambda s: name_of(s.retained_by)),
            column(FoodSample.reviewed_by, lambda s: name_of(s.reviewed_by)),
            moment(FoodSample.discarded_at, "discarded_at"),
        ),
        flag=lambda s: _sample_flags(s),
        loads=("dish", "retained_by", "reviewed_by"),
    )
)


def _sample_flags(sample):
    """Not reviewed; kept past its hours with no discard recorded (the sample fridge keeps
    what nobody threw away, or the record is missing)."""
    hours = db.session.get(SchoolSettings, sample.school_id).sample_keep_hours
    kept_past = sample.discarded_at is None and sample.retained_at + timedelta(hours=hours) < utcnow()
    return flags(
        None if sample.reviewed_by_id else _l("not reviewed"),
        _l("no discard recorded after %(hours)d hours", hours=hours) if kept_past else None,
    )


register(
    Table(
        "core_temperatures",
        "canteen",
        (
            column(MenuDish.day, lambda r: iso(r.dish.day)),
            column(MenuDish.meal, lambda r: label(r.dish.meal)),
            column(CoreTemperature.dish, lambda r: r.dish.name),
            column(CoreTemperature.celsius, lambda r: amount_filter(r.celsius)),
            column(CoreTemperature.first_celsius, lambda r: amount_filter(r.first_celsius) if r.cooked_again else ""),
            moment(CoreTemperature.measured_at, "measured_at"),
            column(CoreTemperature.measured_by, lambda r: name_of(r.measured_by)),
        ),
        loads=("dish", "measured_by"),
    )
)
register(
    Table(
        "additive_uses",
        "canteen",
        (
            column(MenuDish.day, lambda r: iso(r.dish.day)),
            column(MenuDish.meal, lambda r: label(r.dish.meal)),
            column(AdditiveUse.dish, lambda r: r.dish.name),
            column(AdditiveUse.additive, lambda r: r.additive.name),
            column(AdditiveUse.grams, lambda r: amount_filter(r.grams)),
            column(AdditiveUse.food_kg, lambda r: amount_filter(r.food_kg) if r.food_kg else ""),
            moment(AdditiveUse.used_at, "used_at"),
            column(AdditiveUse.used_by, lambda r: name_of(r.used_by)),
        ),
        loads=("dish", "additive", "used_by"),
    )
)
register(
    Table(
        "tableware_disinfections",
        "canteen",
        (
            column(TablewareDisinfection.day, lambda r: iso(r.day)),
            column(TablewareDisinfection.meal, lambda r: label(r.meal)),
            column(TablewareDisinfection.method, lambda r: label(r.method)),
            column(TablewareDisinfection.temperature_c, lambda r: r.temperature_c),
            column(TablewareDisinfection.concentration_mg_l, lambda r: r.concentration_mg_l),
            column(TablewareDisinfection.duration_seconds, lambda r: r.duration_seconds),
            column(TablewareDisinfection.done_by, lambda r: name_of(r.done_by)),
        ),
        loads=("done_by",),
    )
)

register(
    Table(
        "morning_checks",
        "canteen",
        (
            column(MorningCheck.day, lambda c: iso(c.day)),
            column(MorningCheck.worker, lambda c: name_of(c.worker)),
            column(MorningCheck.temperature_c, lambda c: c.temperature_c),
            column(_l("Symptoms"), _symptoms),
            column(MorningCheck.on_duty, lambda c: yes_no(c.on_duty)),
            column(MorningCheck.action_taken, lambda c: c.action_taken),
            column(MorningCheck.checked_by, lambda c: name_of(c.checked_by)),
        ),
        loads=("worker", "checked_by"),
    )
)

register(
    Table(
        "leftover_weighings",
        "canteen",
        (
            column(LeftoverWeighing.day, lambda w: iso(w.day)),
            column(LeftoverWeighing.meal, lambda w: label(w.meal)),
            column(
                LeftoverWeighing.school_class,
                lambda w: w.school_class.name if w.school_class else str(_l("The whole school")),
            ),
            column(LeftoverWeighing.kg, lambda w: amount_filter(w.kg)),
            column(LeftoverWeighing.diners, lambda w: w.diners),
            column(_l("kg per 100 diners"), lambda w: amount_filter(w.per_100)),
            column(LeftoverWeighing.most_left_dish, lambda w: w.most_left_dish.name if w.most_left_dish else ""),
            column(LeftoverWeighing.weighed_by, lambda w: name_of(w.weighed_by)),
        ),
        flag=lambda w: str(_l("over the target")) if w.per_100 > w.school.settings.leftover_target_kg_per_100 else "",
        loads=("school_class", "most_left_dish", "weighed_by", "school"),
    )
)
