"""The audit trail, read-only."""

import json

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..permissions import Permission
from .base import PortalModelView


def _json(view, context, model, name):
    value = getattr(model, name)
    if value is None:
        return ""
    return Markup('<pre class="audit-json">{}</pre>').format(json.dumps(value, ensure_ascii=False, indent=1))


class AuditEventAdmin(PortalModelView):
    read_permission = Permission.AUDIT_READ
    allow_create = allow_edit = allow_delete = False

    column_list = ("occurred_at", "actor_name", "action", "object_type", "object_id")
    column_details_list = (
        "occurred_at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "before",
        "after",
        "chain",
        "seq",
        "prev_hash",
        "hash",
    )
    column_export_list = column_details_list
    form_columns = ()
    column_searchable_list = ("action", "actor_name", "object_type")
    column_filters = ("action", "object_type", "occurred_at", "actor_name")
    column_default_sort = ("id", True)
    column_formatters_detail = {"before": _json, "after": _json}
    column_formatters_export = {
        "before": lambda v, c, m, n: json.dumps(m.before, ensure_ascii=False) if m.before else "",
        "after": lambda v, c, m, n: json.dumps(m.after, ensure_ascii=False) if m.after else "",
    }
    column_labels = {
        "occurred_at": _l("When"),
        "actor_name": _l("Who"),
        "action": _l("What"),
        "object_type": _l("Record type"),
        "object_id": _l("Record"),
        "before": _l("Before"),
        "after": _l("After"),
        "chain": _l("Chain"),
        "seq": _l("Number in chain"),
        "prev_hash": _l("Previous hash"),
        "hash": _l("Hash"),
    }
