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
    attention: list = field(default_factory=list)

    @property
    def not_valid(self):
        """People without a valid certificate of a kind: expired, or none at all of a required one."""
        return sum(
            1 for state in self.attention if state.status in (CertificateStatus.EXPIRED, CertificateStatus.MISSING)
        )

    @property
    def expiring(self):
        return sum(1 for state in self.attention if state.status is CertificateStatus.EXPIRING)


def _count(model, *conditions):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def school_summary(school):
    today = school_today(school)
    year_start, year_end = day_range_utc(date(today.year, 1, 1), date(today.year, 12, 31), school)
    return SchoolSummary(
        school=school,
        posted_rules=_count(Rule, Rule.school_id == school.id, Rule.status == RuleStatus.POSTED),
        staff=_count(User, User.school_id == school.id, User.active.is_(True)),
        training_this_year=_count(
            TrainingSession,
            TrainingSession.school_id == school.id,
            TrainingSession.starts_at >= year_start,
            TrainingSession.starts_at < year_end,
        ),
        certificates=_count(Certificate, Certificate.school_id == school.id),
        draft_inspections=_count(
            Inspection, Inspection.school_id == school.id, Inspection.status == InspectionStatus.DRAFT
        ),
        inspections_this_month=_count(
            Inspection, Inspection.school_id == school.id, Inspection.inspected_on >= today.replace(day=1)
        ),
        attention=certificates.needing_attention(school),
    )


def county_summary():
    schools = db.session.scalars(sa.select(School).order_by(School.name)).all()
    return [school_summary(school) for school in schools]
