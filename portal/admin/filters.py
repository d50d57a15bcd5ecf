"""List filters on UTC timestamps: the user types school time, the query compares UTC."""

from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.model import filters

from ..i18n import viewer_zone


def _to_utc(naive):
    return naive.replace(tzinfo=viewer_zone())


class SchoolTimeGreater(sqla_filters.DateTimeGreaterFilter):
    def clean(self, value):
        return _to_utc(super().clean(value))


class SchoolTimeSmaller(sqla_filters.DateTimeSmallerFilter):
    def clean(self, value):
        return _to_utc(super().clean(value))


class SchoolTimeBetween(sqla_filters.DateTimeBetweenFilter):
    def clean(self, value):
        return [_to_utc(moment) for moment in super().clean(value)]


class FilterConverter(sqla_filters.FilterConverter):
    @filters.convert("utcdatetime")
    def conv_utc_datetime(self, column, name, **kwargs):
        return [f(column, name, **kwargs) for f in (SchoolTimeBetween, SchoolTimeGreater, SchoolTimeSmaller)]
