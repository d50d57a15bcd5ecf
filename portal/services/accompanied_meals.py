"""陪餐: the leader's record of a meal (a problem becomes a rectification task) and the
parents' accompanied meals, counted per semester."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.accompanied_meal import AccompaniedMeal, ParentMeal
from ..permissions import Permission
from ..timeutil import utcnow
from . import records, rectification
from .canteen import refuse_unserved_meal, require_member, start_record


def save_accompanied_meal(actor, record, before, *, responsible=None, now=None):
    """Kept once per meal. Problems found (and any opinion "poor" must name one) become a
    rectification task for ``responsible`` when the record is first saved."""
    start_record(actor, record, "leader", now)
    refuse_unserved_meal(record)
    require_member(record, record.leader, "leader")
    if not record.leader.can(Permission.MEAL_ACCOMPANY):
        raise DomainError(
            _l(
                "An accompanied meal is recorded by a school leader: "
                "the principal, a vice principal or the leader on duty."
            ),
            field="leader",
        )
    record.problems = (record.problems or "").strip()
    if record.poor_aspects and not record.problems:
        raise DomainError(
            _l("Say what was wrong with: %(aspects)s.", aspects="、".join(str(a) for a in record.poor_aspects)),
            field="problems",
        )
    clash = db.session.scalar(
        sa.select(AccompaniedMeal.id).where(
            AccompaniedMeal.school_id == record.school_id,
            AccompaniedMeal.day == record.day,
            AccompaniedMeal.meal == record.meal,
            AccompaniedMeal.id != record.id,
            AccompaniedMeal.standing(),
        )
    )
    if clash is not None:
        raise DomainError(_l("This meal already has an accompanied-meal record."), field="meal")
    if before is not None and record.problems != before.get("problems"):
        raise DomainError(_l("The problems found are a rectification task now; correct them there."), field="problems")
    if before is None and record.problems and responsible is None:
        raise DomainError(_l("Choose who fixes: %(finding)s", finding=record.problems), field="responsible")
    event = records.save_record(actor, record, before, now)
    if before is None and record.problems:
        rectification.create_ledger_task(actor, record, record.problems, responsible, now or utcnow())
    return event


def save_parent_meal(actor, record, before, now=None):
    start_record(actor, record, "recorded_by", now)
    refuse_unserved_meal(record)
    record.parent_name = (record.parent_name or "").strip()
    record.class_name = (record.class_name or "").strip()
    if not record.parent_name:
        raise DomainError(_l("Enter the parent's name."), field="parent_name")
    if not record.class_name:
        raise DomainError(_l("Enter the student's class."), field="class_name")
    return records.save_record(actor, record, before, now)


def parent_meal_count(school_id, first, last):
    return db.session.scalar(
        sa.select(sa.func.count(ParentMeal.id)).where(
            ParentMeal.school_id == school_id, ParentMeal.day.between(first, last)
        )
    )
