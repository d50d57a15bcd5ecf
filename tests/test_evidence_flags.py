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
