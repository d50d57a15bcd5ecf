"""Reminders: every due rule at its boundary (prompted exactly at its lead time and not a minute
before, nothing after the gap closed, one escalation when late), generated from the registry;
school hours and the daily digest; both group robots' exact payloads and DingTalk's signature
against a local fake server; retries and a failure shown to the school admin; bad settings
refused with the reason; the county's count of prompted gaps."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from datetime import date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from flask import url_for

from portal.due_rules import DUE_RULES
from portal.extensions import db
from portal.i18n import deadline_text
from portal.models import (
    Audience,
    GroupMessage,
    MessageStatus,
    Notification,
    NotificationKind,
    Platform,
    RectificationTask,
    Reminder,
    RiskReport,
    Role,
    Survey,
)
from portal.queue import huey
from portal.services import calendar, food_safety, rectification, reminders, rules, surveys
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login
from tests.factories import LEDGER_DAY, PASSWORD, school_moment
from tests.test_queue import storage  # noqa: F401 - the fixture: a real broker

WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7b1c-4bc4-97a0-0ec2c1fa5aaa"
DINGTALK_TOKEN = "50cb6e954c89afa14fb97754eafd886d658fcda27d05015a26b474e7bd2f0a59"
DINGTALK_URL = f"https://oapi.dingtalk.com/robot/send?access_token={DINGTALK_TOKEN}"
DINGTALK_SECRET = "SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc"


@pytest.fixture
def people(school):
    people = factories.school_staff(school)
    db.session.commit()
    return people


# --- each due rule at its boundary --------------------------------------------------------------
# A scenario makes the gap and says when it is due; ``close`` closes it. The school day is
# LEDGER_DAY, a Wednesday of the term.


def _samples(p, day=LEDGER_DAY):
    dish = factories.create_dish(p.school, day=day)
    return school_moment(day, 13), lambda: factories.create_sample(dish, p.keeper)


def _tableware(p, day=LEDGER_DAY):
    from portal.models import DisinfectionMethod, Meal, TablewareDisinfection
    from portal.services import canteen

    def close():
        record = TablewareDisinfection(school_id=p.school.id, day=day, meal=Meal.LUNCH, method=DisinfectionMethod.STEAM)
        record.temperature_c, record.duration_seconds = 100, 600
        canteen.save_disinfection(p.cook, record, None, now=school_moment(day, 12, 40))

    return school_moment(day, 13), close


def _morning_checks(p):
    from portal.models import MorningCheck
    from portal.services import morning_checks

    factories.create_certificate(p.cook, issued_on=date(2026, 1, 1), expires_on=date(2026, 12, 31))

    def close():
        check = MorningCheck(
            school_id=p.school.id,
            day=LEDGER_DAY,
            worker=p.cook,
            temperature_c=36.5,
            symptoms="",
            fit=True,
            on_duty=True,
        )
        morning_checks.save_morning_check(p.director, check, None, now=school_moment(LEDGER_DAY, 7, 40))

    return school_moment(LEDGER_DAY, 8), close


def _fridge_morning(p):
    unit = factories.create_cold_unit(p.school)
    return school_moment(LEDGER_DAY, 10), lambda: factories.read_temperature(unit, p.keeper, 4, LEDGER_DAY, 1)


def _fridge_afternoon(p):
    unit = factories.create_cold_unit(p.school)
    factories.read_temperature(unit, p.keeper, 4, LEDGER_DAY, 1)
    return school_moment(LEDGER_DAY, 16), lambda: factories.read_temperature(unit, p.keeper, 5, LEDGER_DAY, 2)


def _daily_report(p):
    factories.enrol(p.school, p.clerk, day=LEDGER_DAY)
    return school_moment(LEDGER_DAY, 16), lambda: factories.report_day(p.school, p.clerk, LEDGER_DAY)


def _risk_report(p):
    monday = LEDGER_DAY - timedelta(days=LEDGER_DAY.weekday())
    p.keeper.food_safety_manager = True
    db.session.commit()

    def sign(week):
        report = RiskReport(school_id=p.school.id, week_start=week, risks_found="无", measures="无")
        food_safety.save_report(p.keeper, report, None)
        food_safety.sign_report(p.keeper, report, PASSWORD, now=school_moment(LEDGER_DAY, 15))
        db.session.commit()

    sign(monday - timedelta(days=7))  # last week's is done
    return school_moment(monday + timedelta(days=4), 17), lambda: sign(monday)


def _meeting(p):
    def close():
        meeting = factories.record_meeting(p.school, p.principal, held_on=LEDGER_DAY)
        food_safety.sign_meeting(p.principal, meeting, PASSWORD, now=school_moment(LEDGER_DAY, 17))

    return school_moment(LEDGER_DAY.replace(day=25), 17), close


def _certificate(p):
    factories.create_certificate(p.cook, issued_on=date(2025, 10, 1), expires_on=LEDGER_DAY + timedelta(days=10))
    renew = lambda: factories.create_certificate(p.cook, issued_on=date(2026, 8, 1), expires_on=date(2027, 7, 31))  # noqa: E731
    return school_moment(LEDGER_DAY + timedelta(days=11), 0), renew


def _rule_confirmation(p):
    rule = factories.create_rule(p.school)
    version = rule.current_version

    def close():
        rules.acknowledge(p.cook, rule)
        rules.acknowledge(p.keeper, rule)

    return version.created_at + timedelta(days=7), close


def _task(p):
    room = factories.create_room(p.school)
    factories.check_room(room, p.director, LEDGER_DAY, problems="老鼠洞", responsible=p.cook, rodents_ok=False)
    [task] = db.session.scalars(sa.select(RectificationTask)).all()
    return task, lambda: rectification.rectify(p.cook, task, "已堵上", now=school_moment(LEDGER_DAY, 19))


def _task_at_cutoff(p):
    _task_, close = _task(p)
    return school_moment(LEDGER_DAY, 22), close


def _task_at_deadline(p):
    task, close = _task(p)
    return task.deadline, close


def _dorm_check(p):
    room = factories.dorm_room(p.school)
    return school_moment(LEDGER_DAY, 11), lambda: factories.check_dorm(p.director, room, LEDGER_DAY)


def _surveys(p):
    """Due at the end of today's term; closed by a survey of students and one of parents, each
    closing two days before (or today)."""
    term = factories.term_of_today(p.school)
    db.session.commit()

    def close():
        closes_on = max(school_today(p.school), term.ends_on - timedelta(days=2))
        for audience in (Audience.STUDENTS, Audience.PARENTS):
            survey = Survey(title="满意度调查", audiences=[audience], audience_size=40, closes_on=closes_on)
            surveys.create_survey(p.clerk, survey, "评分：饭菜的口味")
            surveys.answer(survey, {str(survey.questions[0].id): "5"}, actor=p.clerk)

    return school_moment(term.ends_on, 0), close


def _incident(p):
    from portal.services import incidents

    found = school_moment(LEDGER_DAY, 12, 30)
    incident = factories.report_incident(p.director, found)

    def close():
        for office in incidents.OFFICES:
            incidents.record_told(
                p.director, incident, office, found + timedelta(hours=1), now=found + timedelta(hours=1)
            )

    return found + timedelta(hours=2), close


def _complaint(p):
    from portal.services import complaints

    received = school_moment(LEDGER_DAY, 12, 40)
    complaint = factories.complain(p.school, received_at=received)

    def close():
        complaints.answer(p.director, complaint, "已核实并整改", now=received + timedelta(hours=1))

    return received + timedelta(days=3), close


SCENARIOS = {
    "food_samples": _samples,
    "tableware_disinfections": _tableware,
    "morning_checks": _morning_checks,
    "fridge_readings_morning": _fridge_morning,
    "fridge_readings_afternoon": _fridge_afternoon,
    "daily_reports": _daily_report,
    "risk_reports": _risk_report,
    "dispatch_meetings": _meeting,
    "certificates": _certificate,
    "rule_confirmations": _rule_confirmation,
    "rectification_cutoff": _task_at_cutoff,
    "rectification_deadline": _task_at_deadline,
    "dorm_checks": _dorm_check,
    "surveys": _surveys,
    "incident_reports": _incident,
    "complaints": _complaint,
}


def test_every_due_rule_has_a_scenario():
    assert set(SCENARIOS) == {rule.key for rule in DUE_RULES}


def test_a_due_rule_keeps_a_ledger_of_the_registry_and_links_to_its_page(app):
    from portal.models.registry import KINDS as ledgers

    for rule in DUE_RULES:
        assert rule.record is None or rule.record in ledgers, rule.key
        assert rule.period_minutes >= rule.default_lead_minutes, f"{rule.key}: its default lead is refused"
        assert rule.lead_setting is None or rule.lead_setting in {"certificate_warning_days"}


def prompted(key):
    return db.session.scalars(sa.select(Reminder).where(Reminder.rule == key)).all()


def told(reminder, kind):
    return sorted(
        db.session.scalars(
            sa.select(Notification.user_id).where(
                Notification.kind == kind,
                Notification.target_id == reminder.id,
                Notification.target_endpoint == "reminders.follow_reminder",
            )
        )
    )


@pytest.mark.clock
@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_a_gap_is_prompted_at_its_lead_time_and_not_after_it_closed(app, people, key):
    rule = next(rule for rule in DUE_RULES if rule.key == key)
    due, close = SCENARIOS[key](people)
    lead = reminders.lead_of(rule, reminders.choices_of(people.school.id)[key], people.school)
    reminders.run(people.school, now=due - lead - timedelta(minutes=1))
    assert prompted(key) == [], "prompted before its lead time"
    reminders.run(people.school, now=due - lead)
    [reminder] = prompted(key)
    assert reminder.due_at == due
    assert told(reminder, NotificationKind.REMINDER_DUE), "nobody responsible was told"
    with app.test_request_context():
        assert url_for(reminder.target_endpoint, **reminder.target_args)  # a page that exists
    close()
    db.session.commit()
    reminders.run(people.school, now=due - timedelta(minutes=1))
    assert reminder.closed_at == due - timedelta(minutes=1) and reminder.closed_in_time
    reminders.run(people.school, now=due + timedelta(minutes=5))
    db.session.commit()
    assert reminder.late_at is None and told(reminder, rule.late_kind) == []
    assert len(prompted(key)) == 1


@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_a_gap_still_open_at_its_due_time_is_escalated_once(people, key):
    rule = next(rule for rule in DUE_RULES if rule.key == key)
    due, _close = SCENARIOS[key](people)
    reminders.run(people.school, now=due - timedelta(minutes=1))
    [reminder] = prompted(key)
    assert reminder.late_at is None
    reminders.run(people.school, now=due)
    reminders.run(people.school, now=due + timedelta(minutes=5))
    db.session.commit()
    assert reminder.late_at == due
    watchers = {user.id for user in (people.principal, people.director, people.clerk) if user.can(rule.escalate_to)}
    assert set(told(reminder, rule.late_kind)) == watchers and watchers
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reminder)) >= 1
    assert len(prompted(key)) == 1


def test_a_pc_switched_off_over_night_still_tells_the_principal_of_an_overdue_task(people):
    """No routine ran between the afternoon and the next morning: the task turned overdue at
    midnight is escalated at 07:30 (never prompted as due soon); yesterday's missing sample
    is a gap to report, no longer one to prompt."""
    task_due, _close = _task_at_deadline(people)
    _samples(people)
    morning = school_moment(LEDGER_DAY + timedelta(days=1), 7, 30)
    reminders.run(people.school, now=morning)
    db.session.commit()
    [task] = prompted("rectification_deadline")
    assert task.late_at == morning
    assert told(task, NotificationKind.REMINDER_DUE) == []
    assert told(task, NotificationKind.TASK_OVERDUE) == sorted([people.principal.id, people.director.id])
    assert prompted("food_samples") == []


def test_a_disabled_rule_prompts_nothing(people):
    due, _close = _samples(people)
    only(people, "tableware_disinfections")
    reminders.run(people.school, now=due)
    assert prompted("food_samples") == [] and len(prompted("tableware_disinfections")) == 1


def test_a_gap_reopened_is_not_prompted_twice(people):
    """A sample withdrawn after the gap closed opens it again: no second prompt, and it still
    counts as one prompted gap."""
    from portal.services import ledgers

    day = factories.open_day(people.school)  # a day whose records are not locked yet
    dish = factories.create_dish(people.school, day=day)
    due = school_moment(day, 13)
    reminders.run(people.school, now=due - timedelta(minutes=30))
    sample = factories.create_sample(dish, people.keeper)
    reminders.run(people.school, now=due - timedelta(minutes=20))
    [reminder] = prompted("food_samples")
    assert reminder.closed_at is not None
    ledgers.withdraw(people.director, sample, "称重错误", now=due - timedelta(minutes=15))
    db.session.commit()
    reminders.run(people.school, now=due - timedelta(minutes=10))
    assert reminder.closed_at is None
    assert len(told(reminder, NotificationKind.REMINDER_DUE)) == len(set(told(reminder, NotificationKind.REMINDER_DUE)))


# --- the group robots, against a local fake server ------------------------------------------------


class FakeRobot:
    """Answers like WeCom and DingTalk: each request is kept (path, query, JSON body); the
    answers are taken from ``answers`` in turn (the last one repeats)."""

    def __init__(self):
        self.requests = []
        self.answers = [(200, {"errcode": 0, "errmsg": "ok"})]
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                parts = urllib.parse.urlsplit(self.path)
                robot.requests.append(
                    (parts.path, dict(urllib.parse.parse_qsl(parts.query)), json.loads(self.rfile.read(length)))
                )
                status, answer = robot.answers[min(len(robot.requests), len(robot.answers)) - 1]
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def robot(app, monkeypatch):
    fake = FakeRobot()
    monkeypatch.setitem(app.config, "GROUP_CHAT_ORIGINS", {"wecom": fake.origin, "dingtalk": fake.origin})
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "http://portal.school.cn/")
    yield fake
    fake.server.shutdown()


def only(people, *keys):
    """Switch off every due rule but these."""
    requested = {
        rule.key: {
            "enabled": rule.key in keys,
            "lead": reminders.default_choice(rule).lead,
            "due_time": rule.default_due_time,
            "due_day": rule.default_due_day,
        }
        for rule in DUE_RULES
    }
    reminders.save_choices(people.clerk, people.school, requested)
    db.session.commit()


def group_chat(people, platform, url, secret=""):
    only(people, "food_samples", "morning_checks")
    reminders.save_settings(
        people.clerk,
        people.school,
        platform=platform,
        webhook_url=url,
        webhook_secret=secret,
        messages_from=time(6, 30),
        messages_until=time(20, 0),
        digest_at=time(16, 30),
    )
    db.session.commit()


def run_routine(now):
    from portal import routine

    routine.run(now=now)


def retry_all():
    """Run the queue's retries now, each as if its minute had passed (immediate mode keeps
    them in memory)."""
    while tasks := huey.read_schedule(datetime(2100, 1, 1)):  # noqa: DTZ001 huey keeps its schedule in naive UTC
        for task in tasks:
            huey.execute(task, timestamp=task.eta)


def messages():
    return db.session.scalars(sa.select(GroupMessage).order_by(GroupMessage.id)).all()


def test_a_wecom_robot_gets_the_prompt_in_its_documented_format(people, robot):
    group_chat(people, Platform.WECOM, WECOM_URL)
    due, _close = _samples(people)
    run_routine(due - timedelta(minutes=30))
    [(path, query, body)] = robot.requests
    assert path == "/cgi-bin/webhook/send" and query == {"key": "693a91f6-7b1c-4bc4-97a0-0ec2c1fa5aaa"}
    [reminder] = prompted("food_samples")
    assert body == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**即将到期：每餐结束前留样**\n"
            f"2026-09-16 午餐：还没有留样：红烧肉\n\n截止：2026年9月16日 13:00\n\n责任人：赵工友\n\n"
            f"[打开办理页面](http://portal.school.cn/reminders/{reminder.id})"
        },
    }
    assert [m.status for m in messages()] == [MessageStatus.SENT]


def test_a_dingtalk_robot_gets_a_signed_request_and_the_escalation(people, robot):
    group_chat(people, Platform.DINGTALK, DINGTALK_URL, DINGTALK_SECRET)
    due, _close = _samples(people)
    run_routine(due - timedelta(minutes=30))
    run_routine(due)
    assert len(robot.requests) == 2
    for path, query, _body in robot.requests:
        assert path == "/robot/send" and query["access_token"] == DINGTALK_TOKEN
        expected = hmac.new(
            DINGTALK_SECRET.encode(), f"{query['timestamp']}\n{DINGTALK_SECRET}".encode(), hashlib.sha256
        ).digest()
        assert base64.b64decode(query["sign"]) == expected  # parse_qsl undid the URL encoding
    _path, _query, late = robot.requests[1]
    assert late["msgtype"] == "markdown"
    assert late["markdown"]["title"] == "已逾期未完成：每餐结束前留样"
    assert late["markdown"]["text"].startswith("#### 已逾期未完成：每餐结束前留样\n2026-09-16 午餐：还没有留样：红烧肉")


def test_the_signature_is_dingtalks_own_example():
    """The algorithm of DingTalk's documentation: HMAC-SHA256 of "timestamp\\nsecret" keyed by
    the secret, in base64, URL-encoded in the address."""
    from portal.services import group_chat as chat

    url = chat.signed_url(DINGTALK_URL, DINGTALK_SECRET, 1700000000000)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert query["timestamp"] == "1700000000000"
    digest = hmac.new(DINGTALK_SECRET.encode(), f"1700000000000\n{DINGTALK_SECRET}".encode(), hashlib.sha256)
    assert query["sign"] == base64.b64encode(digest.digest()).decode()
    assert "%2B" in url or "%2F" in url or "%3D" in url  # the sign travels URL-encoded


def test_nothing_goes_to_the_group_for_a_gap_closed_in_time(people, robot):
    group_chat(people, Platform.WECOM, WECOM_URL)
    due, close = _samples(people)
    run_routine(due - timedelta(minutes=30))
    close()
    db.session.commit()
    run_routine(due + timedelta(minutes=5))
    assert len(robot.requests) == 1  # the prompt; no escalation


def test_a_refused_message_is_retried_and_then_shown_to_the_school_admin(people, robot, client):
    group_chat(people, Platform.DINGTALK, DINGTALK_URL, DINGTALK_SECRET)
    robot.answers = [(200, {"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com]"})]
    due, _close = _samples(people)
    run_routine(due - timedelta(minutes=30))
    [message] = messages()
    assert message.status is MessageStatus.QUEUED and message.attempts == 1
    assert "sign not match" in message.error
    retry_all()
    db.session.refresh(message)
    assert message.status is MessageStatus.FAILED and message.attempts == reminders.ATTEMPTS
    assert len(robot.requests) == reminders.ATTEMPTS
    [failure] = db.session.scalars(
        sa.select(Notification).where(Notification.kind == NotificationKind.GROUP_MESSAGE_FAILED)
    ).all()
    assert failure.user_id == people.clerk.id and "310000 sign not match" in failure.subject
    login(client, people.clerk)
    page = client.get("/reminders/settings").get_data(as_text=True)
    assert "310000 sign not match" in page and "未发出" in page


def test_a_message_that_fails_once_goes_on_the_retry(people, robot):
    group_chat(people, Platform.WECOM, WECOM_URL)
    robot.answers = [
        (200, {"errcode": 45009, "errmsg": "api freq out of limit"}),
        (200, {"errcode": 0, "errmsg": "ok"}),
    ]
    due, _close = _samples(people)
    run_routine(due - timedelta(minutes=30))
    retry_all()
    [message] = messages()
    db.session.refresh(message)
    assert message.status is MessageStatus.SENT and message.attempts == 2 and message.error == ""


def test_an_unreachable_robot_blocks_nothing_else(people, app, monkeypatch):
    monkeypatch.setitem(app.config, "GROUP_CHAT_ORIGINS", {"wecom": "http://127.0.0.1:9"})
    group_chat(people, Platform.WECOM, WECOM_URL)
    due, _close = _samples(people)
    run_routine(due - timedelta(minutes=30))
    [message] = messages()
    assert message.status is MessageStatus.QUEUED and message.error  # the network's own words
    [reminder] = prompted("food_samples")
    assert told(reminder, NotificationKind.REMINDER_DUE)  # the portal's notification is there


def test_a_test_message_from_the_settings_page(people, robot, client):
    group_chat(people, Platform.WECOM, WECOM_URL)
    login(client, people.clerk)
    assert client.post("/reminders/settings/test-message").status_code == 302
    [(_path, _query, body)] = robot.requests
    assert body["markdown"]["content"].startswith("**来自后勤管理平台的测试消息**")


# --- school hours and the digest ---------------------------------------------------------------


def test_outside_school_hours_a_prompt_waits_and_an_escalation_does_not(people, robot):
    group_chat(people, Platform.WECOM, WECOM_URL)
    dinner = reminders.settings_of(people.school.id)
    dinner.messages_until = time(12, 0)  # lunch's prompt at 12:30 falls outside
    db.session.commit()
    due, _close = _samples(people)
    run_routine(due - timedelta(minutes=30))
    [prompt] = messages()
    assert prompt.status is MessageStatus.WAITING and robot.requests == []
    assert prompt.send_after == school_moment(LEDGER_DAY + timedelta(days=1), 6, 30)
    run_routine(due)  # late: the escalation goes at once
    assert len(robot.requests) == 1 and robot.requests[0][2]["markdown"]["content"].startswith("**已逾期")
    run_routine(school_moment(LEDGER_DAY + timedelta(days=1), 6, 30))
    db.session.refresh(prompt)
    assert prompt.status is MessageStatus.DROPPED and len(robot.requests) == 1  # late already: not sent


def test_a_prompt_held_for_school_hours_goes_out_at_the_opening(people, robot):
    group_chat(people, Platform.WECOM, WECOM_URL)
    due, _close = _morning_checks(people)  # due 08:00; prompted 07:30
    hours = reminders.settings_of(people.school.id)
    hours.messages_from = time(7, 45)
    db.session.commit()
    run_routine(due - timedelta(minutes=30))
    assert robot.requests == []
    run_routine(school_moment(LEDGER_DAY, 7, 45))
    assert len(robot.requests) == 1


def test_no_message_on_a_day_without_school(people):
    """A Saturday is quiet all day: a prompt waits for Monday's school hours."""
    settings = reminders.settings_of(people.school.id)
    saturday = date(2026, 9, 19)
    days = calendar.load(people.school.id, saturday, saturday + timedelta(days=3))
    assert not reminders.in_school_hours(settings, days, people.school, school_moment(saturday, 10))
    monday_morning = school_moment(date(2026, 9, 21), 6, 30)
    assert reminders.next_opening(settings, days, people.school, school_moment(saturday, 10)) == monday_morning


