"""Staff certificates: recording them and reading their status in school time."""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models.certificate import Certificate, CertificateKind, CertificateStatus
from ..models.user import User
from ..timeutil import school_today
from . import files, records
from .errors import DomainError


def save_certificate(actor, certificate, before, *, scan_upload=None):
    records.assign_school(actor, certificate)
    if not certificate.dates_are_consistent():
        raise DomainError(_l("The expiry date must be after the date of issue."), field="expires_on")
    if certificate.holder is not None and certificate.holder.school_id != certificate.school_id:
        raise DomainError(_l("The holder is not a member of this school."), field="holder")
    if files.is_present(scan_upload):
        certificate.scan = files.store_upload(actor, certificate.school_id, scan_upload, files.SCAN)
    return records.save_record(actor, certificate, before)


def save_kind(actor, kind, before):
    records.assign_school(actor, kind)
    kind.name = (kind.name or "").strip()
    clash = db.session.scalar(
        sa.select(CertificateKind.id).where(
            CertificateKind.school_id == kind.school_id,
            CertificateKind.name == kind.name,
            CertificateKind.id != kind.id,
        )
    )
    if clash is not None:
        raise DomainError(_l("This kind of certificate is already on the list."), field="name")
    return records.save_record(actor, kind, before)


def delete_kind(actor, kind):
    in_use = db.session.scalar(sa.select(sa.func.count()).where(Certificate.kind_id == kind.id))
    if in_use:
        raise DomainError(_l("Certificates of this kind exist; it cannot be deleted."))
    records.delete_record(actor, kind)


@dataclass
class CertificateState:
    certificate: Certificate
    status: CertificateStatus


def states(certificates, school):
    today = school_today(school)
    days = school.settings.certificate_warning_days
    return [CertificateState(c, c.status_on(today, days)) for c in certificates]


def needing_attention(school):
    """Certificates of active holders that are expired or expire within the warning period."""
    horizon = school_today(school) + timedelta(days=school.settings.certificate_warning_days)
    candidates = db.session.scalars(
        sa.select(Certificate)
        .join(User, User.id == Certificate.holder_id)
        .where(
            Certificate.school_id == school.id,
            User.active.is_(True),
            Certificate.expires_on.is_not(None),
            Certificate.expires_on <= horizon,
        )
        .order_by(Certificate.expires_on)
    ).all()
    return states(candidates, school)


def of_holder(user):
    certificates = db.session.scalars(
        sa.select(Certificate).where(Certificate.holder_id == user.id).order_by(Certificate.expires_on)
    ).all()
    return states(certificates, user.school)
