"""Dates and register numbers are never broken inside in the evidence's tables: a column
holding them is as wide as its longest one (Chinese text wraps anywhere, so a narrow column
printed "2026-11-3" and "0" on two lines)."""

import re
from datetime import date

import sqlalchemy as sa

from portal.evidence.parts import Sheet
from portal.extensions import db
from portal.models import ChangeKind, Student
from portal.services import enrolment
from tests.test_evidence import evidence_settings, make_export, pdf_text, people  # noqa: F401
from tests.test_nutrition import NOW, imported, students


def test_a_column_of_dates_or_numbers_is_as_wide_as_its_longest():
    sheet = Sheet(
        "表", ["日期", "姓名", "学籍号"], [["2026-11-30", "张三", "G420100201302150001"], ["2026-11-1", "李四", ""]]
    )
    date_width, name_width, number_width = sheet.widths
    assert name_width is None and number_width > date_width > 100 * 10 * 4 / 510


def test_the_fixed_columns_leave_the_text_room():
    sheet = Sheet("表", [str(n) for n in range(12)], [["G420100201302150001"] * 12])
    assert sum(sheet.widths) <= 100 * 360 / 510 + 0.5


def test_no_date_or_register_number_is_broken_in_the_bundle(people, tmp_path):  # noqa: F811
    from portal.evidence import storage

    imported(people, tmp_path, students(12))
    leaver = db.session.scalar(sa.select(Student).order_by(Student.id.desc()))  # 学生12, a change after the roster
    enrolment.record_change(people.clerk, leaver, ChangeKind.TRANSFER_OUT, date(2026, 9, 20), "转学联系函", now=NOW)
    db.session.commit()
    export = make_export(people, sections=["nutrition"], first=date(2026, 9, 1), last=date(2026, 9, 30))
    text = pdf_text(storage.path_of(export.storage_key))
    dates = re.findall(r"\b\d{4}-[\d-]*", text)
    assert dates and all(re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", date) for date in dates), dates
    numbers = re.findall(r"\bG4201\d*", text)
    assert numbers and all(len(number) == 18 for number in numbers), numbers
