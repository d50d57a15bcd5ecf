"""The audit trail, read-only, in words: the action and the record by name, and each change
as "field: before → after" with the field's name."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..extensions import db
from ..i18n import viewer_zone
from ..labels import action_label, field_label, model_class, record_name
from ..models.school import School
from ..models.types import LabelledEnum
from ..models.user import Role
from ..permissions import Permission
from .base import PortalModelView

EMPTY = "—"
# Keys whose values are the values of an enum that is not a column of the record.
KEY_ENUMS = {"roles": Role}


def readable_value(model, key, value):
    """A value as the audit trail stored it (JSON), as a person reads it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "、".join(readable_value(model, key, part) for part in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {readable_value(model, k, v)}" for k, v in value.items())
    column = model.__table__.columns.get(key) if model is not None else None
    enum_class = KEY_ENUMS.get(key) or getattr(getattr(column, "type", None), "enum_class", None)
    if enum_class is not None and issubclass(enum_class, LabelledEnum):
        try:
            return str(enum_class(value).label)
        except ValueError:
            return str(value)
    if str(value).isdigit() and (column is not None and column.foreign_keys or key.endswith("_id")):
        return _referenced_name(column, key, int(value))
    return _moment(value)


def _referenced_name(column, key, record_id):
    """The name of the record an id points at: through the column's foreign key, or for a
    key like rule_id that is not a column, the table of that name."""
    table_name = next(iter(column.foreign_keys)).column.table.name if column is not None else key.removesuffix("_id")
    target = next((m.class_ for m in db.Model.registry.mappers if m.local_table.name == table_name), None)
    record = db.session.get(target, record_id) if target is not None else None
    return str(record) if record is not None else f"#{record_id}"


def _moment(value):
    """ISO dates stay as they are; ISO moments are shown in school time."""
    text = str(value)
    if len(text) > 10 and text[4:5] == "-" and "T" in text:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        if moment.tzinfo is not None:
            moment = moment.astimezone(viewer_zone())
        return moment.strftime("%Y-%m-%d %H:%M")
    return text


def changes(event):
    """[(field name, before, after)] of one event, in a stable order."""
    model = model_class(event.object_type)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = list(before) + [key for key in after if key not in before]
    return [
        (
            field_label(event.object_type, key),
            readable_value(model, key, before.get(key)) if key in before else None,
            readable_value(model, key, after.get(key)) if key in after else None,
        )
        for key in keys
    ]


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
    return f"{record_name(model.object_type)} {model.object_id}".strip()


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
    column_labels = {
        "occurred_at": _l("When"),
        "actor_name": _l("Who"),
        "action": _l("What"),
        "object_type": _l("Record"),
        "changes": _l("Changes"),
        "chain": _l("Chain"),
        "seq": _l("Number in chain"),
        "prev_hash": _l("Previous hash"),
        "hash": _l("Hash"),
    }
