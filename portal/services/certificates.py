"""Staff certificates: recording them and reading their status in school time."""

from dataclasses import dataclass
from datetime import time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import Gap, at
from ..errors import DomainError
from ..extensions import db
from ..models.certificate import Certificate, CertificateKind, CertificateStatus
from ..models.school import school_of
from ..models.user import User
from ..timeutil import add_months, school_today
from . import files, records, users


def save_certificate(actor, certificate, before, *, scan_upload=None):
    records.assign_school(actor, certificate)
    if certificate.issued_on is not None and certificate.issued_on > school_today(school_of(certificate)):
        raise DomainError(_l("The date of issue is in the future."), field="issued_on")
    if not certificate.dates_are_consistent():
        raise DomainError(_l("The expiry date must be after the date of issue."), field="expires_on")
    kind = certificate.kind or db.session.get(CertificateKind, certificate.kind_id)
    if kind is not None and kind.required_for_food_handling and certificate.expires_on is None:
        raise DomainError(_l("A %(kind)s expires: enter its expiry date.", kind=kind.name), field="expires_on")
    if kind is not None and kind.valid_months and certificate.expires_on and certificate.issued_on:
        longest = add_months(certificate.issued_on, kind.valid_months)
        if certificate.expires_on > longest:
            raise DomainError(
                _l(
                    "A %(kind)s is valid at most %(months)d months from its issue: not after %(day)s.",
                    kind=kind.name,
                    months=kind.valid_months,
                    day=longest.isoformat(),
                ),
                field="expires_on",
            )
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
    holder: User
    kind: CertificateKind
    status: CertificateStatus
    # None when the holder has none of this kind (status MISSING).
    certificate: Certificate | None = None


def _current_of_each_kind(certificates, today):
    """Per (holder, kind): the certificate that counts today (valid longest; one issued in
    the future does not count yet) and the ones it replaced."""
    current, replaced = {}, []
    for certificate in certificates:
        if certificate.issued_on > today:
            continue
        key = (certificate.holder_id, certificate.kind_id)
        best = current.get(key)
        if best is None or certificate.lasts_longer_than(best):
            if best is not None:
                replaced.append(best)
            current[key] = certificate
        else:
            replaced.append(certificate)
    return current, replaced


def current_certificates(school, today):
    """The certificates that count today, of the school's active people (one per holder and kind)."""
    certificates = db.session.scalars(
        sa.select(Certificate)
        .join(Certificate.holder)
        .where(Certificate.school_id == school.id, User.active.is_(True))
        .options(sa.orm.contains_eager(Certificate.holder), sa.orm.joinedload(Certificate.kind))
    ).all()
    return list(_current_of_each_kind(certificates, today)[0].values())


def needing_attention(school):
    """What a person must act on today: a holder whose current certificate of a kind is
    expired or expires within the warning period, and a canteen worker with no certificate
    at all of a kind required to handle food. A certificate a newer one replaced is history."""
    certificates = db.session.scalars(
        sa.select(Certificate)
        .join(Certificate.holder)
        .where(Certificate.school_id == school.id, User.active.is_(True))
        .options(sa.orm.contains_eager(Certificate.holder))
    ).all()
    return _attention(school, certificates, users.canteen_workers(school.id), required_kinds(school.id))


