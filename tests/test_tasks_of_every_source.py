"""A rectification task opens, lists and moves on for every source it can come from (an
inspection's finding, an accompanied meal, a four-preventions check), as every role that
may see it: the person responsible, the director, the principal and the school admin."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Meal, RectificationTask, Role, TaskStatus
from portal.services import inspections
from tests import factories
from tests.conftest import login
from tests.factories import LEDGER_DAY, school_moment


@pytest.fixture
def tasks(school, create_user):
    factories.add_term(school)
    people = SimpleNamespace(
        principal=create_user(Role.PRINCIPAL, school, display_name="王校长"),
        director=create_user(Role.DIRECTOR, school, display_name="陈主任"),
        cook=create_user(Role.STAFF, school, display_name="赵工友", canteen_worker=True),
        clerk=create_user(Role.SCHOOL_ADMIN, school, display_name="李干事"),
        bystander=create_user(Role.STAFF, school, display_name="钱工友"),
    )
    inspection = factories.create_inspection(people.director, inspected_on=LEDGER_DAY)
    factories.answer_all(inspection, fail=(0,))
    inspections.submit(
        people.director,
        inspection,
        {key: people.cook for key, _text in inspections.pending_findings(inspection)},
        now=school_moment(LEDGER_DAY, 10),
    )
    db.session.commit()
    factories.accompany(school, people.principal, meal=Meal.LUNCH, problems="汤是凉的", responsible=people.cook)
    room = factories.create_room(school)
    factories.check_room(room, people.director, problems="发现鼠迹", responsible=people.cook, rodents_ok=False)
    by_source = {}
    for task in db.session.scalars(sa.select(RectificationTask).order_by(RectificationTask.id)):
        kind = {None: "inspection", "accompanied_meals": "meal", "prevention_checks": "prevention"}[task.ledger]
        by_source.setdefault(kind, task)
    assert set(by_source) == {"inspection", "meal", "prevention"}
    return SimpleNamespace(people=people, by_source=by_source, school=school)


SOURCES = ("inspection", "meal", "prevention")
WATCHERS = ("principal", "director", "clerk")


@pytest.mark.parametrize("source", SOURCES)
def test_every_role_that_may_see_the_task_opens_it(client, tasks, source):
    task = tasks.by_source[source]
    for who in ("cook", *WATCHERS):
        login(client, getattr(tasks.people, who))
        page = client.get(f"/tasks/{task.id}")
        assert page.status_code == 200, (who, source)
        assert task.description in page.get_data(as_text=True)
        assert client.get("/tasks").status_code == 200
        assert client.get("/").status_code == 200
    login(client, tasks.people.bystander)
    assert client.get(f"/tasks/{task.id}").status_code == 404


@pytest.mark.parametrize("source", SOURCES)
def test_the_task_page_names_where_the_problem_was_found(client, tasks, source):
    task = tasks.by_source[source]
    login(client, tasks.people.director)
    text = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    kind = {"inspection": "检查", "meal": "陪餐", "prevention": "四防检查"}[source]
    assert f"{kind}：{task.source}" in text


@pytest.mark.parametrize("source", SOURCES)
def test_a_task_of_every_source_is_rectified_sent_back_and_verified_through_the_pages(client, tasks, source):
    task_id = tasks.by_source[source].id
    people = tasks.people
    login(client, people.cook)
    assert client.post(f"/tasks/{task_id}/rectify", data={"note": "已处理"}).status_code == 302
    login(client, people.director)
    assert client.get(f"/tasks/{task_id}").status_code == 200
    assert client.post(f"/tasks/{task_id}/send-back", data={"reason": "不彻底"}).status_code == 302
    assert db.session.get(RectificationTask, task_id).status is TaskStatus.OPEN
    login(client, people.cook)
    assert client.post(f"/tasks/{task_id}/rectify", data={"note": "再次处理"}).status_code == 302
    login(client, people.principal)
    assert f"/tasks/{task_id}" in client.get("/tasks").get_data(as_text=True)
    assert client.post(f"/tasks/{task_id}/verify").status_code == 302
    db.session.expire_all()
    assert db.session.get(RectificationTask, task_id).status is TaskStatus.VERIFIED


@pytest.mark.parametrize("source", SOURCES)
def test_an_overdue_task_of_every_source_is_linked_from_the_watchers_home_pages(client, tasks, source):
    task = tasks.by_source[source]
    for who in WATCHERS[:2]:
        login(client, getattr(tasks.people, who))
        home = client.get("/")
        assert home.status_code == 200
        assert f"/tasks/{task.id}" in home.get_data(as_text=True)
