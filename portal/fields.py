"""Form fields shared by admin views and workflow forms."""

from datetime import UTC

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, SelectMultipleField, widgets
from wtforms.validators import ValidationError

from .i18n import viewer_zone
from .services.rectification import responsible_candidates
from .timeutil import EARLIEST_DAY, LATEST_DAY, in_supported_range


def _refuse_out_of_range(day):
    if day is not None and not in_supported_range(day):
        raise ValidationError(
            _l(
                "Enter a date between %(first)s and %(last)s.",
                first=EARLIEST_DAY.isoformat(),
                last=LATEST_DAY.isoformat(),
            )
        )


class DayField(DateField):
    """A calendar day (a phone's date picker), within the years the portal keeps records for."""

    def pre_validate(self, form):
        _refuse_out_of_range(self.data)


class SchoolDateTimeField(DateTimeLocalField):
    """Typed and shown in the viewer's school time; stored as an aware UTC datetime."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        _refuse_out_of_range(self.data.date() if self.data else None)

    def process_data(self, value):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(viewer_zone()).replace(tzinfo=None)
        super().process_data(value)

    def populate_obj(self, obj, name):
        setattr(obj, name, self.utc_value())

    def utc_value(self):
        if self.data is None:
            return None
        return self.data.replace(tzinfo=viewer_zone()).astimezone(UTC)


def responsible_choices(school_id):
    """Who may be made responsible for fixing a problem, with an empty first choice."""
    return [("", "")] + [(str(user.id), user.display_name) for user in responsible_candidates(school_id)]


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes: a thumb ticks them on a phone, where a
    multiple select needs Ctrl-click."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
