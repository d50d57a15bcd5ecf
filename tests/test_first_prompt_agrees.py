"""Every due rule's reminder and the page it links to tell the same story: at the first
prompt the page shows what is to be done, a page's warning (a certificate 即将到期) begins
with the prompt and not a day before, and a page's late status (未上报, 已过期, 已逾期) begins
at the moment the routine escalates. The scenarios are test_reminders'; a rule without an
entry here fails the first test."""

import re
from datetime import timedelta

import pytest
import time_machine
from flask import url_for

from portal.due_rules import DUE_RULES
from portal.extensions import db
from portal.models import NotificationKind, User
from portal.services import reminders
from tests.conftest import login
from tests.test_reminders import SCENARIOS, people, prompted, told  # noqa: F401

# What the linked page shows at the first prompt.
OPEN_ON_THE_PAGE = {
    "certificates": "即将到期",
    "daily_reports": "2026年9月16日: 16:00 前上报",
    "dispatch_meetings": "尚无会议记录",
    "dorm_checks": "305 未检查",
    "food_samples": "红烧肉 重量（克） 留样盒标签",
    "tableware_disinfections": "消毒方式",
    "fridge_readings_morning": "第 1 次 温度（℃）",
    "fridge_readings_afternoon": "第 2 次 温度（℃）",
    "morning_checks": "已晨检: 0 / 1",
    "rectification_cutoff": "待整改",
    "rectification_deadline": "待整改",
    "risk_reports": "发现的风险隐患",
    "rule_confirmations": "我已阅读并理解本制度",
    "surveys": "尚无师生的问卷调查",
    "incident_reports": "告知县教育部门 尚未",
    "complaints": "前答复",
}
# Pages whose status warns before the due time: the warning starts with the first prompt.
WARNINGS = {"certificates", "complaints"}
# Pages with a late status of their own: it starts when the routine escalates.
LATE_ON_THE_PAGE = {
    "certificates": "已过期",
    "daily_reports": "2026年9月16日: 未上报",
    "rectification_deadline": "已逾期",
    "incident_reports": "超过 2 小时",
    "complaints": "逾期未答复",
}


def test_every_due_rule_says_what_its_page_shows():
    assert set(OPEN_ON_THE_PAGE) == {rule.key for rule in DUE_RULES}


def _page_at(app, client, reader, reminder, moment):
    with app.test_request_context():
        url = url_for(reminder.target_endpoint, **reminder.target_args)
    with time_machine.travel(moment, tick=False):
        login(client, reader)
        page = client.get(url)
    assert page.status_code == 200, url
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)))


def _first_prompt(people, key):  # noqa: F811
    rule = next(rule for rule in DUE_RULES if rule.key == key)
    due, _close = SCENARIOS[key](people)
    db.session.commit()
    first = due - reminders.lead_of(rule, reminders.choices_of(people.school.id)[key], people.school)
    reminders.run(people.school, now=first)
    db.session.commit()
    [reminder] = prompted(key)
    assert reminder.prompted_at == first
    return reminder, db.session.get(User, told(reminder, NotificationKind.REMINDER_DUE)[0])


@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_the_page_shows_the_gap_when_the_first_prompt_comes(app, client, people, key):  # noqa: F811
    reminder, reader = _first_prompt(people, key)
    first = reminder.prompted_at
    assert OPEN_ON_THE_PAGE[key] in _page_at(app, client, reader, reminder, first)
    before = _page_at(app, client, reader, reminder, first - timedelta(minutes=1))
    assert (OPEN_ON_THE_PAGE[key] in before) is (key not in WARNINGS), "the page warns before the reminder"


@pytest.mark.parametrize("key", sorted(LATE_ON_THE_PAGE))
def test_the_page_turns_late_when_the_routine_escalates(app, client, people, key):  # noqa: F811
    reminder, reader = _first_prompt(people, key)
    late = LATE_ON_THE_PAGE[key]
    assert late not in _page_at(app, client, reader, reminder, reminder.due_at - timedelta(minutes=1))
    reminders.run(people.school, now=reminder.due_at)
    db.session.commit()
    assert reminder.late_at == reminder.due_at
    assert late in _page_at(app, client, reader, reminder, reminder.due_at)
