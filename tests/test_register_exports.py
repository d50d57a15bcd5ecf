"""A roster shaped like the student register's own exports: its titles read as they are, the
column that decides eligibility named, and a file without one (the beneficiary list) never
imported as "nobody eligible" in silence: the clerk says whether every listed student is."""

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Student
from portal.services import nutrition, school_classes
from tests import factories
from tests.conftest import login
from tests.test_nutrition import register_file

REGISTER_TITLES = ("学校标识码", "姓名", "性别", "出生日期", "身份证件号", "全国学籍号", "年级", "班级", "就读方式")


def _register_rows(n):
    return [
        (
            "3142001234",
            f"学生{i}",
            "男",
            20130215,
            f"42010020130215{i:04d}",
            f"G42010020130215{i:04d}",
            "七年级",
            "七(1)班",
            "走读",
        )
        for i in range(1, n + 1)
    ]


def _upload(client, people, workbook, name="学籍名单.xlsx"):
    login(client, people.clerk)
    school_classes.add_classes(people.clerk, ["七(1)班"])
    db.session.commit()
    upload = client.post(
        "/nutrition/roster/import", data={"register": (workbook, name)}, content_type="multipart/form-data"
    )
    assert upload.status_code == 302
    return upload.headers["Location"]


def _eligible():
    return sorted(db.session.scalars(sa.select(Student.eligible)))


def test_a_register_export_without_an_eligibility_column_asks_the_clerk(client, school):
    people = factories.school_staff(school)
    url = _upload(client, people, register_file(_register_rows(3), header=REGISTER_TITLES))
    page = client.get(url).get_data(as_text=True)
    assert "名册中新增：3" in page and "G420100201302150003" in page
    assert "没有说明学生是否享受营养餐补助的列" in page
    unanswered = client.post(url, data={"effective_on": "2026-09-01"})
    assert unanswered.status_code == 422 and "是否都享受" in unanswered.get_data(as_text=True)
    assert _eligible() == []  # nothing imported
    assert client.post(url, data={"effective_on": "2026-09-01", "all_eligible": "yes"}).status_code == 302
    assert _eligible() == [True, True, True]


def test_the_clerk_may_say_nobody_listed_is_eligible_yet(client, school):
    people = factories.school_staff(school)
    url = _upload(client, people, register_file(_register_rows(2), header=REGISTER_TITLES))
    assert client.post(url, data={"effective_on": "2026-09-01", "all_eligible": "no"}).status_code == 302
    assert _eligible() == [False, False]


def test_a_file_with_the_column_names_it_and_asks_nothing(client, school):
    people = factories.school_staff(school)
    rows = [("G4201001", "张三", "七(1)班", "是"), ("G4201002", "李四", "七(1)班", "否")]
    url = _upload(client, people, register_file(rows))
    page = client.get(url).get_data(as_text=True)
    assert "以文件中的“是否享受营养餐”列为准" in page and 'name="all_eligible"' not in page
    assert client.post(url, data={"effective_on": "2026-09-01"}).status_code == 302
    assert _eligible() == [False, True]


XLS = Path(__file__).parent / "register_export.xls"  # written by xlwt as the register writes .xls


def test_the_older_xls_export_is_read_with_every_digit(client, school):
    people = factories.school_staff(school)
    url = _upload(client, people, io.BytesIO(XLS.read_bytes()), name="学籍名单.xls")
    page = client.get(url).get_data(as_text=True)
    assert "名册中新增：3" in page and "G420100201302150003" in page
    rows, problems = nutrition.read_register(str(XLS))
    assert problems == [] and [row.register_number for row in rows][-1] == "G420100201302150003"


def test_an_xls_too_large_to_read_whole_is_refused(monkeypatch):
    from portal.errors import DomainError
    from portal.services import spreadsheets

    monkeypatch.setattr(spreadsheets, "XLS_LIMIT_MB", 0)
    with pytest.raises(DomainError) as refusal:
        nutrition.read_register(str(XLS))
    assert "xlsx" in str(refusal.value.message)
