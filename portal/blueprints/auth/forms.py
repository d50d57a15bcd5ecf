from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ...labels import column_label
from ...models import User


class LoginForm(FlaskForm):
    username = StringField(
        column_label(User, "username"),
        [InputRequired(), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"), [InputRequired(), Length(max=128)], render_kw={"autocomplete": "current-password"}
    )
    next = HiddenField()


class ReauthenticateForm(FlaskForm):
    password = PasswordField(
        _l("Password"), [InputRequired(), Length(max=128)], render_kw={"autocomplete": "current-password"}
    )
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), [InputRequired()], render_kw={"autocomplete": "current-password"}
    )
    password = PasswordField(
        _l("New password"), [InputRequired(), Length(max=128)], render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        _l("New password again"),
        [InputRequired(), EqualTo("password", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"))
    next = HiddenField()


class LogoutForm(FlaskForm):
    pass
