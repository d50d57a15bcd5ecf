"""Dormitory housekeeping: the daily check at its boundaries (a deduction up to the item's
points and not one more, one check a room a day), the daily notice per class (on the class
teacher's home page and as a PDF read back with pdftotext), the weekly ranking (the coaching
line exactly, the red flag shared on a tie), the bed list's import (problems named, nothing
saved), boarding days left unchecked, and who may check."""

import io
import subprocess
from datetime import date, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import DormBed, DormCheck, DormRoom, Role
from portal.services import dormitory, dormitory_notices, school_classes
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login, refused
from tests.factories import school_moment

WEDNESDAY = date(2026, 9, 16)


@pytest.fixture
def dorm(school, create_user):
    people = factories.school_staff(school)
    people.manager = create_user(Role.STAFF, school, display_name="周宿管", dormitory_manager=True)
    people.teacher = create_user(Role.STAFF, school, display_name="吴老师")
    people.seven_1 = factories.add_class(school, "七(1)班", class_teacher=people.teacher)
    people.seven_2 = factories.add_class(school, "七(2)班")
    people.r305 = factories.dorm_room(school, "305")
    people.r306 = factories.dorm_room(school, "306")
    people.r401 = factories.dorm_room(school, "401")
    factories.dorm_bed(people.r305, people.seven_1, "李明")
    factories.dorm_bed(people.r306, people.seven_1, "王强")
    factories.dorm_bed(people.r306, people.seven_2, "赵刚", bed="2")  # a room shared by two classes
    factories.dorm_bed(people.r401, people.seven_2, "钱亮")
    return people


def _check(dorm, room, day=WEDNESDAY, **deducted):
    return factories.check_dorm(dorm.manager, room, day, **deducted)


# --- the daily check --------------------------------------------------------------------------


def test_a_deduction_goes_up_to_the_items_points_and_not_one_more(dorm):
    quilt = next(item for item in dormitory.standard_of(dorm.school.id) if item.text.startswith("被子"))
    assert quilt.points == 20 and sum(item.points for item in dormitory.standard_of(dorm.school.id)) == 100

    def check(points):
        return dormitory.record_check(
            dorm.manager, dorm.r305, WEDNESDAY, {quilt.id: (points, "")}, now=school_moment(WEDNESDAY, 21)
        )

    refused(lambda: check(21), "20")
    refused(lambda: check(-1), "0")
    saved = check(20)
    db.session.commit()
    assert (saved.score, saved.full_score) == (80, 100)
    assert saved.deductions == [{"item": quilt.text, "points": 20, "of": 20, "note": ""}]


def test_a_room_is_checked_once_a_day(dorm):
    _check(dorm, dorm.r305)
    refused(lambda: _check(dorm, dorm.r305), "305", "周宿管")
    _check(dorm, dorm.r305, day=WEDNESDAY + timedelta(days=1))  # the next day is another check
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DormCheck)) == 2


def test_an_item_of_another_school_or_a_room_of_another_is_refused(dorm, other_school):
    foreign_room = factories.dorm_room(other_school, "101")
    refused(lambda: dormitory.record_check(dorm.manager, foreign_room, WEDNESDAY, {}), "未找到")
    foreign_item = dormitory.standard_of(other_school.id)[0]
    refused(lambda: dormitory.record_check(dorm.manager, dorm.r305, WEDNESDAY, {foreign_item.id: (1, "")}), "标准")


def test_the_standard_is_the_schools_own_and_a_change_leaves_past_checks_as_they_were(dorm):
    check = _check(dorm, dorm.r305, 被子=5)
    quilt = next(item for item in dormitory.standard_of(dorm.school.id) if item.text.startswith("被子"))
    quilt.text, quilt.points = "被子叠成豆腐块", 25
    db.session.commit()
    db.session.refresh(check)
    assert check.deductions[0]["item"].startswith("被子叠放成方块") and check.deductions[0]["of"] == 20


# --- the daily notice and the weekly ranking --------------------------------------------------


def test_the_daily_notice_groups_rooms_by_class(dorm):
    _check(dorm, dorm.r305, 被子=5)
    _check(dorm, dorm.r306, 地面=15, 无积水=10)
    notices = {n.school_class.name: n for n in dormitory_notices.daily_notice(dorm.school.id, WEDNESDAY)}
    assert [str(room) for room, _c in notices["七(1)班"].rooms] == ["男生1号楼305", "男生1号楼306"]
    assert notices["七(1)班"].average == 85.0  # 95 and 75
    assert [(str(room), check and check.score) for room, check in notices["七(2)班"].rooms] == [
        ("男生1号楼306", 75),
        ("男生1号楼401", None),  # not checked
    ]


