"""The principal's part of an inspection: returning it to its inspector, signing off several
at once with the password, the queue waiting for a signature, and amending a signed one."""

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.inspection import (
    Inspection,
    InspectionAmendment,
    InspectionStatus,
)
from ..permissions import Permission
from ..timeutil import utcnow
from . import audit, notifications, users


def return_to_inspector(actor, inspection, reason):
    reason = (reason or "").strip()
    if not inspection.can_return(actor):
        raise DomainError(_l("Only the principal returns an inspection that was submitted and not yet signed off."))
    if not reason:
        raise DomainError(_l("Say why the inspection goes back."), field="reason")
    before = inspection.status
    inspection.status = InspectionStatus.RETURNED
    inspection.returned_at = utcnow()
    inspection.returned_reason = reason
    audit.record(actor, "inspection.returned", inspection, before={"status": before.value}, after={"reason": reason})
    notifications.inspection_returned(inspection)


def lock_for_sign_off(inspection_ids):
    """The inspections, re-read under a row lock (PostgreSQL) inside the write transaction
    (SQLite starts it with BEGIN IMMEDIATE), so a concurrent sign-off is seen, not lost."""
    return db.session.scalars(
        sa.select(Inspection)
        .where(Inspection.id.in_(inspection_ids))
        .order_by(Inspection.id)
        .with_for_update(of=Inspection)
        .execution_options(populate_existing=True)
    ).all()


def sign_off(actor, inspection_ids, password, comment="", now=None):
    """Sign several inspections in one confirmation; all or none."""
    if not actor.can(Permission.INSPECTION_SIGN_OFF):
        raise DomainError(_l("Only the principal signs off inspections."))
    users.check_own_password(actor, password)
    inspections = lock_for_sign_off(inspection_ids)
    if not inspections or len(inspections) != len(set(inspection_ids)):
        raise DomainError(_l("Choose the inspections to sign off."))
    now = now or utcnow()
    for inspection in inspections:
        _check_sign_off(actor, inspection)
        inspection.signed_off_at = now
        inspection.signed_off_by_id = actor.id
        inspection.sign_off_comment = (comment or "").strip() or None
        inspection.status = InspectionStatus.SIGNED_OFF
        audit.record(actor, "inspection.signed_off", inspection, after={"comment": inspection.sign_off_comment})
    return inspections


def _check_sign_off(actor, inspection):
    if inspection.school_id != actor.school_id:
        raise DomainError(_l("Record not found."))
    if inspection.status is InspectionStatus.SIGNED_OFF:
        raise DomainError(
            _l(
                "%(inspection)s was already signed off by %(name)s at %(when)s.",
                inspection=str(inspection),
                name=inspection.signed_off_by.display_name,
                when=format_datetime(inspection.signed_off_at, "yyyy-MM-dd HH:mm"),
            )
        )
    if inspection.status is not InspectionStatus.READY_FOR_SIGN_OFF:
        raise DomainError(_l("%(inspection)s is not ready for sign-off.", inspection=str(inspection)))
    if not inspection.can_sign_off(actor):
        raise DomainError(
            _l(
                "You inspected %(inspection)s yourself: every finding must be verified by someone else first.",
                inspection=str(inspection),
            )
        )


def sign_off_queue(school_id):
    return db.session.scalars(
        sa.select(Inspection)
        .where(Inspection.school_id == school_id, Inspection.status == InspectionStatus.READY_FOR_SIGN_OFF)
        .options(
            sa.orm.selectinload(Inspection.items),
            sa.orm.selectinload(Inspection.tasks),
            sa.orm.selectinload(Inspection.findings),
            sa.orm.joinedload(Inspection.inspector),
        )
        .order_by(Inspection.inspected_on, Inspection.id)
    ).all()


def amend(actor, inspection, reason, body):
    """A correction of a signed inspection, by the principal, beside the original."""
    if not actor.can(Permission.INSPECTION_AMEND) or actor.school_id != inspection.school_id:
        raise DomainError(_l("Only the principal amends a signed inspection."))
    if not inspection.is_signed_off:
        raise DomainError(_l("Only a signed-off inspection is amended; the others can still be corrected."))
    reason, body = (reason or "").strip(), (body or "").strip()
    if not reason:
        raise DomainError(_l("An amendment needs a reason."), field="reason")
    if not body:
        raise DomainError(_l("Write what is corrected."), field="body")
    amendment = InspectionAmendment(
        school_id=inspection.school_id, inspection_id=inspection.id, author_id=actor.id, reason=reason, body=body
    )
    db.session.add(amendment)
    db.session.flush()
    audit.record(
        actor, "inspection.amended", amendment, after={"inspection_id": inspection.id, "reason": reason, "body": body}
    )
    return amendment