class FakeSMTP:
    sent = []

    def __init__(self, host, port, timeout):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def mail(app, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.school.cn")
    return FakeSMTP.sent


def test_email_prompts_one_by_one_or_in_one_daily_digest(people, mail):
    from portal.services import notifications

    people.cook.email = "cook@school.cn"
    people.keeper.email = "keeper@school.cn"
    people.cook.canteen_worker = people.keeper.canteen_worker = True
    people.keeper.reminder_digest = True
    db.session.commit()
    due, _close = _samples(people)
    _tableware(people)
    reminders.run(people.school, now=due - timedelta(minutes=30))
    db.session.commit()
    notifications.send_pending_email(now=due - timedelta(minutes=29))
    assert sorted(message["To"] for message in mail) == ["cook@school.cn", "cook@school.cn"]  # one by one
    assert notifications.send_digests(now=school_moment(LEDGER_DAY, 16, 29)) == 0  # not yet
    assert notifications.send_digests(now=school_moment(LEDGER_DAY, 16, 30)) == 1
    digest = mail[-1]
    assert digest["To"] == "keeper@school.cn" and digest["Subject"] == "今日提醒：2 条"
    body = digest.get_content()
    assert "每餐结束前留样" not in body and "还没有留样：红烧肉" in body and "餐具消毒" in body
    assert notifications.send_digests(now=school_moment(LEDGER_DAY, 18)) == 0  # once a day


def test_escalations_skip_the_digest_and_the_night(people, mail):
    from portal.services import notifications

    people.director.email = "director@school.cn"
    people.director.reminder_digest = True
    db.session.commit()
    due, _close = _samples(people)
    only(people, "food_samples")
    reminders.run(people.school, now=due)
    db.session.commit()
    notifications.send_pending_email(now=school_moment(LEDGER_DAY, 23))
    [message] = mail
    assert message["To"] == "director@school.cn" and message["Subject"].startswith("已逾期未完成")


def test_the_digest_is_a_personal_choice(people, client):
    login(client, people.cook)
    client.post("/notifications/digest", data={"digest": "y"})
    db.session.refresh(people.cook)
    assert people.cook.reminder_digest is True
    client.post("/notifications/digest", data={})
    db.session.refresh(people.cook)
    assert people.cook.reminder_digest is False


# --- bad settings, refused with the reason; what the page keeps ---------------------------------


def chat_form(**fields):
    return {
        "platform": "wecom",
        "webhook_url": WECOM_URL,
        "webhook_secret": "",
        "messages_from": "06:30",
        "messages_until": "20:00",
        "digest_at": "16:30",
    } | fields


BAD_ADDRESSES = [
    ({"webhook_url": WECOM_URL.replace("https", "http")}, "必须以 https:// 开头"),
    (
        {
            "webhook_url": "https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=693a91f6-7b1c-4bc4-97a0-0ec2c1fa5aaa"
        },
        "不是企业微信群机器人的地址",
    ),
    ({"webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"}, "缺少机器人的 key"),
    ({"platform": "dingtalk", "webhook_url": WECOM_URL}, "不是钉钉群机器人的地址"),
    ({"platform": "dingtalk", "webhook_url": DINGTALK_URL, "webhook_secret": "SEC123"}, "SEC 加 64 位"),
    ({"webhook_secret": DINGTALK_SECRET}, "企业微信群机器人没有加签密钥"),
    ({"webhook_url": ""}, "请填写群机器人的 Webhook 地址"),
    ({"messages_from": "20:00", "messages_until": "06:30"}, "结束必须晚于开始"),
]


@pytest.mark.parametrize(("fields", "reason"), BAD_ADDRESSES, ids=[reason for _f, reason in BAD_ADDRESSES])
def test_a_bad_group_chat_setting_is_refused_with_the_reason_and_kept(people, client, fields, reason):
    login(client, people.clerk)
    response = client.post("/reminders/settings/group-chat", data=chat_form(**fields))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and reason in page
    if fields.get("webhook_url"):
        assert f'value="{fields["webhook_url"].replace("&", "&amp;")}"' in page  # what was typed stays
    assert reminders.settings_of(people.school.id).id is None  # nothing saved


def test_a_good_group_chat_setting_is_saved_and_its_secret_never_shown(people, client):
    login(client, people.clerk)
    form = chat_form(platform="dingtalk", webhook_url=DINGTALK_URL, webhook_secret=DINGTALK_SECRET)
    assert client.post("/reminders/settings/group-chat", data=form).status_code == 302
    settings = reminders.settings_of(people.school.id)
    assert settings.platform is Platform.DINGTALK and settings.webhook_secret == DINGTALK_SECRET
    page = client.get("/reminders/settings").get_data(as_text=True)
    assert DINGTALK_SECRET not in page and "已保存密钥" in page
    client.post("/reminders/settings/group-chat", data=form | {"webhook_secret": ""})  # kept
    assert reminders.settings_of(people.school.id).webhook_secret == DINGTALK_SECRET
    from portal.models import AuditEvent

    trail = " ".join(str(event.after) for event in db.session.scalars(sa.select(AuditEvent)))
    assert DINGTALK_SECRET not in trail and DINGTALK_TOKEN not in trail  # neither the secret nor the key


def rules_form(**overrides):
    data = {}
    for rule in DUE_RULES:
        choice = reminders.default_choice(rule)
        data[f"{rule.key}-enabled"] = "y"
        data[f"{rule.key}-lead"] = str(choice.lead)
        if choice.due_time:
            data[f"{rule.key}-due_time"] = choice.due_time.strftime("%H:%M")
        if choice.due_day:
            data[f"{rule.key}-due_day"] = str(choice.due_day)
    return data | overrides


def test_a_lead_time_longer_than_the_period_is_refused(people, client):
    login(client, people.clerk)
    response = client.post("/reminders/settings/rules", data=rules_form(**{"risk_reports-lead": "8"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "提前量 8 天 超过了这项记录的周期（7 天）" in page
    assert 'name="risk_reports-lead" type="text" value="8"' in page or 'value="8"' in page
    response = client.post(
        "/reminders/settings/rules",
        data=rules_form(**{"rule_confirmations-lead": "5", "rule_confirmations-due_day": "3"}),
    )
    assert response.status_code == 422 and "（3 天）" in response.get_data(as_text=True)
    response = client.post("/reminders/settings/rules", data=rules_form(**{"morning_checks-lead": "-5"}))
    assert response.status_code == 422 and "0 或更大" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("reminder_rule"))) == 0


def test_the_rules_are_saved_and_change_what_is_prompted(people, client):
    login(client, people.clerk)
    form = rules_form(**{"morning_checks-due_time": "07:00", "morning_checks-lead": "15"})
    assert client.post("/reminders/settings/rules", data=form).status_code == 302
    choice = reminders.choices_of(people.school.id)["morning_checks"]
    assert choice.due_time == time(7, 0) and choice.lead_minutes == 15
    page = client.get("/admin/audit_events/").get_data(as_text=True)
    assert "记录截止时间：已保存" in page
    from portal.audit_text import readable_value
    from portal.models import ReminderRule

    assert readable_value(ReminderRule, "rule", "morning_checks") == "从业人员晨检"  # never the code
    _due, _close = _morning_checks(people)
    reminders.run(people.school, now=school_moment(LEDGER_DAY, 6, 44))
    assert prompted("morning_checks") == []
    reminders.run(people.school, now=school_moment(LEDGER_DAY, 6, 45))
    [reminder] = prompted("morning_checks")
    assert reminder.due_at == school_moment(LEDGER_DAY, 7)


# --- the link, and what the county sees ---------------------------------------------------------


def certificate_reminder_of(people):
    due, _renew = _certificate(people)
    reminders.run(people.school, now=due - timedelta(days=30))
    db.session.commit()


def test_a_reminder_links_to_the_page_that_closes_it_for_its_own_school_only(people, client, other_school):
    due, _close = _samples(people)
    reminders.run(people.school, now=due - timedelta(minutes=30))
    [reminder] = prompted("food_samples")
    login(client, people.cook)
    response = client.get(f"/reminders/{reminder.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/canteen/2026-09-16/lunch")
    certificate_reminder_of(people)
    [certificate] = prompted("certificates")
    assert client.get(f"/reminders/{certificate.id}").headers["Location"].endswith("/my/certificates")
    login(client, people.clerk)  # who renews it: the school's certificate list
    assert client.get(f"/reminders/{certificate.id}").headers["Location"].endswith("/admin/certificates/")
    stranger = factories.create_user(Role.STAFF, other_school)
    login(client, stranger)
    assert client.get(f"/reminders/{reminder.id}").status_code == 404
    assert client.get("/reminders/not-a-number").status_code == 404


@pytest.mark.clock
def test_the_county_sees_prompted_gaps_closed_in_time_or_late(people, client, create_user, other_school):
    yesterday = factories.open_day(people.school, days_ago=1)  # the county's page counts back from today
    due, close = _samples(people, yesterday)
    _tableware(people, yesterday)
    only(people, "food_samples", "tableware_disinfections")
    factories.create_dish(people.school, name="米饭", meal=None)
    reminders.run(people.school, now=due - timedelta(minutes=30))
    close()
    db.session.commit()
    reminders.run(people.school, now=due)  # samples still short of 米饭: late
    count = reminders.prompt_counts([people.school.id], due - timedelta(days=1), due + timedelta(days=1))
    assert count[people.school.id].prompted == 2
    login(client, create_user(Role.COUNTY_AUDITOR))
    page = client.get("/reminders/county?days=120").get_data(as_text=True)
    assert people.school.name in page and other_school.name in page
    login(client, people.clerk)
    page = client.get("/reminders/county?days=120").get_data(as_text=True)
    assert people.school.name in page and other_school.name not in page and "按记录种类" in page


def test_the_home_page_lists_the_gaps_a_person_was_told_of_until_they_close(people, client):
    day = factories.open_day(people.school)
    dish = factories.create_dish(people.school, day=day)
    due = school_moment(day, 13)
    reminders.run(people.school, now=due - timedelta(minutes=30))
    db.session.commit()
    login(client, people.cook)
    assert f"{day.isoformat()} 午餐：还没有留样：红烧肉" in client.get("/").get_data(as_text=True)
    factories.create_sample(dish, people.keeper)
    reminders.run(people.school, now=due - timedelta(minutes=10))
    db.session.commit()
    assert "还没有留样" not in client.get("/").get_data(as_text=True)
    login(client, people.principal)  # not told of it: not on the principal's page
    assert "还没有留样" not in client.get("/").get_data(as_text=True)


def test_a_certificate_is_due_at_24_00_of_its_last_day_not_00_00_of_the_next(people, client):
    """Valid through the 10th: due the midnight after, which a notice writes 12月10日 24:00."""
    expires = factories.open_day(people.school)
    factories.create_certificate(people.cook, expires_on=expires)
    reminders.run(people.school, now=school_moment(expires, 9))
    db.session.commit()
    login(client, people.cook)
    page = client.get("/").get_data(as_text=True)
    assert f"{expires.year}年{expires.month}月{expires.day}日 24:00" in page
    assert deadline_text(school_moment(expires, 13, 5), people.school).endswith("日 13:05")


def test_the_worker_sends_a_group_message_from_a_real_broker(people, robot, storage):  # noqa: F811
    """As on a school PC (the queue's SQLite file) and a county server (Redis): the routine
    only enqueues; the consumer beside it sends."""
    from tests.test_queue import consumer_with, wait_for

    group_chat(people, Platform.WECOM, WECOM_URL)
    due, _close = _samples(people)
    with consumer_with(storage):
        run_routine(due - timedelta(minutes=30))
        assert wait_for(lambda: db.session.scalar(sa.select(GroupMessage.status)) is MessageStatus.SENT)
    [(_path, _query, body)] = robot.requests
    assert "还没有留样：红烧肉" in body["markdown"]["content"]


# --- the routine, school by school ----------------------------------------------------------------


def test_one_schools_error_is_its_own_and_every_other_school_is_still_reminded(people, other_school, monkeypatch):
    """The five-minute routine runs each school on its own: one school's failing reminders are
    that school's failed job, and the other school's gap is still prompted."""
    from portal import routine
    from portal.models import JobFailure

    theirs = factories.school_staff(other_school)
    due, _close = _samples(people)
    _samples(theirs)
    original = reminders.run

    def failing_for_ours(school, now=None):
        if school.id == people.school.id:
            raise RuntimeError("this school's reminders broke")
        return original(school, now)

    monkeypatch.setattr(reminders, "run", failing_for_ours)
    routine.run(now=due - timedelta(minutes=10))
    [failure] = db.session.scalars(sa.select(JobFailure)).all()
    assert failure.school_id == people.school.id and "reminders broke" in failure.error
    assert [r.school_id for r in prompted("food_samples")] == [other_school.id]
