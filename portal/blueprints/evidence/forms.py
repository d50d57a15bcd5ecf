from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField
from wtforms.validators import InputRequired, Optional

from ...evidence.sections import SECTIONS
from ...fields import CheckboxListField, DayField
from ...models.evidence import ExportFormat


class ExportForm(FlaskForm):
    school = SelectField(_l("School"), validators=[Optional()])
    period = RadioField(_l("Period"), default="term")
    first = DayField(_l("From"), validators=[Optional()])
    last = DayField(_l("To"), validators=[Optional()])
    sections = CheckboxListField(
        _l("Contents of the bundle"),
        choices=lambda: [(s.key, s.title) for s in SECTIONS],
        default=[s.key for s in SECTIONS],
    )
    format = RadioField(_l("Format"), choices=lambda: ExportFormat.choices(), default=ExportFormat.PDF.value)


class VerifyForm(FlaskForm):
    file = FileField(_l("Evidence file"), validators=[InputRequired()])
