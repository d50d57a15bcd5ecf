from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is withdrawn"),
        [InputRequired(), Length(max=2000)],
        render_kw={"rows": 2},
        description=_l("The record stays, shown as withdrawn with this reason; it counts for nothing."),
    )
