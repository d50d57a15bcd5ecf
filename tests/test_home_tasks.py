"""Each home page lists a rectification task once, with its one deadline, and says 已逾期 in red
once it is late: for the director who watches the school's tasks, the principal, and the cook
whose own task it is."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import RectificationTask
from portal.services import reminders
from portal.timeutil import utcnow
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.clock


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def _late_task(people, responsible):
    """A problem found yesterday, not fixed: its cut-off (22:00) and deadline (24:00) have
    passed, and the routine has told everyone of both."""
    yesterday = factories.open_day(people.school, days_ago=1)
    room = factories.create_room(people.school, created_on=yesterday)
    factories.check_room(room, people.director, yesterday, problems="老鼠洞", responsible=responsible, rodents_ok=False)
    task = db.session.scalar(sa.select(RectificationTask))
    for moment in (factories.school_moment(yesterday, 21), utcnow()):
        reminders.run(people.school, now=moment)
    db.session.commit()
    return task


def _task_lines(page, task):
    """The list items that name the task."""
    return [item for item in re.findall(r"<li[^>]*>.*?</li>", page, re.S) if task.description in item]


@pytest.mark.parametrize("who", ["director", "principal"])
def test_a_late_task_is_one_line_with_one_deadline_and_late_in_red(people, client, who):
    task = _late_task(people, responsible=people.director)
    login(client, getattr(people, who))
    page = client.get("/").get_data(as_text=True)
    [line] = _task_lines(page, task)
    assert "已逾期" in line and "text-danger" in line
    assert "22:00" not in page  # the cut-off is the routine's, not a second deadline
    assert "整改即将到期" not in page


def test_a_cooks_own_late_task_says_late_in_red(people, client):
    task = _late_task(people, responsible=people.cook)
    login(client, people.cook)
    [line] = _task_lines(client.get("/").get_data(as_text=True), task)
    assert re.search(r'<a class="text-danger"[^>]*>[^<]*老鼠洞', line) and "已逾期" in line


def test_a_task_not_yet_due_is_not_called_late(people, client):
    today = factories.open_day(people.school)
    room = factories.create_room(people.school, created_on=today)
    factories.check_room(room, people.director, today, problems="纱窗破损", responsible=people.cook, flies_ok=False)
    task = db.session.scalar(sa.select(RectificationTask))
    assert task.deadline > utcnow() + timedelta(minutes=1) or pytest.skip("the day's deadline is now")
    login(client, people.cook)
    [line] = _task_lines(client.get("/").get_data(as_text=True), task)
    assert "已逾期" not in line and "text-danger" not in line


def test_the_task_list_names_ones_own_late_task_once(people, client):
    task = _late_task(people, responsible=people.director)
    login(client, people.director)
    [line] = _task_lines(client.get("/tasks").get_data(as_text=True), task)
    assert "已逾期" in line
