"""List filters that never fail on what a URL says.

- UTC timestamps: the user types school time, the query compares UTC.
- Enums: offered with their translated labels and matched by stored value; Flask-Admin's
  own enum filters look members up by name, so the values they offer raise KeyError.
- A value a filter cannot read is refused by ``validate`` (Flask-Admin then flashes it),
  never passed on to the database.
"""

import sqlalchemy as sa
from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.model import filters

from ..extensions import db
from ..i18n import viewer_zone
from ..models.school import School
from ..models.types import LabelledEnum
from ..tenancy import scope
from ..timeutil import EARLIEST_DAY, LATEST_DAY

# What a filter may be asked to read; anything else is an invalid filter value.
UNREADABLE = (ValueError, KeyError, TypeError, OverflowError, ArithmeticError)


class Guarded:
    def validate(self, value):
        try:
            if not super().validate(value):
                return False
            cleaned = self.clean(value)
        except UNREADABLE:
            return False
        return all(_in_range(part) for part in (cleaned if isinstance(cleaned, list) else [cleaned]))


def _in_range(value):
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if hasattr(day, "year"):
        return EARLIEST_DAY <= day <= LATEST_DAY
    if isinstance(value, int) and not isinstance(value, bool):
        return -(2**63) < value < 2**63
    return True


def _to_utc(naive):
    return naive.replace(tzinfo=viewer_zone())


class SchoolTimeGreater(Guarded, sqla_filters.DateTimeGreaterFilter):
    def clean(self, value):
        return _to_utc(super().clean(value))


class SchoolTimeSmaller(Guarded, sqla_filters.DateTimeSmallerFilter):
    def clean(self, value):
        return _to_utc(super().clean(value))


class SchoolTimeBetween(Guarded, sqla_filters.DateTimeBetweenFilter):
    def clean(self, value):
        return [_to_utc(moment) for moment in super().clean(value)]


class EnumByValue:
    def clean(self, value):
        return self.enum_class(value)


class EnumEqual(Guarded, EnumByValue, sqla_filters.EnumEqualFilter):
    pass


class EnumNotEqual(Guarded, EnumByValue, sqla_filters.EnumFilterNotEqual):
    pass


class EnumInList(Guarded, sqla_filters.EnumFilterInList):
    def clean(self, value):
        return [self.enum_class(part.strip()) for part in value.split(",") if part.strip()]


class EnumNotInList(Guarded, sqla_filters.EnumFilterNotInList):
    def clean(self, value):
        return [self.enum_class(part.strip()) for part in value.split(",") if part.strip()]


class SchoolEqual(Guarded, sqla_filters.FilterEqual):
    """Every school-owned list, by school: what a county user narrows 200 schools with. The
    choice offers the schools the user may see (a school's own user sees only theirs)."""

    def get_options(self, view):
        return VisibleSchools()

    def clean(self, value):
        return int(value)


class VisibleSchools:
    """Flask-Admin reads a filter's options once, when the view is made; these are read
    again on every page, as the user who asks may see them."""

    def __bool__(self):
        return True

    def __iter__(self):
        schools = db.session.scalars(scope(sa.select(School).order_by(School.name), School))
        return iter([(str(school.id), school.name) for school in schools])


def _guarded(filter_class):
    return type(filter_class.__name__, (Guarded, filter_class), {})


class FilterConverter(sqla_filters.FilterConverter):
    strings = tuple(_guarded(f) for f in sqla_filters.FilterConverter.strings)
    int_filters = tuple(_guarded(f) for f in sqla_filters.FilterConverter.int_filters)
    float_filters = tuple(_guarded(f) for f in sqla_filters.FilterConverter.float_filters)
    date_filters = tuple(_guarded(f) for f in sqla_filters.FilterConverter.date_filters)
    datetime_filters = tuple(_guarded(f) for f in sqla_filters.FilterConverter.datetime_filters)
    bool_filters = tuple(_guarded(f) for f in sqla_filters.FilterConverter.bool_filters)
    enum = (EnumEqual, EnumNotEqual, _guarded(sqla_filters.EnumFilterEmpty), EnumInList, EnumNotInList)

    @filters.convert("utcdatetime")
    def conv_utc_datetime(self, column, name, **kwargs):
        return [f(column, name, **kwargs) for f in (SchoolTimeBetween, SchoolTimeGreater, SchoolTimeSmaller)]

    @filters.convert("enum")
    def conv_enum(self, column, name, options=None, **kwargs):
        enum_class = column.type.enum_class
        if not options and enum_class is not None and issubclass(enum_class, LabelledEnum):
            options = enum_class.choices
        return super().conv_enum(column, name, options, **kwargs)
