"""Each school year's balance of the subsidy (年度平衡): what was signed month by month and
what is carried over; and the county's view of every school's month."""

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from .. import charts
from ..extensions import db
from ..models.nutrition import DailyReport, EnrolmentChange, Reconciliation, Student
from ..models.user import User
from ..timeutil import add_months
from .daily_reports import unreported_days
from .subsidy import figures_many, month_end


@dataclass
class Balance:
    first: object
    months: list = field(default_factory=list)  # [(month, Reconciliation or None)]

    @property
    def signed(self):
        return [rec for _month, rec in self.months if rec is not None and rec.is_signed]

    @property
    def entitlement(self):
        return sum((rec.subsidy for rec in self.signed), Decimal(0))

    @property
    def spending(self):
        return sum((rec.total_spending for rec in self.signed), Decimal(0))

    @property
    def carry_over(self):
        """What the signed months leave to spend (negative: spent ahead of the subsidy)."""
        return self.entitlement - self.spending

    def chart(self):
        """Each signed month's subsidy and spending, and what is carried over after it, as a
        chart (an unsigned month is a gap)."""
        carried, subsidy, spent, balance = Decimal(0), [], [], []
        for _month, rec in self.months:
            signed = rec is not None and rec.is_signed
            carried += rec.subsidy - rec.total_spending if signed else 0
            subsidy.append(float(rec.subsidy) if signed else None)
            spent.append(float(rec.total_spending) if signed else None)
            balance.append(float(carried) if signed else None)
        return charts.line_chart(
            _l("Subsidy balance, school year %(year)s", year=f"{self.first.year}–{self.first.year + 1}"),
            [month.strftime("%Y-%m") for month, _rec in self.months],
            [
                (_l("Subsidy (yuan)"), subsidy),
                (_l("Spent from the subsidy (yuan)"), spent),
                (_l("Carried over (yuan)"), balance),
            ],
        )


def balance(school_id, first, today):
    """The school year from ``first``: each of its months up to this one, with its reconciliation."""
    found = {
        rec.month: rec
        for rec in db.session.scalars(
            sa.select(Reconciliation).where(
                Reconciliation.school_id == school_id, Reconciliation.month.between(first, add_months(first, 11))
            )
        )
    }
    months, month = [], first
    while month <= today and month < add_months(first, 12):
        months.append((month, found.get(month)))
        month = add_months(month, 1)
    return Balance(first, months)


# A canteen serving this many diners or more needs a food-safety director (食品安全总监).
DIRECTOR_FROM_DINERS = 500


@dataclass
class DirectorCheck:
    most_diners: int
    has_director: bool

    @property
    def needed(self):
        return self.most_diners >= DIRECTOR_FROM_DINERS

    @property
    def missing(self):
        return self.needed and not self.has_director

    @property
    def state(self):
        if self.has_director:
            return _l("designated")
        return _l("none designated") if self.needed else _l("not required")


def food_safety_director_check(school_id, first, last):
    """A canteen whose most diners at a lunch of first..last reached DIRECTOR_FROM_DINERS needs
    a food-safety director (a user flagged food-safety manager): the school's own summary."""
    most = db.session.scalar(
        sa.select(sa.func.max(DailyReport.lunch_diners)).where(
            DailyReport.school_id == school_id, DailyReport.day.between(first, last), DailyReport.standing()
        )
    )
    has = db.session.scalar(
        sa.select(User.id)
        .where(User.school_id == school_id, User.food_safety_manager.is_(True), User.active.is_(True))
        .limit(1)
    )
    return DirectorCheck(most or 0, has is not None)


@dataclass
class CountyRow:
    school: object
    eligible: int
    diners: int
    reconciliation: object
    unreported: list
    changes: int
    needs_food_safety_director: bool

    @property
    def sort_key(self):
        rec = self.reconciliation
        return (not rec.beyond_tolerance, -abs(rec.difference), self.school.name)


def county(schools, month, today):
    """Every school's month: eligible students, most diners of a day, subsidy, spending, the
    difference, days unreported, enrolment changes; schools beyond the tolerance first."""
    ids = [school.id for school in schools]
    last = min(month_end(month), today)
    eligible = dict(
        db.session.execute(
            sa.select(Student.school_id, sa.func.count())
            .where(Student.school_id.in_(ids), Student.enrolled, Student.eligible)
            .group_by(Student.school_id)
        ).all()
    )
    diners = dict(
        db.session.execute(
            sa.select(DailyReport.school_id, sa.func.max(DailyReport.lunch_diners))
            .where(DailyReport.school_id.in_(ids), DailyReport.day.between(month, last), DailyReport.standing())
            .group_by(DailyReport.school_id)
        ).all()
    )
    changes = dict(
        db.session.execute(
            sa.select(EnrolmentChange.school_id, sa.func.count())
            .where(EnrolmentChange.school_id.in_(ids), EnrolmentChange.effective_on.between(month, last))
            .group_by(EnrolmentChange.school_id)
        ).all()
    )
    directors = set(
        db.session.scalars(
            sa.select(User.school_id).where(User.school_id.in_(ids), User.food_safety_manager.is_(True), User.active)
        )
    )
    in_the_plan = set(db.session.scalars(sa.select(Student.school_id).where(Student.school_id.in_(ids)).distinct()))
    unreported = unreported_days([school for school in schools if school.id in in_the_plan], month, last)
    counted = figures_many(schools, month)
    rows = [
        CountyRow(
            school=school,
            eligible=eligible.get(school.id, 0),
            diners=diners.get(school.id) or 0,
            reconciliation=counted[school.id],
            unreported=unreported.get(school.id, []),
            changes=changes.get(school.id, 0),
            needs_food_safety_director=(diners.get(school.id) or 0) >= DIRECTOR_FROM_DINERS
            and school.id not in directors,
        )
        for school in schools
    ]
    return sorted(rows, key=lambda row: row.sort_key)
