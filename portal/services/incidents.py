"""食品安全事故 / 疑似食物中毒 reports (models/incident.py): reported at once with what was done and
sealed; the two offices told within 2 hours (a due rule prompts, and escalates to the principal
when they are not); the follow-up written later; signed by the principal, then frozen."""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import Gap
from ..errors import DomainError
from ..extensions import db
from ..figures import DANGER, WARNING, Figure, register
from ..models.incident import FoodIncident
from ..timeutil import utcnow, zone
from . import audit, records, users

OFFICES = {
    "education": ("education_told_at", _l("the county's education office")),
    "market": ("market_told_at", _l("the county's market-regulation office")),
}


def report(actor, incident, now=None):
    now = now or utcnow()
    if not actor.can("incident.report"):
        raise DomainError(_l("An incident is reported by the principal, the director or the school admin."))
    records.assign_school(actor, incident)
    incident.recorded_by = actor
    if incident.found_at is None or incident.found_at > now:
        raise DomainError(_l("Enter when it was found, not in the future."), field="found_at")
    incident.day = incident.found_at.astimezone(zone(actor.school)).date()
    if incident.ill_count is None or incident.ill_count < 1:
        raise DomainError(_l("Enter how many fell ill, 1 or more."), field="ill_count")
    for name, message in (
        ("what_happened", _l("Say what happened: the symptoms, where, after which meal.")),
        ("actions", _l("Say what was done at once: care for the ill, the supply stopped.")),
        ("sealed", _l("Say what was sealed: the meal's samples, the food left, the tools.")),
    ):
        setattr(incident, name, (getattr(incident, name) or "").strip())
        if not getattr(incident, name):
            raise DomainError(message, field=name)
    for column, _office in OFFICES.values():
        _check_told(incident, getattr(incident, column), column, now)
    records.save_record(actor, incident, None, now)
    return incident


def _check_told(incident, told_at, field, now):
    if told_at is not None and not incident.found_at <= told_at <= now:
        raise DomainError(_l("It was told after it was found and not in the future."), field=field)


def record_told(actor, incident, office, told_at, now=None):
    """When one of the offices was told; returns True when it was later than the 2 hours."""
    now = now or utcnow()
    _refuse_change(actor, incident)
    column, _name = OFFICES[office]
    if told_at is None:
        raise DomainError(_l("Enter when the office was told."), field=column)
    _check_told(incident, told_at, column, now)
    before = audit.snapshot(incident)
    setattr(incident, column, told_at)
    records.save_record(actor, incident, before, now)
    return incident.told_late(told_at)


def write_follow_up(actor, incident, text, now=None):
    _refuse_change(actor, incident)
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write the follow-up: the cause found, how the ill are, what changed."), field="follow_up")
    before = audit.snapshot(incident)
    incident.follow_up = text
    records.save_record(actor, incident, before, now)


def sign(actor, incident, password, now=None):
    _refuse_change(actor, incident)
    if not actor.can("incident.sign"):
        raise DomainError(_l("The incident report is signed by the principal."))
    if not incident.both_told:
        raise DomainError(_l("Record when both offices were told before signing."))
    if not incident.follow_up.strip():
        raise DomainError(_l("The report is signed once its follow-up is written."), field="follow_up")
    users.check_own_password(actor, password)
    incident.signed_by_id, incident.signed_at = actor.id, now or utcnow()
    db.session.flush()
    audit.record(actor, "food_incident.signed", incident, after=audit.snapshot(incident))


def _refuse_change(actor, incident):
    """Only the school's reporters change a report, and only before it is signed."""
    if incident.school_id != actor.school_id or not actor.can("incident.report"):
        raise DomainError(_l("An incident is reported by the principal, the director or the school admin."))
    if incident.is_signed:
        raise DomainError(_l("This record is signed and can no longer be changed."))


def incidents_of(school_id):
    return db.session.scalars(
        sa.select(FoodIncident).where(FoodIncident.school_id == school_id).order_by(FoodIncident.found_at.desc())
    ).all()


def counts_many(school_ids, first, last, now=None):
    """{school id: (incidents found first..last, of them not signed, of them told late or not
    told past the 2 hours)}: one query."""
    return records.tally_by_school(
        FoodIncident, school_ids, first, last, lambda record: not record.is_signed, lambda record: record.late(now)
    )


def find_incident_reports(context, choice):
    """An incident whose offices are not both told is due 2 hours after its finding."""
    waiting = db.session.scalars(
        sa.select(FoodIncident).where(
            FoodIncident.school_id == context.school.id,
            FoodIncident.signed_at.is_(None),
            sa.or_(FoodIncident.education_told_at.is_(None), FoodIncident.market_told_at.is_(None)),
        )
    )
    return [
        Gap(
            f"{incident.id}",
            incident.report_due,
            _("Incident of %(day)s: tell the county's education and market-regulation offices", day=incident.day),
            ("canteen.show_incident", {"incident_id": incident.id}),
        )
        for incident in waiting
    ]


register(
    Figure(
        "incidents",
        _l("Food-safety incidents (open, told late)"),
        counts_many,
        lambda counts: _l(
            "Food-safety incidents: %(open)d not signed, %(late)d told later than 2 hours",
            open=counts[1],
            late=counts[2],
        ),
        alarm=lambda counts: DANGER if counts[2] else WARNING if counts[1] else None,
        shown_at_zero=False,
    )
)