def test_the_class_teacher_sees_the_notice_at_home_and_it_prints(client, dorm):
    day = school_today(dorm.school)
    term = factories.term_of_today(dorm.school)
    if term.starts_on > WEDNESDAY:  # past the fixture's autumn term: the beds of today's term
        factories.dorm_bed(dorm.r305, dorm.seven_1, "李明", term=term)
        factories.dorm_bed(dorm.r401, dorm.seven_2, "钱亮", term=term)
    dormitory.record_check(dorm.manager, dorm.r305, day, {})
    db.session.commit()
    login(client, dorm.teacher)
    home = client.get("/").get_data(as_text=True)
    assert "七(1)班" in home and "100 分" in home and "七(2)班" not in home
    pdf = client.get(f"/dormitory/notice.pdf?day={day.isoformat()}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _pdf_text(pdf.data)
    assert "宿舍内务通报" in text and "七(1)班" in text and "男生1号楼305" in text
    assert "七(2)班" not in text and "男生1号楼401" not in text  # a class teacher prints their own class's notice only


def _pdf_text(data):
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_the_weekly_ranking_coaching_line_and_a_shared_red_flag(dorm):
    monday = date(2026, 9, 14)
    for offset in range(5):
        day = monday + timedelta(days=offset)
        _check(dorm, dorm.r305, day, 被子=20)  # 80: exactly the line, not coached
        _check(dorm, dorm.r306, day, 被子=20)  # 80
        _check(dorm, dorm.r401, day, 被子=20, 无积水=1)  # 79: one point below, coached
    ranking = dormitory_notices.weekly_ranking(dorm.school, monday)
    assert [(c.name, average) for c, average, _n in ranking.classes] == [("七(1)班", 80.0), ("七(2)班", 79.5)]
    assert [c.name for c in ranking.red_flag] == ["七(1)班"]
    assert [str(room) for room, _a, _n in ranking.rooms_to_coach] == ["男生1号楼401"]
    assert [str(room) for room, _a, _n in ranking.best_rooms] == ["男生1号楼305", "男生1号楼306"]
    tie = dormitory_notices.weekly_ranking(dorm.school, monday + timedelta(days=7))
    assert tie.classes == [] and tie.red_flag == []
    next_monday = monday + timedelta(days=7)
    _check(dorm, dorm.r305, next_monday)
    _check(dorm, dorm.r401, next_monday)
    _check(dorm, dorm.r306, next_monday)
    shared = dormitory_notices.weekly_ranking(dorm.school, next_monday)
    assert sorted(c.name for c in shared.red_flag) == ["七(1)班", "七(2)班"]


def test_the_ranking_prints_and_coaching_is_recorded(client, dorm):
    monday = date(2026, 9, 14)
    _check(dorm, dorm.r401, monday, 被子=20, 地面=15)
    login(client, dorm.manager)
    page = client.get(f"/dormitory/ranking?week={monday.isoformat()}").get_data(as_text=True)
    assert "流动红旗" in page and "男生1号楼401" in page
    pdf = client.get(f"/dormitory/ranking.pdf?week={monday.isoformat()}")
    text = _pdf_text(pdf.data)
    assert "七(2)班" in text and "65" in text and "需要个别辅导" in text
    coached = client.post(
        f"/dormitory/rooms/{dorm.r401.id}/coaching", data={"notes": "示范叠被子", "week": monday.isoformat()}
    )
    assert coached.status_code == 302


# --- the bed list -----------------------------------------------------------------------------


def _bed_list(rows):
    workbook = openpyxl.Workbook()
    workbook.active.append(["楼栋", "房间号", "床位", "姓名", "班级"])
    for row in rows:
        workbook.active.append(list(row))
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return data


def test_the_bed_list_names_its_problems_and_saves_nothing(dorm):
    rows = [
        ("女生2号楼", "512", "1", "孙丽", "七（1）班"),  # full-width brackets: the same class
        ("女生2号楼", "512", "1", "周敏", "七(1)班"),  # the same bed twice
        ("女生2号楼", "513", "1", "", "七(1)班"),  # no name
        ("女生2号楼", "514", "1", "郑红", "九(9)班"),  # no such class
    ]
    found, problems = dormitory.read_beds(_bed_list(rows), dorm.school.id)
    assert [line for line, _text in problems] == [3, 4, 5] and len(found) == 1
    term = dormitory.terms_of(dorm.school.id)[0]
    refused(lambda: dormitory.import_beds(dorm.clerk, term, found, problems), "问题")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DormRoom)) == 3


