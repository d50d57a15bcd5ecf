"""The food sample and food additive cabinets (models/cabinet.py), kept by the school admin."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.cabinet import Cabinet
from . import records


def save_cabinet(actor, cabinet, before):
    records.assign_school(actor, cabinet)
    cabinet.name = (cabinet.name or "").strip()
    if not cabinet.name:
        raise DomainError(_l("Name the cabinet."), field="name")
    if cabinet.purpose is None:
        raise DomainError(_l("Choose what the cabinet holds."), field="purpose")
    return records.save_record(actor, cabinet, before)


def cabinets_of(school_id, purpose):
    """The school's cabinets in use that hold ``purpose``, by name."""
    return db.session.scalars(
        sa.select(Cabinet)
        .where(Cabinet.school_id == school_id, Cabinet.purpose == purpose, Cabinet.active.is_(True))
        .order_by(Cabinet.name)
    ).all()
