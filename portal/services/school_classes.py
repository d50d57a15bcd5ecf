"""The school's class list: kept by the school admin, added to from a roster import's
preview in one confirmed step, and the names every import is checked against."""

import unicodedata

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.school_class import SchoolClass
from ..models.user import User
from . import audit, records


def normal_name(text):
    """One spelling of a class name: full-width brackets and digits as half-width, no spaces
    (七年级（1）班 and 七年级(1)班 are the same class)."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def names_of(school_id):
    return set(
        db.session.scalars(
            sa.select(SchoolClass.name).where(SchoolClass.school_id == school_id, SchoolClass.active.is_(True))
        )
    )


def classes_of(school_id):
    return db.session.scalars(
        sa.select(SchoolClass).where(SchoolClass.school_id == school_id).order_by(SchoolClass.name)
    ).all()


def save_class(actor, school_class, before):
    records.assign_school(actor, school_class)
    school_class.name = normal_name(school_class.name)
    if not school_class.name or len(school_class.name) > 40:
        raise DomainError(_l("Name the class, in at most 40 characters."), field="name")
    with db.session.no_autoflush:
        twin = db.session.scalar(
            sa.select(SchoolClass.id).where(
                SchoolClass.school_id == school_class.school_id,
                SchoolClass.name == school_class.name,
                SchoolClass.id != school_class.id,
            )
        )
        teacher = db.session.get(User, school_class.class_teacher_id) if school_class.class_teacher_id else None
    if twin is not None:
        raise DomainError(_l("The school has a class of this name already."), field="name")
    if teacher is not None and teacher.school_id != school_class.school_id:
        raise DomainError(_l("The class teacher works at another school."), field="class_teacher")
    return records.save_record(actor, school_class, before)


def add_classes(actor, names):
    """The classes a roster import named that the list lacked, added once the clerk has seen them."""
    known = {school_class.name for school_class in classes_of(actor.school_id)}
    added = sorted({normal_name(name) for name in names} - known - {""})
    for name in added:
        db.session.add(SchoolClass(school_id=actor.school_id, name=name))
    db.session.flush()
    if added:
        audit.record(actor, "school_class.added", actor.school, after={"classes": added})
    return added
