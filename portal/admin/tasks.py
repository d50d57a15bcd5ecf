"""Rectification tasks, read-only: they change through the workflow pages."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_login import current_user
from markupsafe import Markup

from ..models import RectificationTask
from ..permissions import Permission
from ..timeutil import utcnow
from .base import PortalModelView
from .registry import register_view


def _overdue(view, context, model, name):
    if model.is_overdue(utcnow()):
        return Markup('<span class="badge badge-danger">{}</span>').format(pgettext("status", "Overdue"))
    return ""


def _link(view, context, model, name):
    if not current_user.can(Permission.OWN_RECORDS):  # the county reads the list, not the task's page
        return model.description
    return Markup('<a href="{}">{}</a>').format(url_for("tasks.show_task", task_id=model.id), model.description)


class RectificationTaskAdmin(PortalModelView):
    read_permission = Permission.INSPECTION_READ
    allow_create = allow_edit = allow_delete = False

    column_list = ("description", "responsible", "found_at", "deadline", "status", "overdue", "extension_count")
    column_details_list = (
        "description",
        "responsible",
        "found_at",
        "original_deadline",
        "deadline",
        "extension_count",
        "status",
        "rectification_note",
        "rectified_by",
        "rectified_at",
        "verified_by",
        "verified_at",
        "sent_back_count",
    )
    column_export_list = (
        "description",
        "responsible",
        "found_at",
        "deadline",
        "status",
        "rectified_at",
        "verified_at",
        "extension_count",
    )
    form_columns = ()
    column_filters = ("status", "found_at", "deadline")
    column_default_sort = ("found_at", True)
    column_formatters = {"overdue": _overdue, "description": _link}
    column_labels = {"overdue": _l("Overdue")}


register_view(RectificationTaskAdmin, RectificationTask, "rectification_tasks", _l("Rectification tasks"))
