"""The clean-plate campaign (光盘行动): leftovers weighed per meal (the school's, or a class's)
against the diners, kilograms per 100 diners against the school's target, the weekly class
ranking, the dishes left most and the semester's curve."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .. import charts
from ..errors import DomainError
from ..extensions import db
from ..models.canteen import MenuDish
from ..models.clean_plate import LeftoverWeighing
from . import records
from .canteen import refuse_unserved_meal, start_record

HUNDRED = Decimal(100)


def record_weighing(actor, weighing, now=None):
    """One meal's leftovers: never without its diners (the figure is per diner), once per
    meal for the school and once per class, the dish left most from that meal's menu."""
    start_record(actor, weighing, "weighed_by", now)
    refuse_unserved_meal(weighing)
    if weighing.diners is None or weighing.diners <= 0:
        raise DomainError(_l("Enter the diners of the meal: leftovers are counted per diner."), field="diners")
    if weighing.kg is None or weighing.kg < 0:
        raise DomainError(_l("Enter the leftovers in kilograms, 0 or more."), field="kg")
    weighing.kg = Decimal(weighing.kg).quantize(Decimal("0.01"))
    class_id = weighing.school_class.id if weighing.school_class else weighing.class_id
    with db.session.no_autoflush:
        dish = weighing.most_left_dish or (
            db.session.get(MenuDish, weighing.most_left_dish_id) if weighing.most_left_dish_id else None
        )
        if dish is not None and (
            dish.school_id != weighing.school_id
            or (dish.day, dish.meal) != (weighing.day, weighing.meal)
            or dish.is_withdrawn
        ):
            raise DomainError(_l("Choose a dish of this meal's menu."), field="most_left_dish")
        twin = db.session.scalar(
            sa.select(LeftoverWeighing.id).where(
                LeftoverWeighing.school_id == weighing.school_id,
                LeftoverWeighing.day == weighing.day,
                LeftoverWeighing.meal == weighing.meal,
                LeftoverWeighing.class_id.is_(None) if class_id is None else LeftoverWeighing.class_id == class_id,
                LeftoverWeighing.standing(),
            )
        )
    if twin is not None:
        raise DomainError(_l("The leftovers of this meal are weighed already for the same diners."))
    records.save_record(actor, weighing, None, now)
    return weighing


def weighings_between(school_id, first, last):
    return db.session.scalars(
        sa.select(LeftoverWeighing)
        .where(LeftoverWeighing.school_id == school_id, LeftoverWeighing.day.between(first, last))
        .where(LeftoverWeighing.standing())
        .options(selectinload(LeftoverWeighing.school_class), selectinload(LeftoverWeighing.most_left_dish))
        .order_by(LeftoverWeighing.day, LeftoverWeighing.id)
    ).all()


def per_100(kg, diners):
    return (kg * HUNDRED / diners).quantize(Decimal("0.01")) if diners else None


@dataclass
class DayFigure:
    day: object
    kg: Decimal
    diners: int
    target: Decimal

    @property
    def per_100(self):
        return per_100(self.kg, self.diners)

    @property
    def over_target(self):
        return self.per_100 is not None and self.per_100 > self.target


def daily_figures(school, first, last):
    """[DayFigure] of the days weighed first..last: the school's own weighings of each meal,
    or the classes' added up where the school weighed by class only."""
    by_day = defaultdict(lambda: {"school": [], "classes": []})
    for weighing in weighings_between(school.id, first, last):
        by_day[weighing.day]["classes" if weighing.class_id else "school"].append(weighing)
    figures = []
    for day, found in sorted(by_day.items()):
        counted = found["school"] or found["classes"]
        figures.append(
            DayFigure(
                day,
                sum((w.kg for w in counted), Decimal(0)),
                sum(w.diners for w in counted),
                school.settings.leftover_target_kg_per_100,
            )
        )
    return figures


def total_of(school, figures):
    """The days' figures (daily_figures) together against the target, a period's figure, or
    None when no day was weighed."""
    if not figures:
        return None
    kg = sum((figure.kg for figure in figures), Decimal(0))
    return DayFigure(None, kg, sum(figure.diners for figure in figures), school.settings.leftover_target_kg_per_100)


def day_figure(school, day):
    return next(iter(daily_figures(school, day, day)), None)


def class_ranking(school_id, monday):
    """[(class, kg per 100 diners, weighings)] of the week from ``monday``, least left first."""
    totals = defaultdict(lambda: [Decimal(0), 0, 0])
    classes = {}
    for weighing in weighings_between(school_id, monday, monday + timedelta(days=6)):
        if weighing.school_class is None:
            continue
        classes[weighing.class_id] = weighing.school_class
        total = totals[weighing.class_id]
        total[0] += weighing.kg
        total[1] += weighing.diners
        total[2] += 1
    rows = [(classes[cid], per_100(kg, diners), n) for cid, (kg, diners, n) in totals.items()]
    return sorted(rows, key=lambda row: (row[1], row[0].name))


def dishes_left_most(school_id, first, last, limit=5):
    """[(dish name, times it was the dish left most)] first..last."""
    counted = Counter(
        w.most_left_dish.name for w in weighings_between(school_id, first, last) if w.most_left_dish is not None
    )
    return counted.most_common(limit)


def semester_chart(figures):
    """The semester's curve: kg per 100 diners day by day, the target dashed across."""
    return charts.line_chart(
        _l("kg per 100 diners, day by day, against the target"),
        [f"{figure.day.month}-{figure.day.day}" for figure in figures],
        [(_l("kg per 100 diners"), [None if figure.per_100 is None else float(figure.per_100) for figure in figures])],
        [(_l("Target"), float(figures[0].target))],
    )
