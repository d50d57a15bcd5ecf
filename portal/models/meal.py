"""The meals a canteen serves on a school day."""

from flask_babel import lazy_gettext as _l

from .types import LabelledEnum


class Meal(LabelledEnum):
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"

    @classmethod
    def _labels(cls):
        return {cls.BREAKFAST: _l("Breakfast"), cls.LUNCH: _l("Lunch"), cls.DINNER: _l("Dinner")}
