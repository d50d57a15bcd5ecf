from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...labels import column_label
from ...models.complaint import CONTACT_MAX, TEXT_MAX, Complaint


class ComplaintForm(FlaskForm):
    text = TextAreaField(
        _l("What was wrong with the meal"),
        [
            InputRequired(message=_l("Say what happened: the dish, the day, what was wrong.")),
            Length(max=TEXT_MAX, message=_l("Keep it to %(n)d characters.", n=TEXT_MAX)),
        ],
        render_kw={"rows": 5, "maxlength": TEXT_MAX},
    )
    contact = StringField(
        column_label(Complaint, "contact"),
        [
            Optional(),
            Length(
                max=CONTACT_MAX,
                message=_l("A telephone or a WeChat id of at most %(n)d characters.", n=CONTACT_MAX),
            ),
        ],
        render_kw={"maxlength": CONTACT_MAX, "autocomplete": "tel"},
        description=_l("Optional: only if you want the school to call you back. Only the school's office reads it."),
    )
