"""Every transition of the inspection workflow, and every forbidden one."""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from portal.errors import DomainError
from portal.extensions import db
from portal.models import (
    AuditEvent,
    ChecklistEntry,
    FrozenRecordError,
    InspectionItem,
    InspectionStatus,
    ItemResult,
    Notification,
    NotificationKind,
    RectificationTask,
    Role,
    TaskStatus,
)
from portal.services import checklists, inspections, planning, rectification, signing
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 9, 14)


def at(day, hour, minute=0):
    """A moment in school time, as the aware UTC datetime the services take."""
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture
def w(school, create_user):
    """A school with a term, its people, and this week's plan."""
    factories.add_term(school)
    people = SimpleNamespace(
        school=school,
        principal=create_user(Role.PRINCIPAL, school, display_name="刘校长"),
        director=create_user(Role.DIRECTOR, school, display_name="陈主任"),
        cook=create_user(Role.STAFF, school, display_name="赵工友"),
        keeper=create_user(Role.STAFF, school, display_name="郑工友"),
        clerk=create_user(Role.SCHOOL_ADMIN, school),
    )
    planning.plan(None, school, MONDAY, MONDAY + timedelta(days=6), MONDAY)
    db.session.commit()
    return people


def director_today(w, day=MONDAY):
    [assignment] = factories.assignments(w.school, Role.DIRECTOR, day, day)
    return assignment


def started(w, day=MONDAY):
    inspection = inspections.start_from_assignment(w.director, director_today(w, day), today=day)
    db.session.commit()
    return inspection


def submitted(w, fail=(0,), day=MONDAY, hour=10, responsible=None):
    inspection = started(w, day)
    factories.answer_all(inspection, fail=fail, note="冰箱温度 10℃")
    who = responsible or w.cook
    inspections.submit(
        w.director, inspection, {key: who for key, _ in inspections.pending_findings(inspection)}, now=at(day, hour)
    )
    db.session.commit()
    return inspection


def actions(kind_prefix=""):
    return db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.action.like(f"{kind_prefix}%")).order_by(AuditEvent.id)
    ).all()


# --- starting and answering -------------------------------------------------------------


def test_starting_snapshots_the_checklist(w):
    inspection = started(w)
    assert len(inspection.items) == len(checklists.DEFAULT_CHECKLIST)
    template = checklists.default_template(w.school.id)
    draft = checklists.start_new_version(None, template)
    draft.entries[0].text = "改过的检查项"
    checklists.publish(None, draft)
    db.session.commit()
    assert inspection.items[0].text == checklists.DEFAULT_CHECKLIST[0][1]  # history is not rewritten
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChecklistEntry)) == 2 * len(
        checklists.DEFAULT_CHECKLIST
    )


def test_starting_again_resumes_the_draft(w):
    first = started(w)
    assert inspections.start_from_assignment(w.director, director_today(w), today=MONDAY).id == first.id


def test_the_principal_cannot_take_the_directors_assignment(w):
    with pytest.raises(DomainError):
        inspections.start_from_assignment(w.principal, director_today(w), today=MONDAY)


def test_an_assignment_is_started_on_its_day_only(w):
    with pytest.raises(DomainError):
        inspections.start_from_assignment(w.director, director_today(w, MONDAY + timedelta(days=1)), today=MONDAY)


def test_the_principals_two_inspections_fall_on_different_days(w):
    first_slot, second_slot = factories.assignments(w.school, Role.PRINCIPAL, MONDAY, MONDAY)
    inspections.start_from_assignment(w.principal, first_slot, today=MONDAY)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        inspections.start_from_assignment(w.principal, second_slot, today=MONDAY)
    assert "不同" in str(refused.value) or "different" in str(refused.value)
    assert inspections.start_from_assignment(w.principal, second_slot, today=MONDAY + timedelta(days=1)) is not None


