"""Training sessions and weekly meetings, with attendance and materials."""

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from wtforms import DecimalField, MultipleFileField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..errors import DomainError
from ..fields import CheckboxListField, SchoolDateTimeField
from ..login import current_actor as actor
from ..models.training import MAX_SESSION_HOURS, AttendanceStatus, TrainingAttendance, TrainingSession
from ..permissions import Permission
from ..services import files, training
from ..services.rectification import responsible_candidates
from .base import PortalModelView
from .registry import register_view


def _materials(view, context, model, name):
    return Markup("<br>").join(
        Markup('<a href="{}">{}</a>').format(url_for("files.download_file", file_id=m.id), m.original_name)
        for m in model.materials
    )


def _attendance(view, context, model, name):
    return f"{model.present_count}/{len(model.attendances)}"


def _rules(view, context, model, name):
    return "、".join(rule.title for rule in model.rules)


class TrainingSessionAdmin(PortalModelView):
    read_permission = Permission.TRAINING_READ
    write_permission = Permission.TRAINING_MANAGE

    column_list = ("starts_at", "title", "kind", "hours", "trainer", "attendance")
    list_loading = (selectinload(TrainingSession.attendances),)
    column_details_list = (
        "title",
        "kind",
        "starts_at",
        "hours",
        "organiser",
        "trainer",
        "location",
        "summary",
        "rules",
        "attendance",
        "materials",
    )
    column_export_list = (
        "title",
        "kind",
        "starts_at",
        "hours",
        "organiser",
        "trainer",
        "location",
        "summary",
        "rules",
        "attendance",
    )
    record_columns = (
        "title",
        "kind",
        "starts_at",
        "hours",
        "organiser",
        "trainer",
        "location",
        "summary",
        "rules",
        "attendances",
    )
    form_columns = ("present", *record_columns, "new_materials", "removed_materials")
    column_searchable_list = ("title", "trainer", "organiser")
    column_sortable_list = ("starts_at", "title", "kind", "hours")
    column_filters = ("kind", "starts_at")
    column_default_sort = ("starts_at", True)
    column_formatters = {"attendance": _attendance, "materials": _materials, "rules": _rules}
    column_formatters_export = {"attendance": _attendance, "rules": _rules}
    column_formatters_detail = column_formatters
    column_labels = {"attendance": _l("Present / listed"), "present": _l("Present")}
    form_overrides = {"starts_at": SchoolDateTimeField, "hours": DecimalField}
    form_args = {
        "starts_at": {"validators": [InputRequired()]},
        "hours": {
            "places": 1,
            "validators": [
                InputRequired(),
                NumberRange(min=0.1, max=MAX_SESSION_HOURS, message=_l("Hours must be more than 0 and at most 24.")),
            ],
        },
    }
    inline_models = [
        (
            TrainingAttendance,
            {
                "form_columns": ("id", "user", "status", "score"),
                "form_args": {"score": {"validators": [Optional(), NumberRange(min=0, max=100)]}},
            },
        )
    ]
    form_extra_fields = {
        "present": CheckboxListField(
            _l("Present"),
            coerce=int,
            validators=[Optional()],
            description=_l("Tick everyone who attended. Absences and scores go in the rows below."),
        ),
        "new_materials": MultipleFileField(_l("Add materials")),
        "removed_materials": CheckboxListField(_l("Remove materials"), coerce=int, validators=[Optional()]),
    }

    @staticmethod
    def _fit_upload(form):
        form.new_materials.render_kw = files.MATERIAL.input_attributes()
        form.new_materials.description = files.MATERIAL.description()
        return form

    @staticmethod
    def _fit_people(form):
        form.present.choices = [(user.id, user.display_name) for user in responsible_candidates(current_user.school_id)]
        return form

    def create_form(self, obj=None):
        form = self._fit_people(self._fit_upload(super().create_form(obj)))
        del form.removed_materials
        return form

    def edit_form(self, obj=None):
        form = self._fit_people(self._fit_upload(super().edit_form(obj)))
        form.removed_materials.choices = [(m.id, m.original_name) for m in obj.materials]
        if not obj.materials:
            del form.removed_materials
        return form

    def on_form_prefill(self, form, id):
        form.present.data = [a.user_id for a in self.get_one(id).attendances if a.status is AttendanceStatus.PRESENT]

    def apply_form(self, form, model):
        for name in self.record_columns:
            form[name].populate_obj(model, name)

    def save(self, form, model, before):
        uploads = [f for f in request.files.getlist(form.new_materials.name) if files.is_present(f)]
        removed = form.removed_materials.data if "removed_materials" in form else []
        try:
            training.save_session(
                actor(),
                model,
                before,
                present_ids=form.present.data or [],
                new_materials=uploads,
                removed_material_ids=removed or [],
            )
        except DomainError as exc:
            if exc.field is None and uploads:
                exc.field = "new_materials"
            raise

    def delete(self, model):
        training.delete_session(actor(), model)


register_view(TrainingSessionAdmin, TrainingSession, "training_sessions", _l("Training sessions"))
