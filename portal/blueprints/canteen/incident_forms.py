from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...fields import SchoolDateTimeField
from ...labels import column_label
from ...models.incident import FoodIncident


def _text(name, message):
    return TextAreaField(
        column_label(FoodIncident, name), [InputRequired(message=message), Length(max=4000)], render_kw={"rows": 3}
    )


class IncidentForm(FlaskForm):
    found_at = SchoolDateTimeField(
        column_label(FoodIncident, "found_at"),
        [InputRequired(message=_l("Enter when it was found, not in the future."))],
    )
    ill_count = IntegerField(
        column_label(FoodIncident, "ill_count"),
        [
            InputRequired(message=_l("Enter how many fell ill, 1 or more.")),
            NumberRange(min=1, max=100000, message=_l("Enter how many fell ill, 1 or more.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    what_happened = _text("what_happened", _l("Say what happened: the symptoms, where, after which meal."))
    actions = _text("actions", _l("Say what was done at once: care for the ill, the supply stopped."))
    sealed = _text("sealed", _l("Say what was sealed: the meal's samples, the food left, the tools."))
    education_told_at = SchoolDateTimeField(column_label(FoodIncident, "education_told_at"), [Optional()])
    market_told_at = SchoolDateTimeField(column_label(FoodIncident, "market_told_at"), [Optional()])


class ToldForm(FlaskForm):
    told_at = SchoolDateTimeField(_l("Told at"), [InputRequired(message=_l("Enter when the office was told."))])


class FollowUpForm(FlaskForm):
    follow_up = TextAreaField(
        column_label(FoodIncident, "follow_up"),
        [Optional(), Length(max=4000)],
        render_kw={"rows": 4},
        description=_l("The cause found, how the ill are, what changed in the canteen."),
    )
