"""What each home page counts."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models.certificate import Certificate, CertificateStatus
from ..models.inspection import Inspection, InspectionStatus
from ..models.rule import Rule, RuleStatus
from ..models.school import School
from ..models.training import TrainingSession
from ..models.user import User
from ..timeutil import day_range_utc, school_today
from . import certificates


@dataclass
class SchoolSummary:
    school: School
    posted_rules: int
    staff: int
    training_this_year: int
    certificates: int
    draft_inspections: int
    inspections_this_month: int
    # People without a valid certificate of a kind (expired, or none at all of a required
    # one), and certificates expiring within the warning period.
    not_valid: int
    expiring: int
    attention: list = field(default_factory=list)  # the school's home lists them


def school_summary(school):
    attention = certificates.needing_attention(school)
    not_valid = sum(1 for state in attention if state.status in (CertificateStatus.EXPIRED, CertificateStatus.MISSING))
    expiring = sum(1 for state in attention if state.status is CertificateStatus.EXPIRING)
    (summary,) = summaries([school], attention_counts=lambda _schools: {school.id: (not_valid, expiring)})
    summary.attention = attention
    return summary


def summaries(schools, attention_counts=certificates.attention_counts):
    """Each school's counts, in grouped queries whatever the number of schools. "This year"
    and "this month" are the county's (schools of a county share a time zone). A school's
    own home counts what it lists instead (``attention_counts``)."""
    ids = [school.id for school in schools]
    county = schools[0] if schools else None
    today = school_today(county)
    year_start, year_end = day_range_utc(date(today.year, 1, 1), date(today.year, 12, 31), county)

    def per_school(model, *conditions):
        return dict(
            db.session.execute(
                sa.select(model.school_id, sa.func.count())
                .where(model.school_id.in_(ids), *conditions)
                .group_by(model.school_id)
            ).all()
        )

    posted = per_school(Rule, Rule.status == RuleStatus.POSTED)
    staff = per_school(User, User.active.is_(True))
    training = per_school(
        TrainingSession, TrainingSession.starts_at >= year_start, TrainingSession.starts_at < year_end
    )
    held = per_school(Certificate)
    drafts = per_school(Inspection, Inspection.status == InspectionStatus.DRAFT)
    this_month = per_school(Inspection, Inspection.inspected_on >= today.replace(day=1))
    attention = attention_counts(schools)
    return [
        SchoolSummary(
            school=school,
            posted_rules=posted.get(school.id, 0),
            staff=staff.get(school.id, 0),
            training_this_year=training.get(school.id, 0),
            certificates=held.get(school.id, 0),
            draft_inspections=drafts.get(school.id, 0),
            inspections_this_month=this_month.get(school.id, 0),
            not_valid=attention[school.id][0],
            expiring=attention[school.id][1],
        )
        for school in schools
    ]
