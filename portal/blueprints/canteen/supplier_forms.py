from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...fields import DayField
from ...labels import column_label
from ...models.purchasing import Supplier
from ...models.supplier_review import CRITERIA, SupplierEvaluation


class EvaluationForm(FlaskForm):
    note = TextAreaField(
        column_label(SupplierEvaluation, "note"), [Optional(), Length(max=2000)], render_kw={"rows": 2}
    )


for _key, _name, _most in CRITERIA:
    _message = _l("%(criterion)s: from 0 to %(most)d points.", criterion=_name, most=_most)
    setattr(
        EvaluationForm,
        _key,
        IntegerField(
            _l("%(criterion)s (at most %(most)d)", criterion=_name, most=_most),
            [InputRequired(message=_message), NumberRange(min=0, max=_most, message=_message)],
            render_kw={"inputmode": "numeric"},
        ),
    )


class ExitForm(FlaskForm):
    exited_on = DayField(column_label(Supplier, "exited_on"), [InputRequired(message=_l("Enter the day it exits."))])
    exit_reason = TextAreaField(
        column_label(Supplier, "exit_reason"),
        [InputRequired(message=_l("Say why it exits: the evaluation, or what happened.")), Length(max=2000)],
        render_kw={"rows": 2},
    )
