"""The nutrition plan's roster: the register's export read and previewed (a generated file of
1,500 students; unreadable rows named, nothing saved), enrolment changes and their second
person's check, eligible student-days across a holiday, a make-up day and a mid-month
transfer, and students' personal data kept from those who may not read it."""

import io
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import ChangeKind, DayKind, EnrolmentChange, Role, Student
from portal.services import enrolment, ledgers, nutrition, school_classes
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login, refused
from tests.factories import school_moment

NOW = school_moment(date(2026, 9, 30), 17)  # the clerk's day: the end of September


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def register_file(rows, header=("学籍号", "姓名", "班级", "是否享受营养餐"), title_rows=1):
    """An xlsx like the register's export: a title row or two, the header, the students."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["XX中学学生名册（导出）"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return data


def students(n, start=1, eligible="是"):
    return [
        (f"G4201{number:013d}", f"学生{number}", f"七({number % 12 + 1})班", eligible)
        for number in range(start, start + n)
    ]


def read(tmp_path, rows, **options):
    path = tmp_path / "register.xlsx"
    path.write_bytes(register_file(rows, **options).getvalue())
    return nutrition.read_register(str(path))


def imported(people, tmp_path, rows, effective_on=date(2026, 9, 1)):
    school_classes.add_classes(people.clerk, {row[2] for row in rows})
    found, problems = read(tmp_path, rows)
    result = enrolment.apply_import(people.clerk, found, problems, effective_on, now=NOW)
    db.session.commit()
    return result


# --- the import -------------------------------------------------------------------------------


def test_a_register_of_1500_students_is_previewed_then_imported(people, tmp_path):
    rows = students(1500)
    found, problems = read(tmp_path, rows, title_rows=2)
    assert len(found) == 1500 and problems == []
    preview = nutrition.preview(people.school.id, found, problems)
    # A school's first import: its twelve classes are not on the class list yet.
    assert len(preview.unknown_classes) == 12 and len(preview.problems) == 12 and not preview.can_confirm
    assert school_classes.add_classes(people.clerk, preview.unknown_classes) == preview.unknown_classes
    preview = nutrition.preview(people.school.id, found, problems)
    assert len(preview.new) == 1500 and preview.can_confirm
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Student)) == 0  # nothing saved yet
    enrolment.apply_import(people.clerk, found, problems, date(2026, 9, 1), now=NOW)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Student).where(Student.eligible)) == 1500
    kinds = dict(
        db.session.execute(sa.select(EnrolmentChange.kind, sa.func.count()).group_by(EnrolmentChange.kind)).all()
    )
    assert kinds == {ChangeKind.ENROLLED: 1500, ChangeKind.ELIGIBLE: 1500}


def test_unreadable_rows_are_named_and_nothing_is_saved(people, tmp_path):
    rows = [
        *students(3),
        students(1)[0],
        ("", "无号", "七(1)班", "是"),
        ("G42019", "赵六", "", "是"),
        ("G42020", "钱七", "七(2)班", "也许"),
    ]
    school_classes.add_classes(people.clerk, {row[2] for row in rows})
    found, problems = read(tmp_path, rows)
    preview = nutrition.preview(people.school.id, found, problems)
    assert [line for line, _text in preview.problems] == [6, 7, 8, 9]  # the header on row 2
    texts = " ".join(str(text) for _line, text in preview.problems)
    assert "学籍号" in texts and "班级" in texts and "也许" in texts and "第 3 行" in texts
    assert not preview.can_confirm
    refused(lambda: enrolment.apply_import(people.clerk, found, problems, date(2026, 9, 1), now=NOW), "问题")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Student)) == 0


def test_a_class_that_does_not_exist_is_named_with_its_rows(people, tmp_path):
    school_classes.add_classes(people.clerk, ["七(1)班", "七(2)班"])
    rows = [
        ("G1", "甲", "七（1）班", "是"),  # full-width brackets: the same class
        ("G2", "乙", "七(2) 班", "是"),  # a space: the same class
        ("G3", "丙", "七(9)班", "是"),
        ("G4", "丁", "七(9)班", "否"),
        ("G5", "戊", "七(1)斑", "是"),  # misspelt
    ]
    found, problems = read(tmp_path, rows)
    preview = nutrition.preview(people.school.id, found, problems)
    assert preview.unknown_classes == ["七(1)斑", "七(9)班"]
    named = {line: str(text) for line, text in preview.problems}
    assert set(named) == {5, 7} and "七(9)班" in named[5] and "2" in named[5] and "七(1)斑" in named[7]
    assert not preview.can_confirm
    refused(lambda: enrolment.apply_import(people.clerk, found, problems, date(2026, 9, 1), now=NOW), "问题")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Student)) == 0


def test_a_file_that_is_not_the_register_is_refused_in_chinese(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"not a workbook")
    refused(lambda: nutrition.read_register(str(path)), "Excel")
    refused(lambda: read(tmp_path, students(2), header=("编号", "名字")), "学籍号")


def test_a_second_import_transfers_in_corrects_and_lists_who_is_missing(people, tmp_path):
    imported(people, tmp_path, students(5))
    rows = students(4)  # the fifth is missing from the file
    rows[0] = (rows[0][0], rows[0][1], "八(1)班", "是")  # moved class
    rows[1] = (*rows[1][:3], "否")  # no longer eligible
    rows.append(("G42019999", "新同学", "七(3)班", "是"))
    school_classes.add_classes(people.clerk, ["八(1)班"])
    found, problems = read(tmp_path, rows)
    preview = nutrition.preview(people.school.id, found, problems)
    assert [s.register_number for s in preview.leaving] == [students(5)[4][0]]
    assert len(preview.changed) == 2 and len(preview.new) == 1
    enrolment.apply_import(people.clerk, found, problems, date(2026, 9, 14), now=NOW)
    db.session.commit()
    newcomer = db.session.scalar(sa.select(Student).where(Student.register_number == "G42019999"))
    assert [c.kind for c in newcomer.changes] == [ChangeKind.TRANSFER_IN, ChangeKind.ELIGIBLE]
    second = db.session.scalar(sa.select(Student).where(Student.register_number == students(2)[1][0]))
    assert second.eligible is False and second.changes[-1].kind is ChangeKind.NOT_ELIGIBLE
    missing = db.session.scalar(sa.select(Student).where(Student.register_number == students(5)[4][0]))
    assert missing.enrolled  # not guessed at: it needs its own change


# --- changes and student-days -----------------------------------------------------------------


def test_student_days_across_a_holiday_a_makeup_day_and_a_mid_month_transfer(people, tmp_path):
    imported(people, tmp_path, students(10))
    # September 2026 from the 1st (Tuesday) to the 30th: 22 weekdays; 25 September a holiday,
    # Sunday 27 September a make-up day: still 22 school days.
    factories.add_day(people.school, date(2026, 9, 25), DayKind.HOLIDAY, "中秋节")
    factories.add_day(people.school, date(2026, 9, 27), DayKind.MAKEUP_DAY, "调休")
    september = (date(2026, 9, 1), date(2026, 9, 30))
    assert nutrition.student_days(people.school.id, *september) == 10 * 22
    leaver = db.session.scalar(sa.select(Student).where(Student.register_number == students(1)[0][0]))
    # Out from Wednesday 16 September: counted 1–15 September, 11 school days.
    enrolment.record_change(
        people.clerk, leaver, ChangeKind.TRANSFER_OUT, date(2026, 9, 16), "转学证明2026-031", now=NOW
    )
    db.session.commit()
    assert leaver.enrolled is False
    assert nutrition.student_days(people.school.id, *september) == 9 * 22 + 11
    assert nutrition.student_days(people.school.id, date(2026, 9, 25), date(2026, 9, 25)) == 0  # the holiday
    assert nutrition.student_days(people.school.id, date(2026, 9, 27), date(2026, 9, 27)) == 9  # the make-up day


def test_a_change_is_dated_today_or_earlier_changes_something_and_is_checked_by_another(people, tmp_path):
    imported(people, tmp_path, students(2))
    student = db.session.scalar(sa.select(Student).order_by(Student.id))
    refused(
        lambda: enrolment.record_change(people.clerk, student, ChangeKind.SUSPENDED, date(2026, 10, 8), now=NOW), "未来"
    )
    refused(
        lambda: enrolment.record_change(people.clerk, student, ChangeKind.TRANSFER_IN, date(2026, 9, 20), now=NOW),
        "没有改变",
    )
    db.session.rollback()
    change = enrolment.record_change(
        people.clerk, student, ChangeKind.SUSPENDED, date(2026, 9, 20), "休学申请", now=NOW
    )
    db.session.commit()
    refused(lambda: enrolment.check_change(people.clerk, change), "以外")
    refused(lambda: enrolment.check_change(people.director, change), "校长")
    db.session.rollback()
    enrolment.check_change(people.principal, change)
    db.session.commit()
    assert change.checked_by == people.principal
    today = school_today(people.school)
    open_change = enrolment.record_change(people.clerk, student, ChangeKind.RETURNED, today, "复学申请")
    refused(lambda: ledgers.withdraw(people.clerk, open_change, "录错了"), "相反")


# --- the pages and who may read them ----------------------------------------------------------


def test_the_clerk_imports_on_the_pages_after_the_preview(client, people):
    login(client, people.clerk)
    upload = client.post(
        "/nutrition/roster/import",
        data={"register": (register_file(students(30)), "名册.xlsx")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    preview = client.get(upload.headers["Location"]).get_data(as_text=True)
    assert "名册中新增：30" in preview and db.session.scalar(sa.select(sa.func.count()).select_from(Student)) == 0
    first = students(30)[0]
    assert f"{first[1]}（{first[0]}）" in preview  # who is new, not only how many
    assert "不在班级列表中" in preview and "确认导入" not in preview  # a first import: no class list yet
    assert client.post(upload.headers["Location"], data={"effective_on": "2026-09-01"}).status_code == 422
    added = client.post(upload.headers["Location"] + "/classes")
    assert added.status_code == 302 and len(school_classes.names_of(people.school.id)) == 12
    no_day = client.post(upload.headers["Location"], data={})
    assert no_day.status_code == 422
    done = client.post(upload.headers["Location"], data={"effective_on": "2026-09-01"})
    assert done.status_code == 302
    roster = client.get("/nutrition/roster").get_data(as_text=True)
    assert "30 名学生" in roster and "七(1)班" in roster


@pytest.mark.parametrize("who", ["director", "keeper", "cook"])
def test_students_personal_data_is_kept_from_those_who_may_not_read_it(client, people, tmp_path, who):
    imported(people, tmp_path, students(3))
    login(client, getattr(people, who))
    for url in ("/nutrition/roster", "/nutrition/changes", "/admin/students/", "/admin/enrolment_changes/"):
        assert client.get(url).status_code == 403, url
    change = db.session.scalar(sa.select(EnrolmentChange))
    assert client.get(f"/ledgers/enrolment_changes/{change.id}/withdraw").status_code in (403, 404)


def test_another_schools_students_are_out_of_reach(client, people, other_school, create_user, tmp_path):
    outsider = create_user(Role.SCHOOL_ADMIN, other_school)
    factories.add_term(other_school)
    school_classes.add_classes(people.clerk, ["一(1)班"])  # this school's class list is not the other's
    found, problems = read(tmp_path, [("G4209999", "外校学生", "一(1)班", "是")])
    assert nutrition.preview(other_school.id, found, problems).unknown_classes == ["一(1)班"]
    school_classes.add_classes(outsider, ["一(1)班"])
    enrolment.apply_import(outsider, found, problems, date(2026, 9, 1), now=NOW)
    db.session.commit()
    theirs = db.session.scalar(sa.select(EnrolmentChange))
    login(client, people.clerk)
    assert "外校学生" not in client.get("/nutrition/changes").get_data(as_text=True)
    assert client.post(f"/nutrition/changes/{theirs.id}/check").status_code == 404
    taken = client.post(
        "/nutrition/changes", data={"student": theirs.student_id, "kind": "suspended", "effective_on": "2026-09-02"}
    )
    assert taken.status_code in (404, 422)
    assert theirs.student.enrolled


def test_eligible_days_count_from_the_first_day_only(people, tmp_path):
    imported(people, tmp_path, students(1), effective_on=date(2026, 9, 30))
    assert nutrition.student_days(people.school.id, date(2026, 9, 1), date(2026, 9, 29)) == 0
    assert nutrition.student_days(people.school.id, date(2026, 9, 1), date(2026, 9, 30)) == 1


def test_student_days_agree_with_counting_day_by_day(people, tmp_path):
    """The county's fast count (the database counts students without later changes) against
    the plain one: every school day's eligible students, added up."""
    from portal.services.calendar import days_between
    from portal.services.calendar import load as load_calendar

    imported(people, tmp_path, students(6))
    roster = db.session.scalars(sa.select(Student).order_by(Student.id)).all()
    for student, kind, day in (
        (roster[0], ChangeKind.SUSPENDED, date(2026, 9, 9)),
        (roster[0], ChangeKind.RETURNED, date(2026, 9, 21)),
        (roster[1], ChangeKind.NOT_ELIGIBLE, date(2026, 9, 14)),
        (roster[2], ChangeKind.DROPPED_OUT, date(2026, 9, 1)),
    ):
        enrolment.record_change(people.clerk, student, kind, day, now=NOW)
    found, problems = read(tmp_path, [*students(6), ("G42099", "插班生", "七(2)班", "是")])
    enrolment.apply_import(people.clerk, found, problems, date(2026, 9, 17), now=NOW)
    db.session.commit()
    first, last = date(2026, 9, 1), date(2026, 9, 30)
    calendar = load_calendar(people.school.id, first, last)
    plain = sum(
        nutrition.eligible_on(people.school.id, d) for d in days_between(first, last) if calendar.is_school_day(d)
    )
    assert nutrition.student_days(people.school.id, first, last) == plain
    assert nutrition.student_days(people.school.id, date(2026, 9, 10), date(2026, 9, 18)) == sum(
        nutrition.eligible_on(people.school.id, d)
        for d in days_between(date(2026, 9, 10), date(2026, 9, 18))
        if calendar.is_school_day(d)
    )
