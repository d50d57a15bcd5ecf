"""The nutrition plan's part of the demo: the roster, daily reports and the subsidy."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from ..extensions import db
from ..models.nutrition import ChangeKind, DailyReport, SpendingCategory, Student, SubsidyCharge
from ..services import calendar as school_calendar
from ..services import (
    daily_reports,
    enrolment,
    nutrition,
    records,
    school_classes,
    subsidy,
)
from ..timeutil import zone
from .common import GIVEN, SURNAMES, term_start_of


def seed_nutrition(school, members, today):
    """A roster of 48 students in four classes from the first day of term (two not eligible),
    one transferred out ten days ago and checked by the principal, and the daily report of
    every school day of the last week but yesterday's (missing, red)."""
    clerk, principal = members["clerk"], members["principal"]
    start = term_start_of(today)

    def moment(day, hour):
        return datetime.combine(day, time(hour), tzinfo=zone(school)).astimezone(UTC)

    school_classes.add_classes(clerk, [f"七({n})班" for n in range(1, 5)])
    students, first_changes = [], []
    for n in range(48):
        student = Student(
            school_id=school.id,
            register_number=f"G42{school.id:02d}{2013_0000_0000 + n:012d}",
            name=SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)],
            class_name=f"七({n % 4 + 1})班",
            enrolled=False,
            eligible=False,
        )
        records.save_record(clerk, student, None, moment(start, 8))
        first_changes.append(
            enrolment.record_change(clerk, student, ChangeKind.ENROLLED, start, "名册导入", now=moment(start, 8))
        )
        if n % 24:
            first_changes.append(
                enrolment.record_change(clerk, student, ChangeKind.ELIGIBLE, start, "名册导入", now=moment(start, 8))
            )
        students.append(student)
    enrolment.check_changes(principal, first_changes, now=moment(start, 16))
    leaving_on = today - timedelta(days=10)
    change = enrolment.record_change(
        clerk, students[5], ChangeKind.TRANSFER_OUT, leaving_on, "转学联系函 2026-017", now=moment(leaving_on, 10)
    )
    enrolment.check_change(principal, change, now=moment(leaving_on, 16))
    yesterday = today - timedelta(days=1)  # waiting for the principal's check
    enrolment.record_change(
        clerk, students[7], ChangeKind.SUSPENDED, yesterday, "休学申请表 2026-031", now=moment(yesterday, 10)
    )
    calendar = school_calendar.load(school.id, today - timedelta(days=8), today)
    for offset in range(8, 1, -1):
        day = today - timedelta(days=offset)
        if calendar.is_school_day(day):
            eligible = nutrition.eligible_on(school.id, day)
            report = DailyReport(  # four teachers on duty eat with the students
                school_id=school.id,
                day=day,
                **{f"{meal.value}_diners": eligible - 1 + 4 for meal in school.settings.meals()},
                staff_diners=4,
                other_student_diners=0,
                platform_ref=f"YYGS{day:%m%d}{school.id:02d}",
            )
            daily_reports.save_report(clerk, report, now=moment(day, 11))
    milk_day = today - timedelta(days=3)
    milk = SubsidyCharge(
        school_id=school.id,
        day=milk_day,
        category=SpendingCategory.FOOD_BOUGHT_DIRECTLY,
        amount=Decimal("264.00"),
        description="学生饮用奶 96 盒（每班每周两次）",
        voucher=f"FP{milk_day:%Y%m%d}01",
    )
    subsidy.save_charge(clerk, milk, now=moment(milk_day, 15))
    db.session.flush()
