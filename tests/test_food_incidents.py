"""食品安全事故 / 疑似食物中毒 reports: the offices told within 2 hours (at 2:00 on time, at 2:01
late, shown red), a report cannot be signed before both offices are told and its follow-up is
written (by the service and by the database), and once signed it is frozen. Reported and
completed through the pages as the director and the principal do."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import FoodIncident, Role
from portal.services import incidents
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY, PASSWORD, school_moment
from tests.tamper import refused_by_the_database

FOUND = school_moment(LEDGER_DAY, 12, 30)


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def test_two_hours_is_on_time_and_a_minute_more_is_late(people):
    incident = factories.report_incident(people.director, FOUND)
    on_time = incidents.record_told(
        people.director, incident, "education", FOUND + timedelta(hours=2), now=FOUND + timedelta(hours=3)
    )
    late = incidents.record_told(
        people.director, incident, "market", FOUND + timedelta(hours=2, minutes=1), now=FOUND + timedelta(hours=3)
    )
    assert (on_time, late) == (False, True) and incident.late()
    refused(
        lambda: incidents.record_told(people.director, incident, "market", FOUND - timedelta(minutes=1), now=FOUND),
        "之后",
    )


def test_signed_only_after_both_offices_and_the_follow_up_then_frozen(people):
    incident = factories.report_incident(people.director, FOUND, education_told_at=FOUND + timedelta(minutes=40))
    refused(lambda: incidents.sign(people.principal, incident, PASSWORD), "两个部门")
    incidents.record_told(
        people.director, incident, "market", FOUND + timedelta(minutes=50), now=FOUND + timedelta(hours=1)
    )
    db.session.commit()
    refused(lambda: incidents.sign(people.principal, incident, PASSWORD), "后续")
    signing = f"UPDATE food_incident SET signed_at = created_at, signed_by_id = {people.principal.id}"
    assert "signed_after_follow_up" in refused_by_the_database(f"{signing} WHERE id = {incident.id}")
    incidents.write_follow_up(people.director, incident, "县疾控检测：当餐凉拌菜污染；三名学生已康复返校；停售凉拌菜")
    db.session.commit()
    refused(lambda: incidents.sign(people.director, incident, PASSWORD), "校长")
    incidents.sign(people.principal, incident, PASSWORD)
    db.session.commit()
    refused(lambda: incidents.write_follow_up(people.director, incident, "改写"), "已签字")
    assert "cannot change" in refused_by_the_database(
        f"UPDATE food_incident SET ill_count = 1 WHERE id = {incident.id}"
    )


def test_a_report_needs_what_was_sealed_and_someone_ill(people):
    for field, value, words in (("sealed", "", "封存"), ("ill_count", 0, "1 人")):
        incident = FoodIncident(found_at=FOUND, ill_count=2, what_happened="腹痛", actions="送医", sealed="留样封存")
        setattr(incident, field, value)
        refused(lambda i=incident: incidents.report(people.director, i, now=FOUND), words)
    cook = FoodIncident(found_at=FOUND, ill_count=2, what_happened="腹痛", actions="送医", sealed="留样封存")
    refused(lambda: incidents.report(people.cook, cook, now=FOUND), "校长、总务主任")


def test_reported_told_and_signed_through_the_pages(client, people, create_user):
    login(client, people.director)
    form = {
        "found_at": "2026-09-16T12:30",
        "ill_count": "3",
        "what_happened": "午餐后三名学生腹痛",
        "actions": "送医；停止供应",
        "sealed": "",
    }
    refused_page = client.post("/canteen/incidents", data=form)
    text = refused_page.get_data(as_text=True)
    assert refused_page.status_code == 422 and "午餐后三名学生腹痛" in text and "封存" in text
    done = client.post("/canteen/incidents", data=form | {"sealed": "当餐留样已封存"})
    assert done.status_code == 302
    incident = db.session.scalar(sa.select(FoodIncident))
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "告知县教育部门" in page and "尚未" in page and "text-danger" in page  # long past its 2 hours
    told = client.post(
        f"/canteen/incidents/{incident.id}/told/education", data={"education-told_at": "2026-09-16T14:00"}
    )
    assert told.status_code == 302
    assert client.post(f"/canteen/incidents/{incident.id}/told/police", data={}).status_code == 404
    login(client, people.cook)
    assert client.post(f"/canteen/incidents/{incident.id}/follow-up", data={"follow_up": "x"}).status_code == 403
    login(client, create_user(Role.COUNTY_AUDITOR))
    assert "3 人不适" in client.get(f"/canteen/incidents?school={people.school.id}").get_data(as_text=True)


def test_the_compliance_page_and_the_countys_table_count_open_and_late_reports(client, people, create_user):
    factories.report_incident(people.director, FOUND, education_told_at=FOUND + timedelta(hours=3))
    login(client, people.principal)
    assert "1 起未签字，1 起报告超过 2 小时" in client.get("/compliance?range=term").get_data(as_text=True)
    login(client, create_user(Role.COUNTY_AUDITOR))
    county = client.get("/compliance?range=term").get_data(as_text=True)
    assert "食品安全事故（未签字，报告超时）" in county and "1 (1, 1)" in county
