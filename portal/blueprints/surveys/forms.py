from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...fields import CheckboxListField, DayField
from ...labels import column_label
from ...models import SurveyAction
from ...models.survey import Audience


class SurveyForm(FlaskForm):
    title = StringField(_l("Title"), [InputRequired(message=_l("Give the survey a title.")), Length(max=100)])
    audiences = CheckboxListField(
        _l("Who answers"),
        [InputRequired(message=_l("Choose who answers: students, teachers, parents or several of them."))],
        choices=Audience.choices,
    )
    audience_size = IntegerField(
        _l("How many are asked"),
        [
            InputRequired(message=_l("Enter how many people are asked, more than 0.")),
            NumberRange(min=1, max=100000, message=_l("Enter how many people are asked, more than 0.")),
        ],
        render_kw={"inputmode": "numeric"},
        description=_l("The response rate is counted against it."),
    )
    closes_on = DayField(_l("Closes on"), [InputRequired(message=_l("Enter the day the survey closes."))])
    questions = TextAreaField(
        _l("Questions, one a line"),
        [InputRequired(message=_l("Write at least one question.")), Length(max=20000)],
        render_kw={"rows": 12},
        description=_l(
            "评分：a question rated 1 to 5 · 选择：a question｜option｜option · "
            "文字：a question answered in words · 菜品：a dish to rate"
        ),
    )


class ActionForm(FlaskForm):
    action = TextAreaField(
        column_label(SurveyAction, "action"), [InputRequired(message=_l("Say what the canteen did.")), Length(max=2000)]
    )
    dish = StringField(column_label(SurveyAction, "dish"), [Optional(), Length(max=100)])
