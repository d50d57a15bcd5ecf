"""Checklist templates and their versions. A version in use never changes: edit a draft
copy and publish it."""

from flask import flash
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..login import current_actor as actor
from ..models import ChecklistTemplate
from ..models.checklist import ChecklistEntry, ChecklistVersion
from ..permissions import Permission
from ..services import checklists, records
from .base import PortalModelView
from .registry import register_view


def _item_count(view, context, model, name):
    return len(model.entries)


class ChecklistTemplateAdmin(PortalModelView):
    read_permission = Permission.INSPECTION_READ
    write_permission = Permission.CHECKLIST_MANAGE
    allow_delete = False

    column_list = ("name", "created_at")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = ("name",)

    def save(self, form, model, before):
        records.save_record(actor(), model, before)

    @action("new_version", _l("Start a new version"), None)
    def action_new_version(self, ids):
        if self.apply_to_rows(ids, checklists.start_new_version) is not None:
            flash(_("A draft version was started: edit it under Checklist versions, then publish it."), "success")


class ChecklistVersionAdmin(PortalModelView):
    read_permission = Permission.INSPECTION_READ
    write_permission = Permission.CHECKLIST_MANAGE
    allow_create = False  # a version starts as a copy, from the template list

    column_list = ("template", "number", "status", "items", "published_at")
    list_loading = (selectinload(ChecklistVersion.entries),)  # the template is joined by Flask-Admin
    column_details_list = ("template", "number", "status", "published_at", "entries")
    column_export_list = ("template", "number", "status", "items", "published_at")
    form_columns = ("entries",)
    column_filters = ("status",)
    column_default_sort = ("id", True)
    column_formatters = {"items": _item_count}
    column_formatters_export = column_formatters
    column_labels = {"items": _l("Items")}
    inline_models = [
        (
            ChecklistEntry,
            {
                "form_columns": ("id", "section", "text", "rule"),
            },
        )
    ]

    def save(self, form, model, before):
        checklists.save_draft_version(actor(), model, before)

    def delete(self, model):
        checklists.delete_draft_version(actor(), model)

    @action("publish", _l("Publish"), _l("Publish the selected draft? New inspections will use it."))
    def action_publish(self, ids):
        if self.apply_to_rows(ids, checklists.publish) is not None:
            flash(_("Published."), "success")


register_view(ChecklistTemplateAdmin, ChecklistTemplate, "checklist_templates", _l("Checklists"))
register_view(ChecklistVersionAdmin, ChecklistVersion, "checklist_versions", _l("Checklist versions"))
