"""The audit trail, read-only, in words: the action and the record by name, and each change
as "field: before → after" with the field's name."""

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from ..audit_text import changes, load_records, record_title
from ..extensions import db
from ..labels import action_label
from ..models import AuditEvent, JobFailure
from ..models.school import School
from ..permissions import Permission
from ..services import audit_search
from .base import PortalModelView
from .registry import register_view


def _changes_html(view, context, model, name):
    rows = changes(model)
    if not rows:
        return ""
    items = []
    for label, before, after in rows:
        if before is None:
            items.append(Markup("<li><strong>{}</strong>：{}</li>").format(label, after))
        elif after is None:
            items.append(Markup("<li><strong>{}</strong>：{}</li>").format(label, before))
        else:
            items.append(Markup("<li><strong>{}</strong>：{} → {}</li>").format(label, before, after))
    return Markup('<ul class="audit-changes">') + Markup("").join(items) + Markup("</ul>")


def _changes_text(view, context, model, name):
    return "；".join(
        f"{label}: {before if after is None else after if before is None else f'{before} → {after}'}"
        for label, before, after in changes(model)
    )


def _action(view, context, model, name):
    return action_label(model.action)


def _record(view, context, model, name):
    return record_title(model)


def _chain(view, context, model, name):
    if model.school_id is None:
        return _("County-level records")
    return str(db.session.get(School, model.school_id) or model.chain)


def _actor(view, context, model, name):
    return model.actor.display_name if model.actor is not None else (model.actor_name or _("The system"))


class AuditEventAdmin(PortalModelView):
    read_permission = Permission.AUDIT_READ
    allow_create = allow_edit = allow_delete = False

    column_list = ("occurred_at", "actor_name", "action", "object_type")
    column_details_list = (
        "occurred_at",
        "actor_name",
        "action",
        "object_type",
        "changes",
        "chain",
        "seq",
        "prev_hash",
        "hash",
    )
    column_export_list = column_details_list
    form_columns = ()
    column_searchable_list = ("action", "actor_name", "object_type")
    column_filters = ("occurred_at", "actor_name")
    column_default_sort = ("id", True)
    column_formatters = {"action": _action, "object_type": _record, "actor_name": _actor}
    column_formatters_detail = column_formatters | {"changes": _changes_html, "chain": _chain}
    column_formatters_export = column_formatters | {"changes": _changes_text, "chain": _chain}
    column_labels = {"changes": _l("Changes")}
    list_loading = (joinedload(AuditEvent.actor),)

    def search_placeholder(self):
        return _("Words of the action or the record, or a person's name")

    def get_list(self, *args, **kwargs):
        count, events = super().get_list(*args, **kwargs)
        g.audit_records = load_records(events)  # one query per kind, not one per row
        return count, events

    def _apply_search(self, query, count_query, joins, count_joins, search):
        """Each word as the reader writes it (services/audit_search.py), not only as stored."""
        for term in search.split():
            condition = audit_search.matching(term, current_user.school_id)
            query = query.filter(condition)
            count_query = count_query.filter(condition) if count_query is not None else None
        return query, count_query, joins, count_joins


class JobFailureAdmin(PortalModelView):
    """Background jobs that failed after their retries (portal/queue.py), newest first."""

    read_permission = Permission.AUDIT_READ
    allow_create = allow_edit = allow_delete = False

    column_list = ("failed_at", "job", "error")
    column_details_list = ("failed_at", "job", "arguments", "error")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("failed_at", "job")
    column_default_sort = ("id", True)
    column_formatters = {"job": lambda view, context, model, name: job_label(model.job)}


JOBS = {
    "freeze_signed": _l("Freezing signed inspections"),
    "make_export": _l("Making an evidence export"),
    "tick": _l("The routine every five minutes"),
}


def job_label(name):
    return str(JOBS.get(name, name))


register_view(AuditEventAdmin, AuditEvent, "audit_events", _l("Audit trail"))
register_view(JobFailureAdmin, JobFailure, "job_failures", _l("Failed background jobs"))
