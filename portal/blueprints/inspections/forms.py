from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...labels import column_label
from ...models import Inspection


class StartForm(FlaskForm):
    assignment_id = HiddenField()
    area = StringField(column_label(Inspection, "area"), [Optional(), Length(max=200)])


class FindingForm(FlaskForm):
    description = TextAreaField(_l("Problem found"), [InputRequired(), Length(max=2000)], render_kw={"rows": 3})


class ReturnForm(FlaskForm):
    reason = TextAreaField(_l("Why it goes back"), [InputRequired(), Length(max=2000)], render_kw={"rows": 3})


class AmendForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the amendment"), [InputRequired(), Length(max=2000)], render_kw={"rows": 3})
    body = TextAreaField(_l("What is corrected"), [InputRequired(), Length(max=10000)], render_kw={"rows": 6})