def test_a_failed_item_needs_a_note(w):
    item = started(w).items[0]
    with pytest.raises(DomainError):
        inspections.answer_item(w.director, item, "fail", "  ", item.version)
    db.session.execute(sa.update(InspectionItem).where(InspectionItem.id == item.id).values(result="pass"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(InspectionItem).where(InspectionItem.id == item.id).values(result="fail", note=""))
    db.session.rollback()


def test_two_windows_never_silently_overwrite_an_answer(w):
    item = started(w).items[0]
    seen = item.version
    inspections.answer_item(w.director, item, "pass", "", seen)
    db.session.commit()
    with pytest.raises(inspections.Conflict) as conflict:
        inspections.answer_item(w.director, item, "fail", "另一个窗口", seen)
    assert conflict.value.current["result"] == "pass"
    db.session.rollback()
    assert db.session.get(InspectionItem, item.id).result is ItemResult.PASS


def test_only_the_inspector_answers_and_submits(w):
    inspection = started(w)
    factories.answer_all(inspection)
    with pytest.raises(DomainError):
        inspections.answer_item(w.principal, inspection.items[0], "pass", "", None)
    with pytest.raises(DomainError):
        inspections.submit(w.principal, inspection, {})
    assert inspection.status is InspectionStatus.DRAFT


def test_an_incomplete_inspection_is_not_submitted(w):
    inspection = started(w)
    with pytest.raises(DomainError) as refused:
        inspections.submit(w.director, inspection, {})
    assert str(len(inspection.items)) in str(refused.value)


# --- submitting and rectifying ----------------------------------------------------------


MIDNIGHT = at(MONDAY + timedelta(days=1), 0)


def test_submitting_turns_failures_into_tasks_due_by_midnight(w):
    inspection = submitted(w, fail=(0, 3), hour=10)
    assert inspection.status is InspectionStatus.RECTIFYING
    assert [t.deadline for t in inspection.tasks] == [MIDNIGHT] * 2  # 整改不过夜
    assert inspection.assignment.status.value == "done"
    assert {n.kind for n in db.session.scalars(sa.select(Notification))} == {NotificationKind.TASK_ASSIGNED}


@pytest.mark.parametrize(("hour", "minute"), [(21, 59), (22, 1), (23, 59)])
def test_a_finding_at_any_hour_is_due_by_the_end_of_its_day(w, hour, minute):
    """21:59 and 22:01 alike: never past midnight (a 22:01 finding was due at 00:01 the next
    day before); at 23:59 it gets one minute. The cut-off only starts the escalation."""
    inspection = started(w)
    factories.answer_all(inspection, fail=(0,))
    found = at(MONDAY, hour, minute)
    responsible = {key: w.keeper for key, _ in inspections.pending_findings(inspection)}
    inspections.submit(w.director, inspection, responsible, now=found)
    db.session.commit()
    [task] = inspection.tasks
    assert task.deadline == MIDNIGHT
    assert task.deadline - task.found_at == MIDNIGHT - found


def test_escalation_starts_at_the_cut_off_and_the_cut_off_is_a_setting(w):
    from portal.services import reminders

    w.school.settings.rectification_cutoff = time(18, 0)
    db.session.commit()
    [task] = submitted(w, fail=(0,), hour=10).tasks
    assert task.deadline == MIDNIGHT  # the setting moves the escalation, not the deadline

    def told(kind):
        about_task = Notification.subject.contains(task.description)
        return sorted(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == kind, about_task)))

    reminders.run(w.school, now=at(MONDAY, 15, 59))
    assert told(NotificationKind.REMINDER_DUE) == []  # two hours before the cut-off by default
    reminders.run(w.school, now=at(MONDAY, 16))
    assert told(NotificationKind.REMINDER_DUE) == [task.responsible_id]
    reminders.run(w.school, now=at(MONDAY, 17, 59))
    assert told(NotificationKind.TASK_ESCALATED) == []
    reminders.run(w.school, now=at(MONDAY, 18))
    reminders.run(w.school, now=at(MONDAY, 19))  # once per task
    db.session.commit()
    assert told(NotificationKind.TASK_ESCALATED) == sorted([w.principal.id, w.director.id])
    rectification.rectify(w.cook, task, "已修好", now=at(MONDAY, 20))
    db.session.commit()
    assert reminders.run(w.school, now=at(MONDAY, 21)).closed >= 1  # rectified: the gap closed, late


