from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length


class ExcuseForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [InputRequired(), Length(max=2000)], render_kw={"rows": 3})
