from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...labels import column_label
from ...models import DormBed


class CheckForm(FlaskForm):
    """The room's note and photo (a camera button on the page); the deductions come as one
    field per standard item (``deduct-<item id>``), read by the view."""

    note = StringField(_l("What was wrong"), [Optional(), Length(max=200)])
    photo = FileField()


class CoachingForm(FlaskForm):
    notes = TextAreaField(
        _l("What was shown to the room"),
        [InputRequired(message=_l("Say what was shown to the room.")), Length(max=2000)],
    )


class BedImportForm(FlaskForm):
    term = SelectField(column_label(DormBed, "term"), [InputRequired(message=_l("Choose the semester."))], choices=[])
    beds = FileField(_l("The bed list (.xlsx)"), [InputRequired(message=_l("Choose the file."))])
