from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...labels import column_label
from ...models import StockBatch, StockDisposal, StockIssue, TemperatureReading


def quantity_field():
    above_zero = _l("Enter a quantity above zero.")
    return DecimalField(
        _l("Quantity"),
        [InputRequired(message=above_zero), NumberRange(min=0.01, max=10**9, message=above_zero)],
        places=2,
        render_kw={"inputmode": "decimal", "step": "0.01", "min": "0"},
    )


class PutAwayForm(FlaskForm):
    item = SelectField(_l("Keep as"), choices=[], validate_choice=False, default="")
    storeroom = StringField(column_label(StockBatch, "storeroom"), [Optional(), Length(max=100)])


class IssueForm(FlaskForm):
    meal = SelectField(_l("Meal"), choices=[])
    item = SelectField(column_label(StockBatch, "item"), [InputRequired(message=_l("Choose the item."))], choices=[])
    quantity = quantity_field()
    batch = SelectField(
        _l("Batch"),
        choices=[],
        validate_choice=False,
        default="",
        description=_l("Leave on first in, first out unless there is a reason."),
    )
    reason = StringField(_l("Why this batch"), [Optional(), Length(max=300)])
    for_staff = BooleanField(
        column_label(StockIssue, "for_staff"),
        description=_l("Food cooked for the staff alone: it is never charged to the students' nutrition subsidy."),
    )


class DisposalForm(FlaskForm):
    quantity = quantity_field()
    method = StringField(
        column_label(StockDisposal, "method"),
        [InputRequired(message=_l("Say how it was disposed of.")), Length(max=200)],
        render_kw={"placeholder": _l("e.g. into the kitchen-waste bin, photographed")},
    )
    witness = SelectField(
        column_label(StockDisposal, "witness"), [InputRequired(message=_l("Choose the witness."))], choices=[]
    )


class ReadingForm(FlaskForm):
    temperature_c = DecimalField(
        _l("Temperature (℃)"),
        [InputRequired(message=_l("Enter the temperature in ℃.")), NumberRange(min=-60, max=60)],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
    )
    action = TextAreaField(
        column_label(TemperatureReading, "action"),
        [Optional(), Length(max=1000)],
        description=_l("Only when out of range: what was done about it."),
    )
    responsible = SelectField(_l("Who fixes"), choices=[], validate_choice=False, default="")
