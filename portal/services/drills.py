"""应急演练 (models/drill.py): a drill of a posted emergency plan, with the scenario, who took part
and what was found; a finding becomes a rectification task for the person chosen."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..figures import Figure, register
from ..models.drill import EmergencyDrill
from ..models.rule import Rule, RuleStatus
from ..timeutil import utcnow
from . import records, rectification
from .canteen import require_fixer, start_record


def plans_of(school_id):
    """The school's posted rules a drill can practise, emergency plans (应急) first."""
    posted = db.session.scalars(
        sa.select(Rule).where(Rule.school_id == school_id, Rule.status == RuleStatus.POSTED).order_by(Rule.title)
    ).all()
    return sorted(posted, key=lambda rule: "应急" not in rule.title)


def record_drill(actor, drill, *, responsible=None, now=None):
    if not actor.can("incident.report"):
        raise DomainError(_l("A drill is recorded by the principal, the director or the school admin."))
    start_record(actor, drill, "recorded_by", now)
    if drill.plan is None or drill.plan.school_id != drill.school_id or drill.plan.status is not RuleStatus.POSTED:
        raise DomainError(_l("Choose the emergency plan practised: one of the school's posted rules."), field="plan")
    for name, message in (
        ("scenario", _l("Say what was practised: the scenario.")),
        ("participants", _l("List who took part.")),
    ):
        setattr(drill, name, (getattr(drill, name) or "").strip())
        if not getattr(drill, name):
            raise DomainError(message, field=name)
    if drill.participant_count is None or drill.participant_count < 2:
        raise DomainError(_l("A drill has at least 2 people taking part."), field="participant_count")
    drill.findings = (drill.findings or "").strip()
    if drill.findings:
        require_fixer(drill, drill.findings, responsible)
    records.save_record(actor, drill, None, now)
    if drill.findings:
        rectification.create_ledger_task(actor, drill, drill.findings, responsible, now or utcnow())
    return drill


def drills_of(school_id):
    return db.session.scalars(
        sa.select(EmergencyDrill)
        .where(EmergencyDrill.school_id == school_id, EmergencyDrill.standing())
        .order_by(EmergencyDrill.day.desc())
    ).all()


def counts_many(school_ids, first, last):
    """{school id: (drills, of them with a finding)}."""
    return records.counts_by_school(EmergencyDrill, school_ids, first, last, EmergencyDrill.findings != "")


register(
    Figure(
        "emergency_drills",
        _l("Emergency drills (with findings)"),
        counts_many,
        lambda counts: _l("Emergency drills, %(n)d with findings", n=counts[1]),
    )
)