def test_a_task_needs_someone_responsible(w):
    inspection = started(w)
    factories.answer_all(inspection, fail=(0,))
    with pytest.raises(DomainError):
        inspections.submit(w.director, inspection, {})
    db.session.rollback()


def test_no_failure_goes_straight_to_sign_off(w):
    inspection = submitted(w, fail=())
    assert inspection.status is InspectionStatus.READY_FOR_SIGN_OFF
    assert (
        db.session.scalar(sa.select(Notification.kind).where(Notification.user_id == w.principal.id))
        is NotificationKind.READY_FOR_SIGN_OFF
    )


def test_an_ad_hoc_finding_becomes_a_task_too(w):
    inspection = started(w)
    factories.answer_all(inspection)
    finding = inspections.add_finding(w.director, inspection, "地面有积水")
    inspections.submit(w.director, inspection, {inspections.finding_key(finding): w.keeper}, now=at(MONDAY, 9))
    assert [t.description for t in inspection.tasks] == ["地面有积水"]


def test_the_full_cycle_ends_ready_for_sign_off(w):
    inspection = submitted(w)
    [task] = inspection.tasks
    rectification.rectify(w.cook, task, "已报修，食品已转移", now=at(MONDAY, 11))
    rectification.verify(w.director, task, now=at(MONDAY, 12))
    db.session.commit()
    assert task.status is TaskStatus.VERIFIED
    assert inspection.status is InspectionStatus.READY_FOR_SIGN_OFF
    assert actions("task.") == ["task.created", "task.rectified", "task.verified"]


def test_only_the_person_responsible_rectifies(w):
    [task] = submitted(w).tasks
    with pytest.raises(DomainError):
        rectification.rectify(w.keeper, task, "不是我的任务")


def test_nobody_verifies_their_own_rectification(w):
    [task] = submitted(w, responsible=w.director).tasks
    rectification.rectify(w.director, task, "我自己修好了")
    with pytest.raises(DomainError) as refused:
        rectification.verify(w.director, task)
    assert refused.value.message
    rectification.verify(w.principal, task)  # someone else may


def test_staff_do_not_verify(w):
    [task] = submitted(w).tasks
    rectification.rectify(w.cook, task, "修好了")
    with pytest.raises(DomainError):
        rectification.verify(w.keeper, task)
    with pytest.raises(sa.exc.IntegrityError):
        # The database holds the same line: the verifier is never the rectifier.
        db.session.execute(
            sa.update(RectificationTask).where(RectificationTask.id == task.id).values(verified_by_id=w.cook.id)
        )
    db.session.rollback()


def test_sending_back_needs_a_reason_and_reopens(w):
    [task] = submitted(w).tasks
    rectification.rectify(w.cook, task, "修好了")
    with pytest.raises(DomainError):
        rectification.send_back(w.director, task, "")
    rectification.send_back(w.director, task, "温度仍然偏高")
    assert task.status is TaskStatus.OPEN and task.sent_back_count == 1
    assert task.inspection.status is InspectionStatus.RECTIFYING


def test_extending_needs_the_director_or_principal_and_a_reason(w):
    [task] = submitted(w).tasks
    later = at(MONDAY + timedelta(days=1), 12)
    with pytest.raises(DomainError):
        rectification.extend(w.cook, task, later, "需要买配件")
    with pytest.raises(DomainError):
        rectification.extend(w.director, task, later, "")
    rectification.extend(w.principal, task, later, "需要购买压缩机配件")
    assert task.deadline == later and task.original_deadline == MIDNIGHT and task.extension_count == 1