def attention_counts(schools):
    """{school id: (without a valid certificate, expiring)}: what needing_attention counts,
    computed in the database for a county's schools (tests/test_county_pages.py holds the
    two to the same answers). The current certificate of a holder and kind is the one valid
    longest, as Certificate.lasts_longer_than decides."""
    ids = [school.id for school in schools]
    today = school_today(schools[0]) if schools else school_today()
    warning = {school.id: school.settings.certificate_warning_days for school in schools}
    ranked = (
        sa.select(
            Certificate.school_id,
            Certificate.expires_on,
            sa.func.row_number()
            .over(
                partition_by=(Certificate.holder_id, Certificate.kind_id),
                order_by=(
                    Certificate.expires_on.is_(None).desc(),
                    Certificate.expires_on.desc(),
                    Certificate.issued_on.desc(),
                ),
            )
            .label("rank"),
        )
        .join(User, User.id == Certificate.holder_id)
        .where(Certificate.school_id.in_(ids), User.active.is_(True), Certificate.issued_on <= today)
        .subquery()
    )
    alarming = db.session.execute(
        sa.select(ranked.c.school_id, ranked.c.expires_on).where(
            ranked.c.rank == 1,
            ranked.c.expires_on <= today + timedelta(days=max(warning.values(), default=0)),
        )
    ).all()
    counts = {school_id: [0, 0] for school_id in ids}
    for school_id, expires_on in alarming:
        if expires_on < today:
            counts[school_id][0] += 1
        elif expires_on <= today + timedelta(days=warning[school_id]):
            counts[school_id][1] += 1
    has_current = (
        sa.select(Certificate.id)
        .where(
            Certificate.holder_id == User.id,
            Certificate.kind_id == CertificateKind.id,
            Certificate.issued_on <= today,
        )
        .exists()
    )
    missing = db.session.execute(
        sa.select(User.school_id, sa.func.count())
        .join(CertificateKind, CertificateKind.school_id == User.school_id)
        .where(
            User.school_id.in_(ids),
            User.active.is_(True),
            User.canteen_worker.is_(True),
            CertificateKind.required_for_food_handling.is_(True),
            ~has_current,
        )
        .group_by(User.school_id)
    ).all()
    for school_id, number in missing:
        counts[school_id][0] += number
    return {school_id: tuple(pair) for school_id, pair in counts.items()}


def _attention(school, certificates, workers, required):
    today = school_today(school)
    days = school.settings.certificate_warning_days
    current, _replaced = _current_of_each_kind(certificates, today)
    states = [
        CertificateState(c.holder, c.kind, status, c)
        for c in current.values()
        if (status := c.status_on(today, days)).is_alarm
    ]
    for worker in workers:
        for kind in required:
            if (worker.id, kind.id) not in current:
                states.append(CertificateState(worker, kind, CertificateStatus.MISSING))
    order = {CertificateStatus.MISSING: 0, CertificateStatus.EXPIRED: 1, CertificateStatus.EXPIRING: 2}
    return sorted(
        states,
        key=lambda s: (order[s.status], s.certificate.expires_on if s.certificate else today, s.holder.name_pinyin),
    )


def of_holder(user):
    """All of a person's certificates with their status; a replaced one says so."""
    certificates = db.session.scalars(
        sa.select(Certificate).where(Certificate.holder_id == user.id).order_by(Certificate.expires_on)
    ).all()
    today = school_today(user.school)
    days = user.school.settings.certificate_warning_days
    _current, replaced = _current_of_each_kind(certificates, today)
    return [
        CertificateState(
            c.holder, c.kind, CertificateStatus.SUPERSEDED if c in replaced else c.status_on(today, days), c
        )
        for c in certificates
    ]


def required_kinds(school_id):
    return db.session.scalars(
        sa.select(CertificateKind)
        .where(CertificateKind.school_id == school_id, CertificateKind.required_for_food_handling.is_(True))
        .order_by(CertificateKind.name)
    ).all()


# --- what is due, for the reminders (portal/due_rules.py) -------------------------------------


def find_certificates(context, choice):
    return [
        Gap(
            f"{certificate.id}",
            at(certificate.expires_on + timedelta(days=1), time(0), context.school),
            _(
                "%(person)s: %(kind)s expires on %(day)s",
                person=certificate.holder.display_name,
                kind=certificate.kind.name,
                day=certificate.expires_on.isoformat(),
            ),
            ("mine.list_my_certificates", {}),
            (certificate.holder_id,),
        )
        for certificate in current_certificates(context.school, context.today)
        if certificate.expires_on is not None and certificate.expires_on <= context.today + timedelta(days=366)
    ]
