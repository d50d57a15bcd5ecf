"""Rules: versions, posting and retiring, acknowledgements and coverage."""

from datetime import date

import pytest
import sqlalchemy as sa

from portal.errors import DomainError
from portal.extensions import db
from portal.models import Role, Rule, RuleStatus, RuleVersion
from portal.services import audit, rules
from tests import factories
from tests.conftest import login


def test_editing_a_posted_rule_creates_a_new_version(school):
    rule = factories.create_rule(school, body="旧的正文")
    rules.save_rule(None, rule, audit.snapshot(rule), body="新的正文", effective_on=date(2026, 11, 1))
    db.session.commit()
    assert [v.number for v in rule.versions] == [1, 2]
    assert rule.versions[0].body == "旧的正文"  # the published text stays readable
    assert rule.body == "新的正文" and rule.version_number == 2


def test_editing_a_draft_changes_it_in_place(school):
    rule = factories.create_rule(school, body="草稿", posted=False)
    rules.save_rule(None, rule, audit.snapshot(rule), body="改过的草稿", effective_on=date(2026, 9, 1))
    db.session.commit()
    assert len(rule.versions) == 1 and rule.body == "改过的草稿"


def test_an_unchanged_text_makes_no_new_version(school):
    rule = factories.create_rule(school, body="正文")
    rules.save_rule(None, rule, audit.snapshot(rule), body="正文", effective_on=rule.effective_on)
    db.session.commit()
    assert len(rule.versions) == 1


def test_editing_through_the_admin_form_versions_the_rule(client, school, create_user):
    rule = factories.create_rule(school, title="留样制度", body="第一版")
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post(
        f"/admin/rules/edit/?id={rule.id}",
        data={
            "title": "留样制度",
            "category": "food_safety",
            "posted_locations": ["kitchen"],
            "body": "第二版",
            "effective_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    details = client.get(f"/admin/rules/details/?id={rule.id}").get_data(as_text=True)
    assert "第一版" in details and "第二版" in details


def test_an_empty_rule_text_is_refused_and_the_title_kept(client, school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post("/admin/rules/new/", data={"title": "没有正文的制度", "category": "hygiene", "body": "  "})
    assert response.status_code == 200
    assert "没有正文的制度" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Rule).where(Rule.title == "没有正文的制度")) is None


def test_posting_needs_a_location(school):
    rule = factories.create_rule(school, posted=False, locations=())
    with pytest.raises(DomainError):
        rules.post_rule(None, rule)


def test_post_and_retire_through_bulk_actions(client, school, create_user):
    draft = factories.create_rule(school, posted=False)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    client.post("/admin/rules/action/", data={"action": "post", "rowid": [draft.id]})
    assert db.session.get(Rule, draft.id).status is RuleStatus.POSTED
    client.post("/admin/rules/action/", data={"action": "retire", "rowid": [draft.id]})
    assert db.session.get(Rule, draft.id).status is RuleStatus.RETIRED


def test_a_posted_rule_cannot_be_deleted(client, school, create_user):
    rule = factories.create_rule(school)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post("/admin/rules/delete/", data={"id": rule.id}, follow_redirects=True)
    assert "不能删除" in response.get_data(as_text=True)
    assert db.session.get(Rule, rule.id) is not None


def test_a_draft_can_be_deleted(client, school, create_user):
    rule_id = factories.create_rule(school, posted=False).id
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    client.post("/admin/rules/delete/", data={"id": rule_id})
    assert db.session.get(Rule, rule_id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RuleVersion)) == 0


def test_staff_see_what_they_still_have_to_read(client, school, create_user):
    first = factories.create_rule(school, title="甲制度")
    second = factories.create_rule(school, title="乙制度")
    factories.create_rule(school, title="丙草稿", posted=False)
    staff = create_user(Role.STAFF, school)
    rules.acknowledge(staff, first)
    db.session.commit()
    assert [r.id for r in rules.pending_for(staff)] == [second.id]
    login(client, staff)
    home = client.get("/").get_data(as_text=True)
    assert "乙制度" in home and "丙草稿" not in home


def test_acknowledging_through_the_page(client, school, create_user):
    rule = factories.create_rule(school, title="甲制度", body="第一条 勤洗手。")
    staff = create_user(Role.STAFF, school)
    login(client, staff)
    page = client.get(f"/my/rules/{rule.id}").get_data(as_text=True)
    assert "第一条 勤洗手。" in page and "我已阅读并理解本制度" in page
    client.post(f"/my/rules/{rule.id}/acknowledge")
    client.post(f"/my/rules/{rule.id}/acknowledge")  # a second tap changes nothing
    assert rules.pending_for(staff) == []
    assert "您已确认学习此版本" in client.get(f"/my/rules/{rule.id}").get_data(as_text=True)


def test_a_new_version_must_be_read_again(school, create_user):
    rule = factories.create_rule(school, body="旧的")
    staff = create_user(Role.STAFF, school)
    rules.acknowledge(staff, rule)
    rules.save_rule(None, rule, audit.snapshot(rule), body="新的", effective_on=date(2026, 11, 1))
    db.session.commit()
    assert [r.id for r in rules.pending_for(staff)] == [rule.id]


def test_coverage_counts_active_staff_on_the_current_version(client, school, create_user):
    rule = factories.create_rule(school)
    readers = [create_user(Role.STAFF, school) for _ in range(3)]
    create_user(Role.STAFF, school, active=False)  # not in the audience
    rules.acknowledge(readers[0], rule)
    rules.acknowledge(readers[1], rule)
    db.session.commit()
    [coverage] = rules.coverage(school.id)
    assert (coverage.acknowledged, coverage.audience, coverage.percent) == (2, 3, 67)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    assert "2/3" in client.get("/reports/rule-coverage").get_data(as_text=True)
    assert "2/3" in client.get("/admin/rules/").get_data(as_text=True)


def test_a_rule_of_another_school_is_404_for_staff(client, school, other_school, create_user):
    rule = factories.create_rule(other_school, title="外校制度")
    login(client, create_user(Role.STAFF, school))
    assert client.get(f"/my/rules/{rule.id}").status_code == 404
    assert client.post(f"/my/rules/{rule.id}/acknowledge").status_code == 404


def test_a_draft_rule_is_not_shown_to_staff(client, school, create_user):
    rule = factories.create_rule(school, posted=False)
    login(client, create_user(Role.STAFF, school))
    assert client.get(f"/my/rules/{rule.id}").status_code == 404