def test_a_deadline_before_the_finding_is_refused(w):
    [task] = submitted(w, hour=10).tasks
    with pytest.raises(DomainError) as refused:
        rectification.extend(w.director, task, at(MONDAY, 9), "写错了")
    assert refused.value.field == "deadline"
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.update(RectificationTask).where(RectificationTask.id == task.id).values(deadline=at(MONDAY, 9))
        )
    db.session.rollback()


def test_overdue_tasks_notify_the_principal_and_the_director(w, app):
    from click.testing import CliRunner

    from portal.services import reminders

    submitted(w, hour=10)
    reminders.run(w.school, now=at(MONDAY, 23, 59))  # due by midnight
    after_midnight = at(MONDAY + timedelta(days=1), 0, 1)

    def overdue():
        return sorted(
            db.session.scalars(
                sa.select(Notification.user_id).where(Notification.kind == NotificationKind.TASK_OVERDUE)
            )
        )

    assert overdue() == []
    reminders.run(w.school, now=after_midnight)
    reminders.run(w.school, now=after_midnight)  # noticed twice, notified once
    db.session.commit()
    assert overdue() == sorted([w.principal.id, w.director.id])
    assert CliRunner().invoke(app.cli, ["inspections", "tick"]).exit_code == 0


# --- returning, signing, freezing --------------------------------------------------------


def ready(w):
    inspection = submitted(w)
    [task] = inspection.tasks
    rectification.rectify(w.cook, task, "修好了")
    rectification.verify(w.director, task)
    db.session.commit()
    return inspection


def test_the_principal_returns_with_a_reason_and_the_inspector_resubmits(w):
    inspection = submitted(w)
    with pytest.raises(DomainError):
        signing.return_to_inspector(w.principal, inspection, "")
    with pytest.raises(DomainError):
        signing.return_to_inspector(w.director, inspection, "自己退回")
    signing.return_to_inspector(w.principal, inspection, "请补充第一项的照片")
    db.session.commit()
    assert inspection.status is InspectionStatus.RETURNED
    assert (
        db.session.scalar(sa.select(Notification.kind).where(Notification.user_id == w.director.id))
        is NotificationKind.INSPECTION_RETURNED
    )
    inspections.submit(w.director, inspection, {})
    assert inspection.status is InspectionStatus.RECTIFYING and len(inspection.tasks) == 1  # no duplicate task


def test_only_the_principal_signs_off(w):
    inspection = ready(w)
    for somebody in (w.director, w.cook, w.clerk):
        with pytest.raises(DomainError):
            signing.sign_off(somebody, [inspection.id], factories.PASSWORD)
    with pytest.raises(DomainError):
        signing.sign_off(w.principal, [inspection.id], "wrong password")
    signing.sign_off(w.principal, [inspection.id], factories.PASSWORD, "同意")
    db.session.commit()
    assert inspection.status is InspectionStatus.SIGNED_OFF and inspection.signed_off_by_id == w.principal.id


def test_signing_an_inspection_not_ready_is_refused(w):
    inspection = submitted(w)
    with pytest.raises(DomainError):
        signing.sign_off(w.principal, [inspection.id], factories.PASSWORD)


def test_a_principal_signs_their_own_inspection_only_when_others_verified(w):
    first_slot, _second = factories.assignments(w.school, Role.PRINCIPAL, MONDAY, MONDAY)
    inspection = inspections.start_from_assignment(w.principal, first_slot, today=MONDAY)
    factories.answer_all(inspection, fail=(0,))
    inspections.submit(w.principal, inspection, {f"item-{inspection.items[0].id}": w.cook})
    [task] = inspection.tasks
    rectification.rectify(w.cook, task, "修好了")
    rectification.verify(w.principal, task)  # the principal verified their own finding
    db.session.commit()
    with pytest.raises(DomainError):
        signing.sign_off(w.principal, [inspection.id], factories.PASSWORD)


