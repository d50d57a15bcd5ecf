"""The parents' meal committee: members of a school year, an activity with at least one of
them present (a member of another year refused), a finding that becomes a rectification task
for someone who fixes it, parent accompanied meals counted in the year, the evidence, and the
parents' telephones kept from the kitchen."""

from datetime import date

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import ActivityKind, CommitteeActivity, Meal, ParentMeal, RectificationTask, Role
from portal.services import committee
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY, school_moment


@pytest.fixture
def people(school):
    people = factories.school_staff(school)
    people.chair = factories.committee_member(school, "张家长")
    people.member = factories.committee_member(school, "李家长")
    people.last_year = factories.committee_member(school, "王家长", school_year=2025)
    return people


def _activity(people, members, **options):
    return factories.committee_activity(people.school, people.director, members, **options)


def test_an_activity_needs_members_of_its_school_year(people):
    refused(lambda: _activity(people, []), "出席")
    refused(lambda: _activity(people, [people.last_year]), "出席")
    activity = _activity(people, [people.chair, people.member])
    assert activity.present_names == "张家长、李家长"


def test_a_finding_is_a_rectification_task(people):
    refused(lambda: _activity(people, [people.chair], findings="米饭偏硬"), "整改")
    activity = _activity(people, [people.chair], findings="米饭偏硬", responsible=people.cook)
    task = db.session.scalar(sa.select(RectificationTask))
    assert task.responsible == people.cook and task.description == "米饭偏硬" and task.source == activity


def test_the_year_counts_parent_accompanied_meals(people):
    _activity(people, [people.chair], kind=ActivityKind.ACCOUNTS)
    from portal.services import accompanied_meals

    meal = ParentMeal(
        school_id=people.school.id, day=LEDGER_DAY, meal=Meal.LUNCH, parent_name="赵家长", class_name="七(1)班"
    )
    accompanied_meals.save_parent_meal(people.clerk, meal, None, now=school_moment(LEDGER_DAY, 13))
    db.session.commit()
    members, entries = committee.year_of(people.school.id, 2026)
    assert [m.name for m in members] == ["张家长", "李家长"]
    assert [(e.day, str(e.what)) for e in entries] == [
        (LEDGER_DAY, "公布食堂账目"),
        (LEDGER_DAY, "家长陪餐"),
    ]


def test_the_page_records_an_activity_and_the_kitchen_cannot_read_the_parents(client, people):
    login(client, people.cook)
    assert client.get("/committee").status_code == 403
    assert client.get("/admin/committee_members/").status_code == 403
    login(client, people.director)
    today = factories.open_day(people.school)
    year = committee.school_year_of(today)
    chair = factories.committee_member(people.school, "孙家长", school_year=year) if year != 2026 else people.chair
    form = {"day": today.isoformat(), "kind": "tasting", "present": [str(chair.id)], "findings": ""}
    done = client.post("/committee", data=form)
    assert done.status_code == 302
    none_present = client.post("/committee", data=form | {"present": []})
    assert none_present.status_code == 422
    page = client.get(f"/committee?year={year}").get_data(as_text=True)
    assert "试吃" in page and chair.name in page and "13800000000" in page
    assert page.count(">成员<") == 1 and "维护成员名单" in page  # the heading, and the button says what it does
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommitteeActivity)) == 1


def test_the_evidence_section(people):
    from portal.evidence.committee import build_committee
    from portal.evidence.parts import Scope
    from portal.evidence.sections import BY_KEY

    _activity(people, [people.chair, people.member], findings="菜偏咸", responsible=people.cook)
    part = build_committee(BY_KEY["committee"], Scope(people.school, date(2026, 9, 1), date(2026, 9, 30)))
    names = [sheet.name for sheet in part.sheets]
    assert "家长膳食委员会成员" in names
    members = next(sheet for sheet in part.sheets if sheet.name == "家长膳食委员会成员")
    assert [row[1] for row in members.rows] == ["张家长", "李家长"]  # no telephone in the bundle
    year = next(sheet for sheet in part.sheets if "活动" in sheet.name)
    assert year.rows == [["2026-09-16", "试吃", "张家长、李家长", "菜偏咸"]]


def test_another_schools_committee_is_out_of_reach(client, people, other_school, create_user):
    foreign = factories.committee_member(other_school, "外校家长")
    login(client, create_user(Role.SCHOOL_ADMIN, people.school))
    assert client.get(f"/admin/committee_members/details/?id={foreign.id}").status_code == 404
    form = {"day": LEDGER_DAY.isoformat(), "kind": "tasting", "present": [str(foreign.id)]}
    assert client.post("/committee", data=form).status_code == 422
