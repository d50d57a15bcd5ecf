"""应急演练: a drill practises a posted emergency plan, has at least two people taking part, and a
finding becomes a rectification task for the person chosen; recorded on the page by the
director, refused to a cook, read by the county."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import EmergencyDrill, RectificationTask, Role
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login, refused


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def test_a_finding_becomes_a_task_and_a_drill_practises_a_posted_plan(people):
    drill = factories.drill(
        people.school, people.director, findings="校医到场用时 12 分钟，超过预案的 5 分钟", responsible=people.clerk
    )
    [task] = db.session.scalars(sa.select(RectificationTask)).all()
    assert task.ledger == "emergency_drills" and task.ledger_record_id == drill.id and task.responsible == people.clerk
    assert task.found_by_id == people.director.id and task.source_kind == "应急演练"
    draft = factories.create_rule(people.school, title="应急预案（草稿）", posted=False)
    refused(lambda: factories.drill(people.school, people.director, plan=draft), "已发布的制度")
    refused(lambda: factories.drill(people.school, people.director, findings="没有责任人"), "整改责任人")
    refused(lambda: factories.drill(people.school, people.cook), "校长、总务主任")


def test_the_director_records_a_drill_on_the_page(client, people, create_user):
    plan = factories.create_rule(people.school, title="食品安全事故应急预案")
    login(client, people.director)
    page = client.get("/canteen/drills").get_data(as_text=True)
    assert "食品安全事故应急预案" in page
    form = {
        "day": school_today(people.school).isoformat(),
        "plan": plan.id,
        "scenario": "疑似食物中毒演练",
        "participants": "全体食堂员工",
        "participant_count": "1",
        "findings": "",
    }
    one = client.post("/canteen/drills", data=form)
    assert (
        one.status_code == 422
        and "至少 2 人" in one.get_data(as_text=True)
        and "疑似食物中毒演练" in one.get_data(as_text=True)
    )
    assert client.post("/canteen/drills", data=form | {"participant_count": "8"}).status_code == 302
    assert db.session.scalar(sa.select(EmergencyDrill.participant_count)) == 8
    login(client, people.cook)
    assert client.post("/canteen/drills", data=form | {"participant_count": "8"}).status_code == 403
    login(client, create_user(Role.COUNTY_AUDITOR))
    assert "疑似食物中毒演练" in client.get(f"/canteen/drills?school={people.school.id}").get_data(as_text=True)
