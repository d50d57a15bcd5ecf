"""The values of an audit event as a reader writes them: a date as a date, a moment in the
school's time, an enum by its label, a referenced record by its name, and one sentence for
a person told of a change."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from .due import RULES
from .extensions import db
from .i18n import viewer_zone
from .labels import FIELDS, action_label, field_label, model_class, record_name
from .models.access import Role
from .models.types import LabelledEnum

EMPTY = "—"
# Keys whose values are the values of an enum that is not a column of the record.
KEY_ENUMS = {"roles": Role}


def _due_rule_name(key):
    return str(RULES[key].name) if key in RULES else key


# Keys whose values are codes of a registry, named there.
KEY_NAMES = {"rule": _due_rule_name}


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
    if key in KEY_NAMES and isinstance(value, str):
        return KEY_NAMES[key](value)
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


def describe_event(event):
    """One sentence for a person told about a change: when, who, what, and the changes."""
    details = "；".join(
        f"{label}：{after if before is None else before if after is None else f'{before} → {after}'}"
        for label, before, after in changes(event)
        if label != FIELDS["updated_at"]
    )
    return _(
        "%(when)s %(who)s — %(what)s%(details)s",
        when=_moment(event.occurred_at.isoformat()),
        who=_who(event),
        what=action_label(event.action),
        details=f"（{details}）" if details else "",
    )


def _who(event):
    return event.actor.display_name if event.actor is not None else _("The system")


def describe_account_change(event):
    """What someone else did to a person's account, told at their next login: its creation in
    one sentence (what was set is on the account's own page), a later change in full."""
    if event.action == "user.created":
        return _(
            "Your account was created by %(who)s on %(when)s.",
            who=_who(event),
            when=_moment(event.occurred_at.isoformat()),
        )
    return describe_event(event)


def load_records(events):
    """The records a page of events is about, one query per kind, so that record_title finds
    each loaded. Returns them: the session holds loaded rows only while they are referenced."""
    wanted = {}
    for event in events:
        model = model_class(event.object_type)
        if model is not None and event.object_id.isdigit():
            wanted.setdefault(model, set()).add(int(event.object_id))
    loaded = []
    for model, ids in wanted.items():
        key = sa.inspect(model).primary_key[0]
        loaded += db.session.scalars(sa.select(model).where(key.in_(ids))).all()
    return loaded


def record_title(event):
    """The record an event is about, as a person recognises it: its kind and its name (the
    person, the dish and its day...), or its number when it has no name or is gone."""
    kind = record_name(event.object_type)
    model = model_class(event.object_type)
    record = db.session.get(model, int(event.object_id)) if model is not None and event.object_id.isdigit() else None
    named = record is not None and type(record).__str__ is not object.__str__
    return f"{kind} {record if named else event.object_id}".strip()
