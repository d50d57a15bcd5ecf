from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...fields import CheckboxListField, DayField, SchoolDateTimeField
from ...labels import column_label
from ...models import (
    AccompaniedMeal,
    AdditiveUse,
    CommitteeActivity,
    CoreTemperature,
    Delivery,
    DispatchMeeting,
    FoodSample,
    LeftoverWeighing,
    MorningCheck,
    ParentMeal,
    PesticideTest,
    RiskReport,
    StockBatch,
    StockItem,
    TablewareDisinfection,
)
from ...models.accompanied_meal import Opinion
from ...models.canteen import SYMPTOMS, DisinfectionMethod
from ...models.pesticide import ScreeningMethod
from ...models.purchasing import DeliveryResult


def opinion_field(label):
    return SelectField(label, choices=Opinion.choices, coerce=Opinion, default=Opinion.GOOD.value)


class DishForm(FlaskForm):
    name = StringField(_l("Dish"), [InputRequired(), Length(max=100)])


class SampleForm(FlaskForm):
    grams = DecimalField(
        column_label(FoodSample, "grams"),
        [InputRequired(), NumberRange(min=1, max=5000)],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
    )
    container_label = StringField(column_label(FoodSample, "container_label"), [Optional(), Length(max=100)])
    retained_at = SchoolDateTimeField(
        column_label(FoodSample, "retained_at"),
        [Optional()],
        description=_l("Leave empty for now; fill in when entering it later."),
    )


class CoreTemperatureForm(FlaskForm):
    celsius = DecimalField(
        column_label(CoreTemperature, "celsius"),
        [InputRequired(message=_l("Enter the core temperature."))],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
    )
    first_celsius = DecimalField(
        column_label(CoreTemperature, "first_celsius"),
        [Optional()],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
        description=_l("Only when the first reading was below 70 ℃ and the dish was cooked again."),
    )


class PesticideTestForm(FlaskForm):
    method = RadioField(
        column_label(PesticideTest, "method"),
        choices=ScreeningMethod.choices,
        default=ScreeningMethod.ENZYME_INHIBITION.value,
    )
    inhibition_percent = DecimalField(
        column_label(PesticideTest, "inhibition_percent"),
        [Optional(), NumberRange(min=0, max=100, message=_l("Enter the inhibition rate, from 0 to 100."))],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
        description=_l("An inhibition rate of 50 or more is positive (GB/T 5009.199—2003)."),
    )
    positive = RadioField(
        _l("The card reads"),
        [Optional()],
        choices=[SelectChoice("negative", _l("negative")), SelectChoice("positive", _l("positive"))],
    )
    action = StringField(
        column_label(PesticideTest, "action"),
        [Optional(), Length(max=300)],
        render_kw={"placeholder": _l("e.g. returned to the supplier")},
        description=_l("Only for a positive batch."),
    )


class AdditiveUseForm(FlaskForm):
    additive = SelectField(
        column_label(AdditiveUse, "additive"), [InputRequired(message=_l("Choose the additive."))], choices=[]
    )
    dish = SelectField(column_label(AdditiveUse, "dish"), [InputRequired(message=_l("Choose the dish."))], choices=[])
    grams = DecimalField(
        column_label(AdditiveUse, "grams"),
        [InputRequired(message=_l("Enter the grams used, more than 0 and at most 10,000."))],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
    )
    food_kg = DecimalField(
        column_label(AdditiveUse, "food_kg"),
        [Optional()],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
        description=_l("For an additive with a limit (GB 2760)."),
    )


class DisinfectionForm(FlaskForm):
    method = SelectField(_l("Method"), choices=DisinfectionMethod.choices)
    measure = IntegerField(
        _l("Temperature (℃) or concentration (mg/L)"),
        [InputRequired(), NumberRange(min=1, max=10000)],
        render_kw={"inputmode": "numeric"},
    )
    minutes = DecimalField(
        _l("Time (minutes)"),
        [InputRequired(), NumberRange(min=0.1, max=600)],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
    )
    items = StringField(column_label(TablewareDisinfection, "items"), [Optional(), Length(max=200)])


class MorningCheckForm(FlaskForm):
    temperature_c = DecimalField(
        _l("Temperature (℃)"),
        [InputRequired(), NumberRange(min=34, max=43)],
        places=1,
        render_kw={"inputmode": "decimal", "step": "0.1"},
    )
    symptoms = CheckboxListField(
        column_label(MorningCheck, "symptoms"), choices=lambda: list(SYMPTOMS.items()), validators=[Optional()]
    )
    fit = BooleanField(column_label(MorningCheck, "fit"), default=True)
    on_duty = BooleanField(_l("On duty today"), default=True)
    action_taken = StringField(column_label(MorningCheck, "action_taken"), [Optional(), Length(max=200)])


class AccompaniedMealForm(FlaskForm):
    dishes_tasted = StringField(column_label(AccompaniedMeal, "dishes_tasted"), [Optional(), Length(max=300)])
    taste = opinion_field(column_label(AccompaniedMeal, "taste"))
    temperature = opinion_field(column_label(AccompaniedMeal, "temperature"))
    hygiene = opinion_field(column_label(AccompaniedMeal, "hygiene"))
    quantity = opinion_field(column_label(AccompaniedMeal, "quantity"))
    problems = TextAreaField(
        _l("Problems found"),
        [Optional(), Length(max=2000)],
        description=_l("Leave empty when there were none. A problem becomes a rectification task."),
    )
    responsible = SelectField(_l("Who fixes"), choices=[], validators=[Optional()])


