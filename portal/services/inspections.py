"""The inspection workflow: start, answer, submit, return, sign off, amend.

Inspection states: draft -> submitted -> rectifying (while a task is not verified) ->
ready for sign-off -> signed off; the principal may instead return it to the inspector,
who corrects and submits again. Every transition checks its predicate, records who and
when, and writes an audit event in the same transaction.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.cadence import AssignmentStatus
from ..models.inspection import (
    Finding,
    Inspection,
    InspectionItem,
    InspectionKind,
    InspectionPhoto,
    InspectionStatus,
    ItemResult,
    PhotoStage,
)
from ..models.rectification import TaskStatus
from ..timeutil import school_today, utcnow
from . import audit, checklists, files, notifications, planning, records, rectification


class Conflict(DomainError):
    """Somebody else saved first; ``current`` holds what is saved now."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


# --- starting ------------------------------------------------------------------------


def start_from_assignment(actor, assignment, today=None):
    """Start (or resume) the inspection of an assignment, today."""
    today = today or school_today(assignment.school)
    if not assignment.rule.may_be_fulfilled_by(actor):
        raise DomainError(_l("This inspection is assigned to someone else."))
    if assignment.status is AssignmentStatus.EXCUSED:
        raise DomainError(_l("This inspection was excused."))
    if assignment.inspection is not None:
        inspection = assignment.inspection
        if inspection.is_editable and inspection.inspector_id == actor.id:
            return inspection
        raise DomainError(_l("This inspection was already done or started by someone else."))
    if not assignment.is_due_on(today):
        raise DomainError(_l("This inspection is not due today. Start an ad hoc inspection instead."))
    if planning.same_day_taken(assignment, today):
        raise DomainError(_l("This week's inspections must be on different days: there is one today already."))
    inspection = _new_inspection(actor, assignment.rule.inspection_kind, today, "")
    _copy_checklist(inspection, checklists.version_to_use(assignment.rule, actor.school_id))
    assignment.inspection = inspection
    db.session.flush()
    audit.record(
        actor, "inspection.started", inspection, after={"assignment": str(assignment), "items": len(inspection.items)}
    )
    return inspection


def start_ad_hoc(actor, area="", today=None):
    inspection = _new_inspection(actor, InspectionKind.AD_HOC, today or school_today(actor.school), area)
    _copy_checklist(inspection, checklists.version_to_use(None, actor.school_id))
    db.session.flush()
    audit.record(actor, "inspection.started", inspection, after={"kind": "ad_hoc", "items": len(inspection.items)})
    return inspection


def _new_inspection(actor, kind, day, area):
    if actor.school_id is None:
        raise DomainError(_l("Only a member of a school inspects its canteen."))
    inspection = Inspection(school_id=actor.school_id, inspector=actor, kind=kind, inspected_on=day, area=area or "")
    db.session.add(inspection)
    return inspection


def _copy_checklist(inspection, version):
    """A snapshot: later edits of the template never rewrite this inspection."""
    if version is None:
        return
    inspection.checklist_version = version
    for entry in version.entries:
        inspection.items.append(
            InspectionItem(
                school_id=inspection.school_id,
                position=entry.position,
                section=entry.section,
                text=entry.text,
                rule_id=entry.rule_id,
            )
        )


# --- answering -----------------------------------------------------------------------


def _check_editor(actor, inspection):
    if inspection.inspector_id != actor.id:
        raise DomainError(_l("Only the inspector changes an inspection."))
    if not inspection.is_editable:
        raise DomainError(_l("This inspection was submitted and can no longer be changed."))


def answer_item(actor, item, result, note, seen_version):
    """Save one checklist answer. ``seen_version`` is the item version the form showed:
    when someone saved in between, nothing is overwritten and Conflict says what is saved."""
    _check_editor(actor, item.inspection)
    result, note, seen_version = _readable_answer(result, note, seen_version)
    if seen_version is not None and seen_version != item.version:
        raise Conflict(
            _l("This item was changed in another window or by someone else. Check the saved answer."),
            current={"result": item.result.value if item.result else "", "note": item.note, "version": item.version},
        )
    if result is ItemResult.FAIL and not note:
        raise DomainError(_l("A failed item needs a note: what is wrong?"), field="note")
    if (item.result, item.note) != (result, note):
        item.result, item.note = result, note
        db.session.flush()
    return item


def pass_unanswered(actor, inspection, items):
    """ "All other items of this section pass": the items not answered yet pass; an answer
    already given (a failure, say) stays as it is. Returns the items that changed."""
    _check_editor(actor, inspection)
    changed = [item for item in items if item.inspection_id == inspection.id and item.result is None]
    for item in changed:
        item.result = ItemResult.PASS
    db.session.flush()
    return changed


def _readable_answer(result, note, seen_version):
    """What a form or an autosave sent, as (ItemResult or None, note, version or None);
    anything else is refused with a message rather than reaching the database."""
    if result in (None, ""):
        result = None
    elif isinstance(result, str) and result in {member.value for member in ItemResult}:
        result = ItemResult(result)
    else:
        raise DomainError(_l("Choose pass, fail or not applicable."), field="result")
    if note is not None and not isinstance(note, str):
        raise DomainError(_l("The note must be text."), field="note")
    if seen_version in (None, ""):
        return result, (note or "").strip(), None
    if isinstance(seen_version, bool) or not str(seen_version).isdigit() or len(str(seen_version)) > 9:
        raise DomainError(_l("The page is out of date. Reload it and answer again."), field="version")
    return result, (note or "").strip(), int(seen_version)


