from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...fields import DayField, SchoolDateTimeField
from ...labels import column_label
from ...models.drill import EmergencyDrill
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


class DrillForm(FlaskForm):
    day = DayField(column_label(EmergencyDrill, "day"), [InputRequired(message=_l("Enter the day of the drill."))])
    plan = SelectField(
        column_label(EmergencyDrill, "plan"),
        [InputRequired(message=_l("Choose the emergency plan practised: one of the school's posted rules."))],
        choices=[],
    )
    scenario = TextAreaField(
        column_label(EmergencyDrill, "scenario"),
        [InputRequired(message=_l("Say what was practised: the scenario.")), Length(max=2000)],
        render_kw={"rows": 2, "placeholder": _l("e.g. suspected food poisoning after lunch")},
    )
    participants = TextAreaField(
        column_label(EmergencyDrill, "participants"),
        [InputRequired(message=_l("List who took part.")), Length(max=2000)],
        render_kw={"rows": 2},
    )
    participant_count = IntegerField(
        column_label(EmergencyDrill, "participant_count"),
        [
            InputRequired(message=_l("A drill has at least 2 people taking part.")),
            NumberRange(min=2, max=100000, message=_l("A drill has at least 2 people taking part.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    findings = TextAreaField(
        column_label(EmergencyDrill, "findings"),
        [Optional(), Length(max=2000)],
        render_kw={"rows": 2},
        description=_l("A problem found becomes a rectification task."),
    )
    responsible = SelectField(_l("Who fixes"), [Optional()], choices=[])
