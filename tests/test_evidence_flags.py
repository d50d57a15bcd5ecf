"""What an auditor must see flagged in the evidence's tables: a food sample whose keeping
hours passed with no discard recorded."""

from datetime import timedelta

from portal.evidence.tables import TABLES
from portal.extensions import db
from tests import factories


def test_a_sample_kept_past_its_hours_without_a_discard_is_flagged(school):
    people = factories.school_staff(school)
    kept = factories.create_sample(factories.create_dish(school), people.keeper, reviewed_by=people.director)
    flag = TABLES["food_samples"].flag
    assert flag(kept) == "48 小时后未记录处理"
    kept.discarded_at, kept.discarded_by = kept.retained_at + timedelta(hours=49), people.keeper
    assert flag(kept) == ""
    db.session.rollback()


def test_a_sample_still_within_its_hours_is_not(school):
    people = factories.school_staff(school)
    day = factories.open_day(school)
    fresh = factories.create_sample(factories.create_dish(school, day=day), people.keeper, reviewed_by=people.director)
    assert "未记录处理" not in TABLES["food_samples"].flag(fresh)


def test_the_schools_own_summary_says_whether_it_needs_a_food_safety_director(school, tmp_path):
    from portal.services import subsidy_county
    from tests.test_nutrition import imported, students

    people = factories.school_staff(school)
    imported(people, tmp_path, students(500))
    day = factories.LEDGER_DAY
    assert str(subsidy_county.food_safety_director_check(school.id, day, day).state) == "无需配备"
    factories.report_day(school, people.clerk, day=day, lunch=500)
    check = subsidy_county.food_safety_director_check(school.id, day, day)
    assert (check.most_diners, check.missing, str(check.state)) == (500, True, "未配备")
    people.director.food_safety_manager = True
    db.session.commit()
    assert str(subsidy_county.food_safety_director_check(school.id, day, day).state) == "已配备"


def test_the_canteen_summary_has_the_periods_clean_plate_figure_against_the_target(school):
    from portal.evidence.canteen import _clean_plate_line
    from portal.services import clean_plate

    people = factories.school_staff(school)
    day = factories.LEDGER_DAY
    assert "没有剩餐称重" in str(
        _clean_plate_line(clean_plate.total_of(school, clean_plate.daily_figures(school, day, day)))[0]
    )
    factories.weigh_leftovers(school, people.cook, kg="4.00", diners=100, day=day)
    text, flag = _clean_plate_line(clean_plate.total_of(school, clean_plate.daily_figures(school, day, day)))
    assert "每百人 4.00 千克" in str(text) and "目标不超过 3.00" in str(text) and flag == "超过目标"


def test_the_first_roster_is_the_roster_not_a_list_of_changes(school, tmp_path):
    from datetime import date

    from portal.evidence.nutrition import build_nutrition
    from portal.evidence.parts import Scope
    from portal.evidence.sections import BY_KEY
    from portal.models import ChangeKind, Student
    from portal.services import enrolment
    from tests.test_nutrition import NOW, imported, students

    people = factories.school_staff(school)
    imported(people, tmp_path, students(5))  # 5 put on the roster, 5 eligible
    leaver = db.session.scalar(db.select(Student).order_by(Student.id))
    enrolment.record_change(people.clerk, leaver, ChangeKind.TRANSFER_OUT, date(2026, 9, 20), "转学联系函", now=NOW)
    db.session.commit()
    part = build_nutrition(BY_KEY["nutrition"], Scope(school, date(2026, 9, 1), date(2026, 9, 30)))
    [changes] = [sheet for sheet in part.sheets if sheet.name == "异动学生台账"]
    assert [row[4] for row in changes.rows] == ["转出"]
    summary = [str(text) for text, _missing in part.context["summary"]]
    assert any("学生异动：1 条，其中 1 条未经第二人核对（首次导入名册的 10 条" in line for line in summary), summary
