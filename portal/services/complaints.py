"""校园食安码 complaints (models/complaint.py): received from a phone with no login (the text, a
photo bounded like every photo, a contact if wanted), answered by the school's office within
ANSWER_WITHIN (a due rule prompts at once and escalates to the principal), a problem the answer
confirms a rectification task. Nothing the phone sends is trusted: one device cookie the server
signed, kept as a keyed hash like its network address."""

import hashlib
import hmac

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import Gap
from ..errors import DomainError
from ..extensions import db
from ..figures import DANGER, WARNING, Figure, register
from ..models.complaint import CONTACT_MAX, TEXT_MAX, Complaint
from ..timeutil import utcnow, zone
from . import audit, files, records, rectification
from .canteen import require_fixer

# What the audit trail keeps of a complaint: never the contact, the device or the address.
NOT_AUDITED = {"contact", "device", "address"}


def _keyed(school, value):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"complaint:{school.id}:{value}".encode(), hashlib.sha256).hexdigest()


def _snapshot(complaint):
    return {key: value for key, value in audit.snapshot(complaint).items() if key not in NOT_AUDITED}


def receive(school, text, *, contact="", photo=None, device_cookie, address, now=None):
    """A complaint from a phone; ``photo`` an upload or None."""
    now = now or utcnow()
    text, contact = (text or "").strip(), (contact or "").strip()
    if not text:
        raise DomainError(_l("Say what happened: the dish, the day, what was wrong."), field="text")
    if len(text) > TEXT_MAX:
        raise DomainError(_l("Keep it to %(n)d characters.", n=TEXT_MAX), field="text")
    if len(contact) > CONTACT_MAX:
        raise DomainError(_l("A telephone or a WeChat id of at most %(n)d characters.", n=CONTACT_MAX), field="contact")
    complaint = Complaint(
        school_id=school.id,
        received_at=now,
        day=now.astimezone(zone(school)).date(),
        text=text,
        contact=contact,
        device=_keyed(school, device_cookie),
        address=_keyed(school, address),
    )
    if files.is_present(photo):
        complaint.photo = files.store_upload(None, school.id, photo, files.COMPLAINT_PHOTO)
    db.session.add(complaint)
    db.session.flush()
    audit.record(None, "complaint.created", complaint, after=_snapshot(complaint))
    return complaint


def answer(actor, complaint, text, *, problem="", responsible=None, now=None):
    """The school's answer, which freezes the complaint; a ``problem`` it confirms becomes a
    rectification task for ``responsible``."""
    now = now or utcnow()
    if complaint.school_id != actor.school_id or not actor.can("complaint.answer"):
        raise DomainError(_l("A complaint is answered by the principal, the director or the school admin."))
    if complaint.is_answered:
        raise DomainError(_l("This complaint is answered and can no longer be changed."))
    text, problem = (text or "").strip(), (problem or "").strip()
    if not text:
        raise DomainError(_l("Write the answer: what was found and what the canteen does."), field="answer")
    if problem:
        require_fixer(complaint, problem, responsible)
    complaint.answer, complaint.problem = text, problem
    complaint.signed_by_id, complaint.signed_at = actor.id, now
    db.session.flush()
    audit.record(actor, "complaint.answered", complaint, after={"answer": text, "problem": problem})
    if problem:
        rectification.create_ledger_task(actor, complaint, problem, responsible, now)
    return complaint


def complaints_of(school_id):
    return db.session.scalars(
        sa.select(Complaint).where(Complaint.school_id == school_id).order_by(Complaint.received_at.desc())
    ).all()


def sent_from(school, device_cookie):
    """The complaints this phone sent to the school, newest first: their answers are shown on it."""
    if device_cookie is None:
        return []
    return db.session.scalars(
        sa.select(Complaint)
        .where(Complaint.school_id == school.id, Complaint.device == _keyed(school, device_cookie))
        .order_by(Complaint.received_at.desc())
        .limit(20)
    ).all()


def counts_many(school_ids, first, last, now=None):
    """{school id: (complaints received first..last, of them not answered, of them answered late
    or still open past their deadline)}: one query."""
    return records.tally_by_school(
        Complaint, school_ids, first, last, lambda record: not record.is_answered, lambda record: record.late(now)
    )


def find_complaints(context, choice):
    """A complaint not answered is due ANSWER_WITHIN after it came."""
    waiting = db.session.scalars(
        sa.select(Complaint).where(Complaint.school_id == context.school.id, Complaint.signed_at.is_(None))
    )
    return [
        Gap(
            f"{complaint.id}",
            complaint.answer_due,
            _("Complaint of %(day)s: answer it", day=complaint.day),
            ("canteen.list_complaints", {}),
        )
        for complaint in waiting
    ]


register(
    Figure(
        "complaints",
        _l("Complaints (not answered, late)"),
        counts_many,
        lambda counts: _l(
            "Complaints: %(open)d not answered, %(late)d answered later than 3 days or still open past them",
            open=counts[1],
            late=counts[2],
        ),
        alarm=lambda counts: DANGER if counts[2] else WARNING if counts[1] else None,
    )
)
