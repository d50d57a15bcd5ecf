"""The audit trail searched as a person reads it: by the Chinese (or English) words of its
actions and kinds of record, by people's names, and by the codes as stored."""

import sqlalchemy as sa

from ..extensions import db
from ..labels import action_label, record_name
from ..models.audit import AuditEvent
from ..models.user import User


def matching(term, school_id=None):
    """The condition an event meets when ``term`` names its action, its kind of record, the
    person who did it or the person it was done to (a user's record)."""
    like = f"%{term.replace('%', '').replace('_', '')}%"
    lowered = term.casefold()
    events = sa.select(AuditEvent.action, AuditEvent.object_type).distinct()
    if school_id is not None:
        events = events.where(AuditEvent.school_id == school_id)
    actions, object_types = set(), set()
    for action, object_type in db.session.execute(events):
        if lowered in str(action_label(action)).casefold():
            actions.add(action)
        if lowered in str(record_name(object_type)).casefold():
            object_types.add(object_type)
    people = sa.select(User.id).where(User.display_name.ilike(like))
    if school_id is not None:
        people = people.where(User.school_id == school_id)
    return sa.or_(
        AuditEvent.action.ilike(like),
        AuditEvent.object_type.ilike(like),
        AuditEvent.actor_name.ilike(like),
        AuditEvent.action.in_(actions),
        AuditEvent.object_type.in_(object_types),
        AuditEvent.actor_id.in_(people),
        sa.and_(
            AuditEvent.object_type == "User",
            AuditEvent.object_id.in_(people.with_only_columns(sa.cast(User.id, sa.String))),
        ),
    )
