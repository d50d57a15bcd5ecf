from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DecimalField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...fields import DayField
from ...labels import column_label
from ...models import DailyReport, EnrolmentChange, SubsidyCharge
from ...models.nutrition import ChangeKind, SpendingCategory


class ImportForm(FlaskForm):
    register = FileField(
        _l("The register's Excel export (.xlsx or .xls)"), [InputRequired(message=_l("Choose the file."))]
    )


class ConfirmImportForm(FlaskForm):
    effective_on = DayField(
        _l("On the roster from"),
        [InputRequired(message=_l("Enter the day the new students count from."))],
        description=_l("New students count for the subsidy from this day (the first day of term, as a rule)."),
    )
    # Asked only of a file without a column that says who is eligible (the view requires it then).
    all_eligible = RadioField(
        _l("Does every student in the file receive the nutrition subsidy?"),
        [Optional()],
        choices=[
            SelectChoice("yes", _l("Yes: the file is the list of beneficiaries (受益学生名单)")),
            SelectChoice("no", _l("No: they join as not eligible; record each beneficiary's change after")),
        ],
    )


class ChangeForm(FlaskForm):
    student = SelectField(
        column_label(EnrolmentChange, "student"), [InputRequired(message=_l("Choose the student."))], choices=[]
    )
    kind = SelectField(
        column_label(EnrolmentChange, "kind"),
        choices=[SelectChoice(k.value, k.label) for k in ChangeKind if k is not ChangeKind.ENROLLED],
    )
    effective_on = DayField(_l("Effective from"), [InputRequired(message=_l("Enter the day it takes effect."))])
    document_ref = StringField(_l("Document"), [Optional(), Length(max=100)])


def diners_field(label, description=""):
    return IntegerField(
        label,
        [Optional(), NumberRange(min=0, max=100000, message=_l("Enter a number of diners, zero or more."))],
        description=description,
        render_kw={"inputmode": "numeric"},
    )


class ReportForm(FlaskForm):
    day = SelectField(_l("School day"), [InputRequired(message=_l("Choose the day."))], choices=[])
    breakfast_diners = diners_field(column_label(DailyReport, "breakfast_diners"))
    lunch_diners = diners_field(column_label(DailyReport, "lunch_diners"))
    dinner_diners = diners_field(column_label(DailyReport, "dinner_diners"))
    staff_diners = diners_field(
        column_label(DailyReport, "staff_diners"),
        description=_l(
            "Counted at the day's largest meal. Staff meals issued from the storeroom as such are not split."
        ),
    )
    other_student_diners = diners_field(
        column_label(DailyReport, "other_student_diners"),
        description=_l("The subsidy pays for the eligible students' share of the day's food only."),
    )
    platform_ref = StringField(
        column_label(DailyReport, "platform_ref"),
        [Optional(), Length(max=64)],
        description=_l("The number the county's nutrition platform returned, when it returns one."),
    )


class ExplainForm(FlaskForm):
    explanation = TextAreaField(_l("Explanation of the difference"), [Optional(), Length(max=2000)])


class ChargeForm(FlaskForm):
    day = DayField(column_label(SubsidyCharge, "day"), [InputRequired(message=_l("Enter the day it was paid."))])
    category = SelectField(
        column_label(SubsidyCharge, "category"),
        [InputRequired(message=_l("Choose what the money was spent on."))],
        choices=[],
    )
    amount = DecimalField(
        column_label(SubsidyCharge, "amount"),
        [
            InputRequired(message=_l("Enter the amount in yuan, more than 0.")),
            NumberRange(min=0.01, max=10**8, message=_l("Enter the amount in yuan, more than 0.")),
        ],
        places=2,
        render_kw={"inputmode": "decimal"},
    )
    description = StringField(
        column_label(SubsidyCharge, "description"), [InputRequired(message=_l("Say what was bought.")), Length(max=200)]
    )
    voucher = StringField(column_label(SubsidyCharge, "voucher"), [Optional(), Length(max=64)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", "")] + SpendingCategory.choices()
