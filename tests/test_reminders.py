"""Reminders: every due rule at its boundary (prompted exactly at its lead time and not a minute
before, nothing after the gap closed, one escalation when late), generated from the registry;
school hours and the daily digest; both group robots' exact payloads and DingTalk's signature
against a local fake server; retries and a failure shown to the school admin; bad settings
refused with the reason; the county's count of prompted gaps."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.due_rules import DUE_RULES
from portal.extensions import db
from portal.models import (
    Audience,
    Notification,
    NotificationKind,
    RectificationTask,
    Reminder,
    RiskReport,
    Survey,
)
from portal.services import food_safety, rectification, reminders, rules, surveys
from tests import factories
from tests.factories import LEDGER_DAY, PASSWORD, school_moment

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


def _samples(p):
    dish = factories.create_dish(p.school)
    return school_moment(LEDGER_DAY, 13), lambda: factories.create_sample(dish, p.keeper)


def _tableware(p):
    from portal.models import DisinfectionMethod, Meal, TablewareDisinfection
    from portal.services import canteen

    def close():
        record = TablewareDisinfection(
            school_id=p.school.id, day=LEDGER_DAY, meal=Meal.LUNCH, method=DisinfectionMethod.STEAM
        )
        record.temperature_c, record.duration_seconds = 100, 600
        canteen.save_disinfection(p.cook, record, None, now=school_moment(LEDGER_DAY, 12, 40))

    return school_moment(LEDGER_DAY, 13), close


def _morning_checks(p):
    from portal.models import MorningCheck
    from portal.services import canteen

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
        canteen.save_morning_check(p.director, check, None, now=school_moment(LEDGER_DAY, 7, 40))

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

    def close():
        report = RiskReport(school_id=p.school.id, week_start=monday, risks_found="无", measures="无")
        food_safety.save_report(p.keeper, report, None)
        food_safety.sign_report(p.keeper, report, PASSWORD, now=school_moment(LEDGER_DAY, 15))

    return school_moment(monday + timedelta(days=4), 17), close


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
    p.school.settings.surveys_per_semester = 1
    db.session.commit()

    def close():
        survey = Survey(title="满意度调查", audience=Audience.STUDENTS, audience_size=40, closes_on=date(2027, 1, 20))
        surveys.create_survey(p.clerk, survey, "评分：饭菜的口味")
        surveys.answer(survey, {str(survey.questions[0].id): "5"}, actor=p.clerk)

    return school_moment(date(2027, 1, 22), 0), close


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
}


def test_every_due_rule_has_a_scenario():
    assert set(SCENARIOS) == {rule.key for rule in DUE_RULES}


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


@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_a_gap_is_prompted_at_its_lead_time_and_not_after_it_closed(people, key):
    rule = next(rule for rule in DUE_RULES if rule.key == key)
    due, close = SCENARIOS[key](people)
    lead = reminders.lead_of(rule, reminders.choices_of(people.school.id)[key], people.school)
    reminders.run(people.school, now=due - lead - timedelta(minutes=1))
    assert prompted(key) == [], "prompted before its lead time"
    reminders.run(people.school, now=due - lead)
    [reminder] = prompted(key)
    assert reminder.due_at == due
    assert told(reminder, NotificationKind.REMINDER_DUE), "nobody responsible was told"
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


def test_a_disabled_rule_prompts_nothing(people, client):
    due, _close = _samples(people)
    requested = {
        rule.key: {
            "enabled": rule.key != "food_samples",
            "lead": reminders.default_choice(rule).lead,
            "due_time": rule.default_due_time,
            "due_day": rule.default_due_day,
        }
        for rule in DUE_RULES
    }
    reminders.save_choices(people.clerk, people.school, requested)
    db.session.commit()
    reminders.run(people.school, now=due)
    assert prompted("food_samples") == []


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
