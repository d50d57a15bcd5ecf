"""Column types shared by every model: UTC timestamps and translated enums."""

import enum
from datetime import UTC

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as UTC. Naive datetimes are refused, never guessed."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use portal.timeutil.utcnow() or an aware value")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class LabelledEnum(enum.StrEnum):
    """An enum whose members carry a translated label: subclasses define ``_labels()``."""

    @classmethod
    def _labels(cls):
        raise NotImplementedError

    @property
    def label(self):
        return self._labels()[self]

    @classmethod
    def choices(cls):
        return [(member.value, member.label) for member in cls]

    @classmethod
    def from_value(cls, value):
        """The member of a value in a URL, or None for a missing or unknown one."""
        try:
            return cls(value)
        except ValueError:
            return None


def enum_type(enum_class, name):
    """Stored as the member's value in a VARCHAR with a named CHECK constraint.

    Portable across SQLite and PostgreSQL, and a new member is one migration that
    rewrites the check constraint rather than an ALTER TYPE.
    """
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def label(text):
    """A column's (or relationship's) name in the reader's words, declared once beside it: the
    admin's columns, the evidence tables and the audit trail all read it (portal/labels.py)."""
    return {"label": text}
