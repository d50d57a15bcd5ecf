from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, FormField, IntegerField, PasswordField, SelectField, StringField, TimeField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...due import MONTH_DAY, WEEKDAY, rules
from ...models.reminder import Platform

WEEKDAYS = [
    SelectChoice(1, _l("Monday")),
    SelectChoice(2, _l("Tuesday")),
    SelectChoice(3, _l("Wednesday")),
    SelectChoice(4, _l("Thursday")),
    SelectChoice(5, _l("Friday")),
    SelectChoice(6, _l("Saturday")),
    SelectChoice(7, _l("Sunday")),
]
MONTH_DAYS = [SelectChoice(n, str(n)) for n in range(1, 29)]


class GroupChatForm(FlaskForm):
    platform = SelectField(_l("Group chat"), choices=Platform.choices)
    webhook_url = StringField(
        _l("Group robot's webhook address"),
        [Length(max=500)],
        description=_l(
            "From the robot's settings in the group: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… (WeCom) "
            "or https://oapi.dingtalk.com/robot/send?access_token=… (DingTalk)."
        ),
    )
    webhook_secret = PasswordField(
        _l("DingTalk signing secret (加签)"),
        [Length(max=100)],
        description=_l("Only for a DingTalk robot secured by signing. Leave empty to keep the saved one."),
    )
    clear_secret = BooleanField(_l("Remove the saved secret"))
    messages_from = TimeField(_l("School hours begin"), [InputRequired(message=_l("Enter a time."))])
    messages_until = TimeField(
        _l("School hours end"),
        [InputRequired(message=_l("Enter a time."))],
        description=_l("Outside school hours and on days without school only escalations are sent."),
    )
    digest_at = TimeField(
        _l("Daily digest at"),
        [InputRequired(message=_l("Enter a time."))],
        description=_l("Those who chose a daily digest get one email at this time."),
    )


class RuleChoiceForm(Form):
    enabled = BooleanField(_l("On"))
    lead = IntegerField(
        _l("Lead time"),
        [
            InputRequired(message=_l("Enter a lead time of 0 or more.")),
            NumberRange(min=0, max=100000, message=_l("Enter a lead time of 0 or more.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    due_time = TimeField(_l("Due at"), [Optional()])
    due_day = IntegerField(_l("Due day"), [Optional()], render_kw={"inputmode": "numeric"})


def rules_form_class():
    """One row per due rule; a weekly rule's day is a weekday to choose."""
    fields = {}
    for rule in rules():
        row = RuleChoiceForm
        if rule.due == WEEKDAY:
            row = type(
                "WeekdayChoiceForm",
                (RuleChoiceForm,),
                {"due_day": SelectField(_l("Due day"), choices=WEEKDAYS, coerce=int)},
            )
        elif rule.due == MONTH_DAY:
            row = type(
                "MonthDayChoiceForm",
                (RuleChoiceForm,),
                {"due_day": SelectField(_l("Due day"), choices=MONTH_DAYS, coerce=int)},
            )
        fields[rule.key] = FormField(row, label=rule.name)
    return type("RulesForm", (FlaskForm,), fields)


RulesForm = rules_form_class()
