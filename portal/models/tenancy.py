"""One school per row, enforced on every flush whatever path wrote the row.

Every school-owned model carries ``school_id NOT NULL`` through ``SchoolOwned``. Before
each flush, ``check_tenancy`` compares a new or changed row with every row it points at
(many-to-one and many-to-many): a user of school A on a training of school B, or a
certificate of school B held by a user of school A, never reaches the database, whether
it came from an admin form, a service, the CLI or a test.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship

from .types import label


class CrossSchoolReference(Exception):
    def __init__(self, record, target):
        super().__init__(
            f"{type(record).__name__} of school {record.school_id} refers to "
            f"{type(target).__name__} {getattr(target, 'id', '?')} of school {target.school_id}"
        )
        self.record = record
        self.target = target


class SchoolOwned:
    # Indexed with the row's id (school_lists_index below): a school's list, newest first, reads
    # its own rows only, never the other schools' on a county server.
    @declared_attr
    def school_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("school.id", ondelete="RESTRICT"), nullable=False)

    @declared_attr
    def school(cls):
        # Loaded on first use: it is one row per school, soon in the session's identity map.
        return relationship("School", info=label(_l("School")))


@event.listens_for(SchoolOwned, "instrument_class", propagate=True)
def school_lists_index(_mapper, cls):
    """(school_id, id) on every school's table with an id; (school_id) alone where it has none."""
    table = cls.__table__
    columns = [table.c.school_id] + ([table.c.id] if "id" in table.c else [])
    sa.Index(f"ix_{table.name}_school_id" + ("_id" if "id" in table.c else ""), *columns)


class CountyWide:
    """A row every school shares, with no school of its own (the county's subsidy rates):
    read by every signed-in user, kept by the county."""


def _record_school(record):
    if record.school_id is not None:
        return record.school_id
    school = sa.inspect(record).attrs["school"].loaded_value
    return getattr(school, "id", None)


def _related_rows(session, record):
    state = sa.inspect(record)
    for rel in state.mapper.relationships:
        if rel.key == "school" or rel.viewonly:
            continue
        value = state.attrs[rel.key].loaded_value
        if rel.uselist:
            if rel.secondary is not None and value is not sa.orm.base.NO_VALUE:
                yield from value
            continue
        if value is not None and value is not sa.orm.base.NO_VALUE:
            yield value
            continue
        if rel.direction is not sa.orm.MANYTOONE:
            continue  # the foreign key is on the other side: nothing set here to check
        # Only the foreign key was set (record.user_id = 5): load what it points at.
        key = [getattr(record, state.mapper.get_property_by_column(c).key) for c in rel.local_columns]
        if None not in key:
            with session.no_autoflush:
                target = session.get(rel.mapper.class_, key[0] if len(key) == 1 else tuple(key))
            if target is not None:
                yield target


@event.listens_for(Session, "before_flush")
def check_tenancy(session, _flush_context, _instances):
    for record in list(session.new) + list(session.dirty):
        if not isinstance(record, SchoolOwned):
            continue
        school_id = _record_school(record)
        if school_id is None:
            continue
        for target in _related_rows(session, record):
            if not hasattr(target, "school_id") or _is_county_user(target):
                continue  # a county auditor may ask for a school's export: not another school
            if target.school_id != school_id:
                raise CrossSchoolReference(record, target)


def _is_county_user(target):
    return type(target).__name__ == "User" and target.school_id is None
