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
    assert "没有剩餐称重" in str(_clean_plate_line(clean_plate.period_figure(school, day, day))[0])
    factories.weigh_leftovers(school, people.cook, kg="4.00", diners=100, day=day)
    text, flag = _clean_plate_line(clean_plate.period_figure(school, day, day))
    assert "每百人 4.00 千克" in str(text) and "目标不超过 3.00" in str(text) and flag == "超过目标"