@pytest.mark.clock
def test_the_bed_list_replaces_the_semesters_beds_and_adds_rooms(dorm, client):
    rows = [("女生2号楼", "512", str(n), f"学生{n}", "七(2)班") for n in range(1, 5)]
    login(client, dorm.clerk)
    term = db.session.scalars(sa.select(DormBed)).first().term  # the term of the fixture's beds
    done = client.post(
        "/dormitory/beds/import",
        data={"term": str(term.id), "beds": (_bed_list(rows), "床位表.xlsx")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    room = db.session.scalar(sa.select(DormRoom).where(DormRoom.number == "512"))
    assert room.floor == 5 and room.building == "女生2号楼"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DormBed)) == 4  # the four before are replaced
    bad = client.post(
        "/dormitory/beds/import",
        data={
            "term": str(term.id),
            "beds": (_bed_list([("", "", "", "", "")] + [("楼", "1", "1", "甲", "十班")]), "x.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "十班" in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DormBed)) == 4
    not_excel = client.post(
        "/dormitory/beds/import",
        data={"term": str(term.id), "beds": (io.BytesIO(b"not a workbook"), "x.xlsx")},
        content_type="multipart/form-data",
    )
    assert not_excel.status_code == 422


# --- gaps and who may check -------------------------------------------------------------------


def test_a_boarding_day_without_a_check_is_flagged(dorm):
    monday = date(2026, 9, 14)
    _check(dorm, dorm.r305, monday)
    _check(dorm, dorm.r305, monday + timedelta(days=2))
    missing = dormitory.unchecked_days(
        dorm.school, monday, monday + timedelta(days=6), now=school_moment(date(2026, 9, 30), 9)
    )
    assert missing == [date(2026, 9, 15), date(2026, 9, 17), date(2026, 9, 18)]  # weekend days are not boarding days


def test_the_manager_checks_room_after_room_on_a_floor(client, dorm):
    login(client, dorm.manager)
    day = school_today(dorm.school).isoformat()
    quilt = dormitory.standard_of(dorm.school.id)[0]
    first = client.post(
        f"/dormitory/rooms/{dorm.r305.id}/check", data={"day": day, f"deduct-{quilt.id}": "5", "note": "被子没叠"}
    )
    assert first.status_code == 302 and f"/dormitory/rooms/{dorm.r306.id}/check" in first.headers["Location"]
    typed = client.post(f"/dormitory/rooms/{dorm.r306.id}/check", data={"day": day, f"deduct-{quilt.id}": "二十"})
    assert typed.status_code == 422 and "二十" in typed.get_data(as_text=True)  # what was typed is kept
    too_many = client.post(f"/dormitory/rooms/{dorm.r306.id}/check", data={"day": day, f"deduct-{quilt.id}": "25"})
    assert too_many.status_code == 422 and "不能超过" in too_many.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DormCheck)) == 1


@pytest.mark.parametrize("who", ["cook", "teacher", "keeper"])
def test_only_the_dormitory_manager_and_the_director_check(client, dorm, who):
    login(client, getattr(dorm, who))
    assert client.get(f"/dormitory/rooms/{dorm.r305.id}/check").status_code == 403
    assert client.post(f"/dormitory/rooms/{dorm.r305.id}/check", data={}).status_code == 403
    assert client.get("/dormitory").status_code in (200, 403)


def test_a_room_of_another_school_is_not_found(client, dorm, other_school):
    foreign = factories.dorm_room(other_school, "999")
    login(client, dorm.director)
    assert client.get(f"/dormitory/rooms/{foreign.id}/check").status_code == 404
    assert client.post(f"/dormitory/rooms/{foreign.id}/check", data={}).status_code == 404
    assert client.post(f"/dormitory/rooms/{foreign.id}/coaching", data={"notes": "x"}).status_code == 404
    assert school_classes.names_of(other_school.id) == set()


def test_the_compliance_page_shows_boarding_days_without_a_check(client, dorm):
    monday = date(2026, 9, 14)
    _check(dorm, dorm.r305, monday)
    login(client, dorm.principal)
    page = client.get("/compliance?range=custom&from=2026-09-14&to=2026-09-18").get_data(as_text=True)
    assert "无宿舍检查的住校日 · 2026年9月15日、2026年9月16日、2026年9月17日、2026年9月18日" in page
