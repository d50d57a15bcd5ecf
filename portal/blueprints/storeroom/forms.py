from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional


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
    storeroom = StringField(_l("Where kept"), [Optional(), Length(max=100)])


class IssueForm(FlaskForm):
    meal = SelectField(_l("Meal"), choices=[])
    item = SelectField(_l("Stock item"), [InputRequired(message=_l("Choose the item."))], choices=[])
    quantity = quantity_field()
    batch = SelectField(
        _l("Batch"),
        choices=[],
        validate_choice=False,
        default="",
        description=_l("Leave on first in, first out unless there is a reason."),
    )
    reason = StringField(_l("Why this batch"), [Optional(), Length(max=300)])


class DisposalForm(FlaskForm):
    quantity = quantity_field()
    method = StringField(
        _l("How it was disposed of"),
        [InputRequired(message=_l("Say how it was disposed of.")), Length(max=200)],
        render_kw={"placeholder": _l("e.g. into the kitchen-waste bin, photographed")},
    )
    witness = SelectField(_l("Witness"), [InputRequired(message=_l("Choose the witness."))], choices=[])


class ReadingForm(FlaskForm):
    temperature_c = DecimalField(
        _l("Temperature (℃)"),
        [InputRequired(message=_l("Enter the temperature in ℃.")), NumberRange(min=-60, max=60)],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
    )
    action = TextAreaField(
        _l("Action taken"),
        [Optional(), Length(max=1000)],
        description=_l("Only when out of range: what was done about it."),
    )
    responsible = SelectField(_l("Who fixes"), choices=[], validate_choice=False, default="")
