"""The eligible students' share of the food issued: the nutrition subsidy buys their meals
only. Food issued for the staff's meals is the staff's; each day's other food is split by the
day's diners as its daily report counts them (eligible students, students without the
subsidy, staff), and staff fed from their own issue that day take no part of it. A day
without a split is counted whole, and the page says how many there were."""

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from ..models.nutrition import DailyReport
from ..models.storeroom import StockBatch, StockIssue

MONEY = Decimal("0.01")


@dataclass
class Share:
    issued: Decimal = Decimal(0)
    staff_meals: Decimal = Decimal(0)  # issued as the staff's meals
    split_off: Decimal = Decimal(0)  # the others' part of the food the day's diners shared
    eligible_diners: int = 0
    other_student_diners: int = 0
    staff_diners: int = 0
    days_counted_whole: int = 0

    @property
    def others(self):
        return (self.staff_meals + self.split_off).quantize(MONEY)

    @property
    def students(self):
        return self.issued.quantize(MONEY) - self.others


def shares_many(school_ids, first, last):
    """{school id: Share} of the food issued first..last; two queries whatever the schools."""
    food = db.session.execute(
        sa.select(
            StockIssue.school_id,
            StockIssue.day,
            StockIssue.for_staff,
            sa.func.sum(StockIssue.quantity * sa.func.coalesce(StockBatch.unit_price, 0)),
        )
        .join(StockBatch, StockBatch.id == StockIssue.batch_id)
        .where(StockIssue.school_id.in_(school_ids), StockIssue.day.between(first, last), StockIssue.standing())
        .group_by(StockIssue.school_id, StockIssue.day, StockIssue.for_staff)
    ).all()
    reports = {
        (report.school_id, report.day): report
        for report in db.session.scalars(
            sa.select(DailyReport).where(
                DailyReport.school_id.in_(school_ids), DailyReport.day.between(first, last), DailyReport.standing()
            )
        )
    }
    staff_fed_apart = {(school_id, day) for school_id, day, for_staff, _value in food if for_staff}
    found = {school_id: Share() for school_id in school_ids}
    for school_id, day, for_staff, value in food:
        share, value = found[school_id], Decimal(value or 0)
        share.issued += value
        if for_staff:
            share.staff_meals += value
        else:
            _split(share, value, reports.get((school_id, day)), (school_id, day) in staff_fed_apart)
    return found


def _split(share, value, report, staff_fed_apart):
    if report is None or not report.has_split:
        share.days_counted_whole += 1
        return
    staff = 0 if staff_fed_apart else report.staff_diners or 0
    eligible, others = report.eligible_diners, report.other_student_diners or 0
    if eligible + others + staff == 0:
        share.days_counted_whole += 1
        return
    share.split_off += value * (others + staff) / (eligible + others + staff)
    share.eligible_diners += eligible
    share.other_student_diners += others
    share.staff_diners += staff


def share_of(school_id, first, last):
    return shares_many([school_id], first, last)[school_id]