class ParentMealForm(FlaskForm):
    parent_name = StringField(column_label(ParentMeal, "parent_name"), [InputRequired(), Length(max=64)])
    class_name = StringField(_l("Class"), [InputRequired(), Length(max=64)])
    feedback = TextAreaField(column_label(ParentMeal, "feedback"), [Optional(), Length(max=2000)])


class RoomDisinfectionForm(FlaskForm):
    method = StringField(
        _l("How"),
        [InputRequired(), Length(max=100)],
        description=_l("For example: ultraviolet lamp 30 minutes, 84 solution wipe-down."),
    )


class PreventionCheckForm(FlaskForm):
    rodents_ok = BooleanField(_l("Rodents: in order"), default=True)
    flies_ok = BooleanField(_l("Flies and mosquitoes: in order"), default=True)
    insects_ok = BooleanField(_l("Insects: in order"), default=True)
    dust_ok = BooleanField(_l("Dust: in order"), default=True)
    problems = TextAreaField(_l("Problems found"), [Optional(), Length(max=2000)])
    responsible = SelectField(_l("Who fixes"), choices=[], validators=[Optional()])


class DeliveryItemForm(Form):
    name = StringField(_l("Name of the goods"), [Optional(), Length(max=100)])
    specification = StringField(_l("Specification"), [Optional(), Length(max=100)])
    quantity = DecimalField(_l("Quantity"), [Optional(), NumberRange(min=0.01, max=99999999)], places=2)
    unit = StringField(column_label(StockItem, "unit"), [Optional(), Length(max=16)])
    production_date = DayField(column_label(StockBatch, "production_date"), [Optional()])
    batch = StringField(column_label(StockBatch, "batch"), [Optional(), Length(max=64)])
    shelf_life_days = IntegerField(_l("Shelf life (days)"), [Optional(), NumberRange(min=1, max=3650)])
    price = DecimalField(_l("Price (yuan)"), [Optional(), NumberRange(min=0, max=99999999)], places=2)


class DeliveryForm(FlaskForm):
    supplier = SelectField(column_label(Delivery, "supplier"), choices=[], validators=[InputRequired()])
    result = SelectField(
        column_label(Delivery, "result"), choices=DeliveryResult.choices, default=DeliveryResult.ACCEPTED.value
    )
    rejection_reason = StringField(column_label(Delivery, "rejection_reason"), [Optional(), Length(max=300)])
    acceptors = CheckboxListField(column_label(Delivery, "acceptors"), choices=[], validators=[Optional()])
    items = FieldList(FormField(DeliveryItemForm), min_entries=5, max_entries=40)


class RiskReportForm(FlaskForm):
    risks_found = TextAreaField(column_label(RiskReport, "risks_found"), [Optional(), Length(max=5000)])
    measures = TextAreaField(column_label(RiskReport, "measures"), [Optional(), Length(max=5000)])


class SignForm(FlaskForm):
    password = PasswordField(
        _l("Your password, to sign"), [InputRequired()], render_kw={"autocomplete": "current-password"}
    )


class MeetingForm(FlaskForm):
    held_on = DayField(column_label(DispatchMeeting, "held_on"), [InputRequired()])
    attendees = TextAreaField(column_label(DispatchMeeting, "attendees"), [InputRequired(), Length(max=2000)])
    issues = TextAreaField(column_label(DispatchMeeting, "issues"), [InputRequired(), Length(max=5000)])
    decisions = TextAreaField(column_label(DispatchMeeting, "decisions"), [InputRequired(), Length(max=5000)])


class LeftoverForm(FlaskForm):
    meal = SelectField(_l("Meal"), choices=[])
    school_class = SelectField(
        column_label(LeftoverWeighing, "school_class"), choices=[], validate_choice=False, default=""
    )
    kg = DecimalField(
        column_label(LeftoverWeighing, "kg"),
        [
            InputRequired(message=_l("Enter the leftovers in kilograms, 0 or more.")),
            NumberRange(min=0, max=10000, message=_l("Enter the leftovers in kilograms, 0 or more.")),
        ],
        places=2,
        render_kw={"inputmode": "decimal"},
    )
    diners = IntegerField(
        column_label(LeftoverWeighing, "diners"),
        [
            InputRequired(message=_l("Enter the diners of the meal: leftovers are counted per diner.")),
            NumberRange(
                min=1, max=100000, message=_l("Enter the diners of the meal: leftovers are counted per diner.")
            ),
        ],
        render_kw={"inputmode": "numeric"},
    )
    most_left_dish = SelectField(
        column_label(LeftoverWeighing, "most_left_dish"), choices=[], validate_choice=False, default=""
    )


class CommitteeActivityForm(FlaskForm):
    day = DayField(_l("Date"), [InputRequired(message=_l("Enter the day."))])
    kind = SelectField(column_label(CommitteeActivity, "kind"), choices=[])
    present = CheckboxListField(
        column_label(CommitteeActivity, "present"), choices=[], coerce=int, validate_choice=False
    )
    findings = TextAreaField(
        _l("Findings"),
        [Optional(), Length(max=2000)],
        description=_l("What the parents found wrong becomes a rectification task: choose who fixes it."),
    )
    responsible = SelectField(_l("Who fixes it"), choices=[], validate_choice=False, default="")
