"""The audit trail searched as a person reads it: by the Chinese (or English) words of its
actions and kinds of record, by people's names, and by the codes as stored.

The words are matched against the portal's own labels (labels.py), never against the distinct
actions of the trail: on a city's server that trail holds millions of events, and reading its
distinct actions took longer than the search itself."""

import sqlalchemy as sa

from ..labels import VERBS, action_subjects, record_name
from ..models.audit import AuditEvent
from ..models.user import User


def matching(term, school_id=None):
    """The condition an event meets when ``term`` names its action, its kind of record, the
    person who did it or the person it was done to (a user's record)."""
    like = f"%{term.replace('%', '').replace('_', '')}%"
    people = sa.select(User.id).where(User.display_name.ilike(like))
    if school_id is not None:
        people = people.where(User.school_id == school_id)
    return sa.or_(
        AuditEvent.action.ilike(like),
        AuditEvent.object_type.ilike(like),
        AuditEvent.actor_name.ilike(like),
        *_labelled(term.casefold()),
        AuditEvent.actor_id.in_(people),
        sa.and_(
            AuditEvent.object_type == "User",
            AuditEvent.object_id.in_(people.with_only_columns(sa.cast(User.id, sa.String))),
        ),
    )


def _labelled(words):
    """Events whose action or record reads ``words``: 留样 (a kind of record), 已验证 (a verb), or
    part of the label as shown across its colon, 整改任务：已验证."""
    record_words, colon, verb_words = words.replace("：", ":").partition(":")
    if colon:  # the record's name ends with the first part, the verb begins with the second
        subjects = _subjects(lambda name: name.endswith(record_words.strip()))
        verbs = _verbs(lambda label: label.startswith(verb_words.strip()))
        return [AuditEvent.action.in_([f"{subject}.{verb}" for subject in subjects for verb in verbs])]

    def reads_words(text):
        return words in text

    kinds = sorted({name for name in action_subjects().values() if reads_words(str(record_name(name)).casefold())})
    return [
        AuditEvent.object_type.in_(kinds),
        *(AuditEvent.action.startswith(f"{subject}.", autoescape=True) for subject in _subjects(reads_words)),
        *(AuditEvent.action.endswith(f".{verb}", autoescape=True) for verb in _verbs(reads_words)),
    ]


def _subjects(reads):
    return sorted(subject for subject, name in action_subjects().items() if reads(str(record_name(name)).casefold()))


def _verbs(reads):
    return sorted(verb for verb, label in VERBS.items() if reads(str(label).casefold()))