def test_several_in_one_confirmation_all_or_none(w):
    first = ready(w)
    tuesday = MONDAY + timedelta(days=1)
    second = inspections.start_from_assignment(w.director, director_today(w, tuesday), today=tuesday)
    factories.answer_all(second, fail=(0,))
    inspections.submit(w.director, second, {f"item-{second.items[0].id}": w.cook})
    db.session.commit()
    with pytest.raises(DomainError):
        signing.sign_off(w.principal, [first.id, second.id], factories.PASSWORD)
    db.session.rollback()
    assert db.session.get(type(first), first.id).status is InspectionStatus.READY_FOR_SIGN_OFF


def test_a_second_sign_off_says_who_signed_first(w, create_user):
    inspection = ready(w)
    other_principal = create_user(Role.PRINCIPAL, w.school, display_name="副校长")
    signing.sign_off(w.principal, [inspection.id], factories.PASSWORD)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        signing.sign_off(other_principal, [inspection.id], factories.PASSWORD)
    assert "刘校长" in str(refused.value)


def test_signed_means_frozen_for_the_orm(w):
    inspection = ready(w)
    signing.sign_off(w.principal, [inspection.id], factories.PASSWORD)
    db.session.commit()
    for change in (
        lambda: setattr(inspection, "area", "改过"),
        lambda: setattr(inspection.items[0], "note", "改过"),
        lambda: setattr(inspection.findings[0], "description", "改过"),
        lambda: setattr(inspection.tasks[0], "rectification_note", "改过"),
        lambda: db.session.delete(inspection.items[1]),
        lambda: inspection.items.append(InspectionItem(school_id=w.school.id, text="新加的")),
    ):
        change()
        with pytest.raises(FrozenRecordError):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE inspection SET area = 'x' WHERE id = :id",
        "DELETE FROM inspection WHERE id = :id",
        "UPDATE inspection_item SET note = 'x' WHERE inspection_id = :id",
        "DELETE FROM finding WHERE inspection_id = :id",
        "UPDATE rectification_task SET rectification_note = 'x' WHERE inspection_id = :id",
        "INSERT INTO inspection_item (school_id, inspection_id, position, section, text, note, version) "
        "SELECT school_id, id, 99, 's', 't', '', 1 FROM inspection WHERE id = :id",
    ],
)
def test_signed_means_frozen_for_raw_sql_too(w, statement):
    inspection = ready(w)
    signing.sign_off(w.principal, [inspection.id], factories.PASSWORD)
    db.session.commit()
    with pytest.raises(sa.exc.DatabaseError):
        db.session.execute(sa.text(statement), {"id": inspection.id})
    db.session.rollback()


def test_a_correction_is_an_amendment_beside_the_original(w):
    inspection = ready(w)
    with pytest.raises(DomainError):
        signing.amend(w.principal, inspection, "补充", "内容")  # not signed yet
    signing.sign_off(w.principal, [inspection.id], factories.PASSWORD)
    with pytest.raises(DomainError):
        signing.amend(w.director, inspection, "补充", "内容")
    with pytest.raises(DomainError):
        signing.amend(w.principal, inspection, "", "内容")
    amendment = signing.amend(w.principal, inspection, "检查区域填写有误", "检查区域应为库房和操作间")
    db.session.commit()
    assert inspection.amendments == [amendment]
    assert inspection.area != "检查区域应为库房和操作间"


def test_every_transition_is_in_the_audit_trail(w):
    inspection = ready(w)
    signing.sign_off(w.principal, [inspection.id], factories.PASSWORD)
    signing.amend(w.principal, inspection, "补充", "说明")
    db.session.commit()
    trail = actions()
    for expected in (
        "assignments.planned",
        "inspection.started",
        "task.created",
        "inspection.submitted",
        "task.rectified",
        "task.verified",
        "inspection.ready_for_sign_off",
        "inspection.signed_off",
        "inspection.amended",
    ):
        assert expected in trail
    from portal.services import audit

    assert audit.verify_chain(f"school:{w.school.id}") is None