def add_finding(actor, inspection, description):
    _check_editor(actor, inspection)
    description = (description or "").strip()
    if not description:
        raise DomainError(_l("A finding needs a description."), field="description")
    finding = Finding(school_id=inspection.school_id, description=description)
    inspection.findings.append(finding)
    db.session.flush()
    audit.record(actor, "finding.added", finding, after={"inspection_id": inspection.id, "description": description})
    return finding


def remove_finding(actor, finding):
    _check_editor(actor, finding.inspection)
    if finding.task is not None:
        raise DomainError(_l("A finding with a rectification task stays on record."))
    audit.record(actor, "finding.removed", finding, before={"description": finding.description})
    db.session.delete(finding)


def add_photo(actor, inspection, upload, *, item=None, finding=None):
    _check_editor(actor, inspection)
    stored = files.store_upload(actor, inspection.school_id, upload, files.PHOTO)
    photo = InspectionPhoto(
        school_id=inspection.school_id,
        item_id=getattr(item, "id", None),
        finding_id=getattr(finding, "id", None),
        stage=PhotoStage.FOUND,
        stored_file=stored,
    )
    inspection.photos.append(photo)
    db.session.flush()
    return photo


# --- submitting ------------------------------------------------------------------------


def submit(actor, inspection, responsible_by_finding, now=None):
    """Failed items become findings; every finding without a task gets one, with the
    person responsible chosen by the inspector. ``responsible_by_finding`` maps a finding
    key (``item-<id>`` or ``finding-<id>``) to a user of the school."""
    _check_editor(actor, inspection)
    unanswered = inspection.unanswered_items
    if unanswered:
        raise DomainError(_l("%(n)d items are not answered yet.", n=len(unanswered)))
    for item in inspection.failed_items:
        if not (item.note or "").strip():
            raise DomainError(_l("A failed item needs a note: %(item)s", item=item.text))
    now = now or utcnow()
    was_returned = inspection.status is InspectionStatus.RETURNED
    for item in inspection.failed_items:
        if not any(finding.item_id == item.id for finding in inspection.findings):
            inspection.findings.append(
                Finding(school_id=inspection.school_id, item=item, description=f"{item.text}：{item.note}")
            )
    db.session.flush()
    for finding in inspection.findings:
        if finding.task is None:
            responsible = responsible_by_finding.get(finding_key(finding))
            rectification.create_task(actor, finding, responsible, now)
    inspection.submitted_at = now
    inspection.status = InspectionStatus.SUBMITTED
    _link_assignment(inspection)
    db.session.flush()
    audit.record(
        actor,
        "inspection.resubmitted" if was_returned else "inspection.submitted",
        inspection,
        after={"failed": len(inspection.failed_items), "findings": len(inspection.findings)},
    )
    update_progress(inspection)
    return inspection


def finding_key(finding):
    return f"item-{finding.item_id}" if finding.item_id else f"finding-{finding.id}"


def pending_findings(inspection):
    """What submitting will turn into tasks: [(key, description)], failed items first."""
    pending = []
    for item in inspection.failed_items:
        finding = next((f for f in inspection.findings if f.item_id == item.id), None)
        if finding is None or finding.task is None:
            pending.append((f"item-{item.id}", f"{item.text}：{item.note}"))
    for finding in inspection.findings:
        if finding.item_id is None and finding.task is None:
            pending.append((f"finding-{finding.id}", finding.description))
    return pending


def _link_assignment(inspection):
    assignment = inspection.assignment or planning.open_slot_for(inspection)
    if assignment is not None and assignment.status is AssignmentStatus.OPEN:
        assignment.inspection = inspection
        assignment.status = AssignmentStatus.DONE


@rectification.verified.connect
def _task_verified(task):
    if task.inspection is not None:
        update_progress(task.inspection)


def update_progress(inspection):
    """Submitted -> rectifying while a task is not verified -> ready for sign-off."""
    if inspection.status not in (InspectionStatus.SUBMITTED, InspectionStatus.RECTIFYING):
        return
    unverified = [task for task in inspection.tasks if task.status is not TaskStatus.VERIFIED]
    status = InspectionStatus.RECTIFYING if unverified else InspectionStatus.READY_FOR_SIGN_OFF
    if status is inspection.status:
        return
    before = inspection.status
    inspection.status = status
    audit.record(
        None, f"inspection.{status.value}", inspection, before={"status": before.value}, after={"status": status.value}
    )
    if status is InspectionStatus.READY_FOR_SIGN_OFF:
        notifications.inspection_ready(inspection)


# --- drafts from the admin views (foundation) -------------------------------------------


def save_draft(actor, inspection, before):
    records.assign_school(actor, inspection)
    if before is not None and before.get("status") != InspectionStatus.DRAFT.value:
        raise DomainError(_l("Only a draft inspection can be changed."))
    inspection.status = InspectionStatus.DRAFT
    if inspection.inspector is not None and inspection.inspector.school_id != inspection.school_id:
        raise DomainError(_l("The inspector is not a member of this school."), field="inspector")
    for position, item in enumerate(inspection.items):
        item.school_id = inspection.school_id
        item.position = position
        if item.result is ItemResult.FAIL and not (item.note or "").strip():
            raise DomainError(_l("A failed item needs a note: %(item)s", item=item.text), field="items")
    for finding in inspection.findings:
        finding.school_id = inspection.school_id
        if not (finding.description or "").strip():
            raise DomainError(_l("A finding needs a description."), field="findings")
    return records.save_record(actor, inspection, before)


def delete_draft(actor, inspection):
    if inspection.status is not InspectionStatus.DRAFT:
        raise DomainError(_l("Only a draft inspection can be changed."))
    records.delete_record(actor, inspection)


def inspections_of(user, first: date, last: date):
    return db.session.scalars(
        sa.select(Inspection)
        .where(Inspection.inspector_id == user.id, Inspection.inspected_on.between(first, last))
        .order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
    ).all()
