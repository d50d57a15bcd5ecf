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
    """{school id: Share} of the food issued first..last; two queries whatever the schools (one
    when nothing was issued), reading columns, not records."""
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
    fed = {school_id for school_id, _day, _for_staff, _value in food}
    reports = (
        {
            (row.school_id, row.day): row
            for row in db.session.execute(
                sa.select(
                    DailyReport.school_id,
                    DailyReport.day,
                    DailyReport.breakfast_diners,
                    DailyReport.lunch_diners,
                    DailyReport.dinner_diners,
                    DailyReport.staff_diners,
                    DailyReport.other_student_diners,
                ).where(DailyReport.school_id.in_(fed), DailyReport.day.between(first, last), DailyReport.standing())
            )
        }
        if fed
        else {}
    )
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
    """``report``: the day's diners as a row of the daily report's columns, or None."""
    if report is None or (report.staff_diners is None and report.other_student_diners is None):
        share.days_counted_whole += 1
        return
    diners = max(n or 0 for n in (report.breakfast_diners, report.lunch_diners, report.dinner_diners))
    others = report.other_student_diners or 0
    eligible = max(diners - (report.staff_diners or 0) - others, 0)
    staff = 0 if staff_fed_apart else report.staff_diners or 0
    if eligible + others + staff == 0:
        share.days_counted_whole += 1
        return
    share.split_off += value * (others + staff) / (eligible + others + staff)
    share.eligible_diners += eligible
    share.other_student_diners += others
    share.staff_diners += staff


def share_of(school_id, first, last):
    return shares_many([school_id], first, last)[school_id]
