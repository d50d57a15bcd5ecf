from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, TextAreaField
from wtforms.validators import InputRequired, Length

from ...fields import SchoolDateTimeField


class RectifyForm(FlaskForm):
    note = TextAreaField(_l("What was done"), [InputRequired(), Length(max=2000)], render_kw={"rows": 3})
    photos = MultipleFileField(_l("Photos after the fix"))


class SendBackForm(FlaskForm):
    reason = TextAreaField(_l("Why it is not accepted"), [InputRequired(), Length(max=2000)], render_kw={"rows": 2})


class ExtendForm(FlaskForm):
    deadline = SchoolDateTimeField(_l("New deadline"), [InputRequired()])
    reason = TextAreaField(_l("Reason for more time"), [InputRequired(), Length(max=2000)], render_kw={"rows": 2})
