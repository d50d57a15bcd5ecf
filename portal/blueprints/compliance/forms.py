from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from ...fields import CheckboxListField


class ExcuseForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [InputRequired(), Length(max=2000)], render_kw={"rows": 3})


def _day(value):
    return value if isinstance(value, date) else date.fromisoformat(value)


class NationalHolidaysForm(FlaskForm):
    # Choices: the proposed days the school does not list yet (national_holidays.proposal).
    days = CheckboxListField(_l("Days to add to the school calendar"), coerce=_day)
