"""Users and their roles. Changing them needs a fresh login."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from ..extensions import db
from ..fields import CheckboxListField
from ..login import current_actor as actor
from ..models import User
from ..models.access import Role
from ..models.school import School
from ..permissions import DESIGNATION_PERMISSIONS as DESIGNATIONS
from ..permissions import Permission, grantable_designations, grantable_roles
from ..services import users
from ..tenancy import get_or_404, scope
from .base import PortalModelView
from .registry import register_view


def _roles_formatter(view, context, model, name):
    return "、".join(str(role.label) for role in sorted(model.roles))


def _grantable_choices():
    return [(role.value, role.label) for role in Role if role in grantable_roles(current_user)]


def _school_choices():
    schools = db.session.scalars(scope(db.select(School), School).order_by(School.name)).all()
    return [("", "—")] + [(str(school.id), school.name) for school in schools]


def _designations(form, default):
    return {name: form[name].data if name in form else default for name in DESIGNATIONS}


class UserForm:
    username = StringField(_l("Username"), [InputRequired(), Length(min=3, max=64)])
    display_name = StringField(_l("Name"), [InputRequired(), Length(max=64)])
    email = EmailField(
        _l("Email"), [Optional(), Email(), Length(max=254)], description=_l("Optional: notifications by email.")
    )
    school = SelectField(_l("School"), choices=_school_choices, validators=[Optional()])
    roles = CheckboxListField(_l("Roles"), choices=_grantable_choices, coerce=Role)
    active = BooleanField(_l("Active"), default=True)
    canteen_worker = BooleanField(
        _l("Canteen worker"),
        description=_l("On the canteen roster: a morning check every school day, a valid health certificate."),
    )
    school_leader = BooleanField(
        _l("School leader"),
        description=_l("校级领导 (principal, vice principal, leader on duty): records accompanied meals."),
    )
    dormitory_manager = BooleanField(
        _l("Dormitory manager"),
        description=_l("宿舍管理员: checks the dormitory rooms every boarding day."),
    )
    food_safety_manager = BooleanField(
        _l("Food-safety manager"),
        description=_l("食品安全员/总监: completes and signs the weekly risk report."),
    )
    password = PasswordField(
        _l("Password"),
        [Optional(), Length(max=128)],
        description=_l("Leave empty to keep the current password."),
    )


class UserAdmin(PortalModelView):
    read_permission = Permission.USER_READ
    write_permission = Permission.USER_MANAGE
    fresh_login_views = frozenset({"create_view", "edit_view", "delete_view", "action_view"})
    allow_delete = False  # people leave: deactivate them, their records stay theirs

    column_list = ("username", "display_name", "school", "roles", "canteen_worker", "active", "last_login_at")
    column_details_list = (
        "username",
        "display_name",
        "school",
        "roles",
        "canteen_worker",
        "food_safety_manager",
        "school_leader",
        "dormitory_manager",
        "active",
        "created_at",
        "last_login_at",
    )
    column_export_list = column_list
    form_columns = ()
    column_searchable_list = ("username", "display_name", "name_initials")  # "wxy" finds 王晓燕
    column_sortable_list = ("username", "last_login_at")
    column_sorted_by = {"display_name": "name_pinyin"}
    column_default_sort = ("name_pinyin", False)
    column_filters = ("active",)
    column_formatters = {"roles": _roles_formatter}
    column_formatters_export = column_formatters
    column_formatters_detail = column_formatters
    column_labels = {"roles": _l("Roles")}

    def scaffold_form(self):
        return type("UserAdminForm", (self.form_base_class, UserForm), {})

    def create_form(self, obj=None):
        form = super().create_form(obj)
        form.password.validators = [InputRequired(), Length(max=128)]
        form.password.description = ""
        return self._fit_school_field(form)

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        form.username.render_kw = {"readonly": True}
        if request.method == "GET":
            form.school.data = str(obj.school_id or "")
            form.roles.data = sorted(obj.roles & grantable_roles(current_user))
        return self._fit_school_field(form)

    @staticmethod
    def _fit_school_field(form):
        """Only county admins choose a school; school admins manage their own. A
        designation the editor may not grant is not on the form."""
        if current_user.school_id is not None:
            del form.school
        for name in DESIGNATIONS:
            if name not in grantable_designations(current_user):
                del form[name]
        return form

    def apply_form(self, form, model):
        """The service applies every field."""

    def save(self, form, model, before):
        if "school" in form:
            school = get_or_404(School, form.school.data) if form.school.data else None
        else:
            school = current_user.school
        if before is None:
            return users.create_user(
                actor(),
                username=form.username.data,
                display_name=form.display_name.data,
                password=form.password.data,
                roles=form.roles.data,
                school=school,
                active=form.active.data,
                email=form.email.data,
                canteen_worker=form.canteen_worker.data,
                **_designations(form, default=False),
            )
        return users.update_user(
            actor(),
            model,
            display_name=form.display_name.data,
            roles=form.roles.data,
            school=school,
            active=form.active.data,
            password=form.password.data or None,
            email=form.email.data,
            canteen_worker=form.canteen_worker.data,
            **_designations(form, default=None),
        )


register_view(UserAdmin, User, "users", _l("Users"))
