"""The canteen's ledgers as a section of the period evidence: completeness per canteen day,
the workers kept off duty, and the records themselves in compact tables and sheets."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models.accompanied_meal import AccompaniedMeal
from ..models.canteen import SYMPTOMS, FoodSample, MenuDish, MorningCheck, TablewareDisinfection
from ..services import calendar as school_calendar
from ..services.canteen_board import meal_gaps
from ..timeutil import school_today
from .parts import Part, Sheet, iso, school_time


def yes_no(value):
    return str(_l("Yes") if value else _l("No"))


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
    disinfected: bool
    accompanied: bool

    @property
    def gaps(self):
        labels = {
            "menu": _l("no menu"),
            "samples": _l("%(n)d dishes without sample", n=self.dishes - self.sampled),
            "disinfection": _l("no tableware disinfection"),
            "accompanied": _l("no accompanied meal"),
        }
        gaps = meal_gaps(self.dishes, self.sampled, self.disinfected, self.accompanied)
        return [f"{self.meal.label}: {labels[gap]}" for gap in gaps]


def build_canteen(section, scope):
    school_id = scope.school.id
    dishes = db.session.scalars(
        sa.select(MenuDish)
        .where(MenuDish.school_id == school_id, MenuDish.day.between(scope.first, scope.last))
        .options(selectinload(MenuDish.samples).selectinload(FoodSample.retained_by))
        .order_by(MenuDish.day, MenuDish.meal, MenuDish.id)
    ).all()
    disinfections = db.session.scalars(
        sa.select(TablewareDisinfection)
        .where(
            TablewareDisinfection.school_id == school_id,
            TablewareDisinfection.day.between(scope.first, scope.last),
        )
        .options(selectinload(TablewareDisinfection.done_by))
        .order_by(TablewareDisinfection.day, TablewareDisinfection.meal)
    ).all()
    checks = db.session.scalars(
        sa.select(MorningCheck)
        .where(MorningCheck.school_id == school_id, MorningCheck.day.between(scope.first, scope.last))
        .options(selectinload(MorningCheck.worker))
        .order_by(MorningCheck.day, MorningCheck.id)
    ).all()
    accompanied = set(
        db.session.execute(
            sa.select(AccompaniedMeal.day, AccompaniedMeal.meal).where(
                AccompaniedMeal.school_id == school_id, AccompaniedMeal.day.between(scope.first, scope.last)
            )
        ).all()
    )
    calendar = school_calendar.load(school_id, scope.first, scope.last)
    last_complete_day = min(scope.last, school_today(scope.school) - timedelta(days=1))
    menu = defaultdict(list)
    for dish in dishes:
        menu[dish.day, dish.meal].append(dish)
    disinfected = {(record.day, record.meal) for record in disinfections}
    days = []
    for day in school_calendar.days_between(scope.first, last_complete_day):
        if not calendar.is_canteen_day(day):
            continue
        meals = [
            LedgerMeal(
                meal,
                len(menu[day, meal]),
                sum(1 for dish in menu[day, meal] if dish.samples),
                (day, meal) in disinfected,
                (day, meal) in accompanied,
            )
            for meal in scope.school.settings.meals()
        ]
        days.append(LedgerDay(day, meals))
    samples = [(dish, sample) for dish in dishes for sample in dish.samples]
    off_duty = [check for check in checks if not check.on_duty]
    symptom_names = {check.id: "、".join(str(SYMPTOMS[key]) for key in check.symptom_keys) for check in checks}
    return Part(
        section.key,
        section.title,
        "evidence/section_canteen.html",
        {
            "days": days,
            "gap_days": [day for day in days if day.gaps],
            "samples": samples,
            "disinfections": disinfections,
            "checks": checks,
            "off_duty": off_duty,
            "symptom_names": symptom_names,
        },
        sheets=[
            Sheet(
                str(_l("Canteen days")),
                [
                    str(_l("Date")),
                    str(_l("Meal")),
                    str(_l("Dishes")),
                    str(_l("Samples")),
                    str(_l("Disinfected")),
                    str(_l("Accompanied meal")),
                ],
                [
                    [
                        iso(day.day),
                        str(m.meal.label),
                        m.dishes,
                        m.sampled,
                        yes_no(m.disinfected),
                        yes_no(m.accompanied),
                    ]
                    for day in days
                    for m in day.meals
                ],
            ),
            Sheet(
                str(_l("Food samples")),
                [
                    str(_l("Date")),
                    str(_l("Meal")),
                    str(_l("Dish")),
                    str(_l("Weight (g)")),
                    str(_l("Container label")),
                    str(_l("Kept at")),
                    str(_l("Kept by")),
                    str(_l("Discarded at")),
                ],
                [
                    [
                        iso(dish.day),
                        str(dish.meal.label),
                        dish.name,
                        sample.grams,
                        sample.container_label,
                        school_time(sample.retained_at, scope.school),
                        sample.retained_by.display_name,
                        school_time(sample.discarded_at, scope.school),
                    ]
                    for dish, sample in samples
                ],
            ),
            Sheet(
                str(_l("Tableware disinfection")),
                [
                    str(_l("Date")),
                    str(_l("Meal")),
                    str(_l("Method")),
                    str(_l("Temperature (℃)")),
                    str(_l("Concentration (mg/L)")),
                    str(_l("Time (seconds)")),
                    str(_l("Done by")),
                ],
                [
                    [
                        iso(r.day),
                        str(r.meal.label),
                        str(r.method.label),
                        r.temperature_c,
                        r.concentration_mg_l,
                        r.duration_seconds,
                        r.done_by.display_name,
                    ]
                    for r in disinfections
                ],
            ),
            Sheet(
                str(_l("Morning checks")),
                [
                    str(_l("Date")),
                    str(_l("Worker")),
                    str(_l("Temperature (℃)")),
                    str(_l("Symptoms")),
                    str(_l("On duty")),
                    str(_l("Action taken")),
                ],
                [
                    [
                        iso(c.day),
                        c.worker.display_name,
                        c.temperature_c,
                        symptom_names[c.id],
                        yes_no(c.on_duty),
                        c.action_taken,
                    ]
                    for c in checks
                ],
            ),
        ],
        records={
            "menu_dishes": [dish.id for dish in dishes],
            "food_samples": [sample.id for _dish, sample in samples],
            "tableware_disinfections": [r.id for r in disinfections],
            "morning_checks": [c.id for c in checks],
        },
    )
