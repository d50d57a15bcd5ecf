from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...fields import DayField
from ...labels import column_label
from ...models.complaint import Complaint
from ...models.public_notice import PublicNotice


class NoticeForm(FlaskForm):
    published_from = DayField(
        column_label(PublicNotice, "published_from"),
        [Optional()],
        description=_l("Empty: nothing is published. The page shows what is ticked from this day on."),
    )
    shows_menu = BooleanField(column_label(PublicNotice, "shows_menu"), default=True)
    shows_funds = BooleanField(column_label(PublicNotice, "shows_funds"), default=True)
    shows_meals = BooleanField(column_label(PublicNotice, "shows_meals"), default=True)
    shows_survey = BooleanField(column_label(PublicNotice, "shows_survey"), default=True)


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        column_label(Complaint, "answer"),
        [
            InputRequired(message=_l("Write the answer: what was found and what the canteen does.")),
            Length(max=2000),
        ],
        render_kw={"rows": 3},
        description=_l("Shown on the phone that sent the complaint. Call back whoever left a contact."),
    )
    problem = TextAreaField(
        column_label(Complaint, "problem"),
        [Optional(), Length(max=2000)],
        render_kw={"rows": 2},
        description=_l("If the complaint found a real problem: it becomes a rectification task."),
    )
    responsible = SelectField(_l("Who fixes it"), [Optional()], choices=[])
