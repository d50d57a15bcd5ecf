from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...fields import SchoolDateTimeField
from ...models.canteen import SYMPTOMS, DisinfectionMethod


class DishForm(FlaskForm):
    name = StringField(_l("Dish"), [InputRequired(), Length(max=100)])


class SampleForm(FlaskForm):
    grams = IntegerField(
        _l("Weight (g)"), [InputRequired(), NumberRange(min=1, max=5000)], render_kw={"inputmode": "numeric"}
    )
    container_label = StringField(_l("Container label"), [Optional(), Length(max=100)])
    retained_at = SchoolDateTimeField(
        _l("Kept at"), [Optional()], description=_l("Leave empty for now; fill in when entering it later.")
    )


class DisinfectionForm(FlaskForm):
    method = SelectField(_l("Method"), choices=DisinfectionMethod.choices)
    measure = IntegerField(
        _l("Temperature (℃) or concentration (mg/L)"),
        [InputRequired(), NumberRange(min=1, max=10000)],
        render_kw={"inputmode": "numeric"},
    )
    minutes = DecimalField(
        _l("Time (minutes)"),
        [InputRequired(), NumberRange(min=0.1, max=600)],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
    )
    items = StringField(_l("Items"), [Optional(), Length(max=200)])


class MorningCheckForm(FlaskForm):
    temperature_c = DecimalField(
        _l("Temperature (℃)"),
        [InputRequired(), NumberRange(min=34, max=43)],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
    )
    symptoms = SelectMultipleField(
        _l("Symptoms"),
        choices=lambda: list(SYMPTOMS.items()),
        validators=[Optional()],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    fit = BooleanField(_l("Fit for work"), default=True)
    on_duty = BooleanField(_l("On duty today"), default=True)
    action_taken = StringField(_l("Action taken"), [Optional(), Length(max=200)])
