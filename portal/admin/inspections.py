"""Inspections: the records the inspection workflow drives. Only drafts change here."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from wtforms.validators import InputRequired

from ..login import current_actor as actor
from ..models.inspection import Finding, Inspection, InspectionItem, ItemResult
from ..permissions import Permission
from ..services import inspections
from .base import PortalModelView
from .registry import register_view


def _counts(view, context, model, name):
    failed = sum(1 for item in model.items if item.result is ItemResult.FAIL)
    return f"{len(model.items)} / {failed} / {len(model.findings)}"


class InspectionAdmin(PortalModelView):
    read_permission = Permission.INSPECTION_READ
    write_permission = Permission.INSPECTION_MANAGE

    column_list = ("inspected_on", "kind", "inspector", "area", "status", "counts")
    column_details_list = ("inspected_on", "kind", "inspector", "area", "status", "counts", "items", "findings")
    column_export_list = ("inspected_on", "kind", "inspector", "area", "status", "counts")
    form_columns = ("inspector", "kind", "inspected_on", "area", "items", "findings")
    column_sortable_list = ("inspected_on", "kind", "status")
    column_filters = ("kind", "status", "inspected_on")
    column_default_sort = ("inspected_on", True)
    column_formatters = {"counts": _counts}
    list_loading = (selectinload(Inspection.items), selectinload(Inspection.findings))
    column_formatters_export = column_formatters
    column_labels = {"counts": _l("Items / failed / findings")}
    form_args = {"inspected_on": {"validators": [InputRequired()]}}
    inline_models = [
        (
            InspectionItem,
            {
                "form_columns": ("id", "section", "text", "result", "note"),
            },
        ),
        (Finding, {"form_columns": ("id", "description")}),
    ]

    def save(self, form, model, before):
        inspections.save_draft(actor(), model, before)

    def delete(self, model):
        inspections.delete_draft(actor(), model)


register_view(InspectionAdmin, Inspection, "inspection_records", _l("Inspection records"))
