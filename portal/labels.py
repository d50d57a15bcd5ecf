"""Words for what the code calls by name: the kinds of record and the actions of the audit
trail, and the fields of a record. The audit trail stores codes (``task.verified``,
``RectificationTask``, ``holder_id``) so that its hashes never depend on a language; people
read these words instead.

A field is named by the label declared on its column (models/types.label), which the admin
and the evidence read too; FIELDS names the keys of an event that are no column.
"""

import functools

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .extensions import db
from .models.registry import BY_MODEL

# Every model that can appear in the audit trail, by class name (AuditEvent.object_type);
# the ledgers' records are named in the registry (portal/ledgers.py).
RECORDS = {
    "Assignment": _l("Planned inspection"),
    "Cabinet": _l("Cabinet"),
    "CadenceRule": _l("Inspection cadence"),
    "CalendarDay": _l("Holiday or make-up day"),
    "CanteenRoom": _l("Canteen room"),
    "Certificate": _l("Certificate"),
    "Additive": _l("Food additive"),
    "CertificateKind": _l("Kind of certificate"),
    "ColdUnit": _l("Fridge or freezer"),
    "ChecklistEntry": _l("Checklist item"),
    "ChecklistTemplate": _l("Checklist"),
    "ChecklistVersion": _l("Checklist version"),
    "DeliveryItem": _l("Delivered item"),
    "EvidenceExport": _l("Evidence export"),
    "File": _l("Evidence file"),
    "Finding": _l("Finding"),
    "Inspection": _l("Inspection"),
    "InspectionAmendment": _l("Amendment"),
    "InspectionEvidence": _l("Frozen inspection record"),
    "InspectionItem": _l("Checklist answer"),
    "InspectionPhoto": _l("Photo"),
    "JobFailure": _l("Failed background job"),
    "RoutineRun": _l("Run of the routine"),
    "DaySummary": _l("Day summary"),
    "RuleDaySummary": _l("Day summary of an inspection cadence"),
    "SummaryProgress": _l("Days summarised"),
    "IngredientRule": _l("Ingredient list entry"),
    "LedgerAmendment": _l("Ledger amendment"),
    "PublicNotice": _l("Public notice"),
    "RectificationTask": _l("Rectification task"),
    "Reminder": _l("Reminder of a record due"),
    "ReminderRule": _l("When a record is due"),
    "ReminderSettings": _l("Group chat and school hours"),
    "GroupMessage": _l("Group chat message"),
    "Rule": _l("Rule"),
    "RuleAcknowledgement": _l("Rule acknowledgement"),
    "RuleVersion": _l("Rule version"),
    "School": _l("School"),
    "SchoolSettings": _l("School settings"),
    "StockBalance": _l("Stock on hand"),
    "Student": _l("Student"),
    "SchoolClass": _l("Class"),
    "DormRoom": _l("Dormitory room"),
    "DormBed": _l("Dormitory bed"),
    "DormStandardItem": _l("Item of the housekeeping standard"),
    "Survey": _l("Survey"),
    "CommitteeMember": _l("Parents' meal committee member"),
    "SurveyQuestion": _l("Survey question"),
    "SurveyResponse": _l("Survey answers"),
    "SurveyAnswer": _l("Answer to a survey question"),
    "SubsidyRate": _l("Nutrition subsidy rate"),
    "StockItem": _l("Stock item"),
    "StocktakeLine": _l("Stocktake line"),
    "Supplier": _l("Supplier"),
    "Term": _l("Term"),
    "TrainingAttendance": _l("Attendance"),
    "TrainingSession": _l("Training session"),
    "User": _l("User"),
}

# Action prefixes that are not the record's table name.
SUBJECTS = {
    "task": "RectificationTask",
    "assignments": "Assignment",
    "checklist": "ChecklistTemplate",
    "evidence": "EvidenceExport",
}

VERBS = {
    "created": _l("created"),
    "code_replaced": _l("station code replaced"),
    "restarted": _l("begun again"),
    "updated": _l("changed"),
    "deleted": _l("deleted"),
    "signed": _l("signed"),
    "answered": _l("answered"),
    "login": _l("logged in"),
    "logout": _l("logged out"),
    "locale_set": _l("language chosen"),
    "reminder_digest_set": _l("daily digest chosen"),
    "saved": _l("saved"),
    "test": _l("test message sent"),
    "password_set": _l("password set by an administrator"),
    "password_changed": _l("password changed"),
    "deactivated": _l("deactivated"),
    "posted": _l("posted"),
    "retired": _l("retired"),
    "version_created": _l("new version"),
    "acknowledged": _l("read and confirmed"),
    "published": _l("published"),
    "version_started": _l("new draft version"),
    "planned": _l("planned"),
    "excused": _l("excused"),
    "started": _l("started"),
    "submitted": _l("submitted"),
    "resubmitted": _l("submitted again"),
    "rectifying": _l("rectification under way"),
    "ready_for_sign_off": _l("ready for sign-off"),
    "returned": _l("returned to the inspector"),
    "signed_off": _l("signed off"),
    "amended": _l("amended"),
    "added": _l("added"),
    "removed": _l("removed"),
    "rectified": _l("rectified"),
    "verified": _l("verified"),
    "sent_back": _l("sent back"),
    "extended": _l("deadline extended"),
    "discarded": _l("discarded"),
    "materials_changed": _l("materials changed"),
    "requested": _l("requested"),
    "exported": _l("exported"),
    "failed": _l("failed"),
    "interrupted": _l("interrupted"),
    "downloaded": _l("downloaded"),
    "frozen": _l("frozen"),
    "frozen_downloaded": _l("frozen record downloaded"),
    "withdrawn": _l("withdrawn"),
    "reviewed": _l("reviewed"),
    "counted": _l("counted"),
    "keeper_signed": _l("signed by the keeper"),
    "checked": _l("checked by a second person"),
    "imported": _l("imported"),
    "opened": _l("opened"),
    "closed": _l("closed"),
}

# Keys of the values before and after that no admin view labels.
FIELDS = {
    # Reminders: the school's choices, the gaps prompted, the group messages, the digest.
    "rule": _l("Due rule"),
    "enabled": _l("On"),
    "lead_minutes": _l("Lead time (minutes)"),
    "due_time": _l("Due at"),
    "due_day": _l("Due day"),
    "gap_key": _l("Gap"),
    "due_at": _l("Due"),
    "target_args": _l("The page that closes it"),
    "prompted_at": _l("Prompted at"),
    "late_at": _l("Late at"),
    "closed_at": _l("Closed at"),
    "platform": _l("Group chat"),
    "webhook_url": _l("Group robot's webhook address"),
    "webhook_host": _l("Group robot's webhook address"),
    "webhook_secret": _l("DingTalk signing secret (加签)"),
    "has_secret": _l("A signing secret is saved"),
    "webhook_secret_changed": _l("Signing secret changed"),
    "messages_from": _l("School hours begin"),
    "messages_until": _l("School hours end"),
    "digest_at": _l("Daily digest at"),
    "reminder": _l("Reminder of a record due"),
    "escalation": _l("Escalation"),
    "send_after": _l("Sent not before"),
    "attempts": _l("Attempts"),
    "sent_at": _l("Sent at"),
    "reminder_digest": _l("Reminders in a daily digest"),
    "digest": _l("Reminders in a daily digest"),
    "digest_sent_on": _l("Last digest sent on"),
    # Surveys: recorded by their services, shown in no admin view.
    "title": _l("Title"),
    "asks_students": _l("Asks students"),
    "asks_teachers": _l("Asks teachers"),
    "asks_parents": _l("Asks parents"),
    "term_id": _l("Semester"),
    "audience_size": _l("How many are asked"),
    "closes_on": _l("Closes on"),
    "token": _l("Link key"),
    "is_open": _l("Open to answers"),
    "created_by_id": _l("Created by"),
    "survey_id": _l("Survey"),
    "options": _l("Options"),
    "device": _l("Phone (a keyed hash)"),
    "entered_by_id": _l("Typed in by"),
    "response_id": _l("Answer sheet"),
    "question_id": _l("Question"),
    "rating": _l("Rating"),
    "choice": _l("Choice"),
    "id": _l("Number"),
    "school_id": _l("School"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
    "version": _l("Version"),
    "roles": _l("Roles"),
    "locale": _l("Language"),
    "last_login_at": _l("Last login"),
    "password_reset_required": _l("Must change the password at the next login"),
    "email": _l("Email"),
    "note": _l("What was done"),
    "reason": _l("Reason"),
    "photos": _l("Photos"),
    "in_time": _l("In time"),
    "responsible": _l("Who fixes"),
    "rectified_by": _l("Rectified by"),
    "deadline": _l("Deadline"),
    "description": _l("Description"),
    "comment": _l("Comment"),
    "failed": _l("Failed items"),
    "findings": _l("Findings"),
    "items": _l("Items"),
    "assignment": _l("Planned inspection"),
    "inspection_id": _l("Inspection"),
    "amendment_id": _l("Amendment"),
    "rule_id": _l("Rule"),
    "body": _l("Text"),
    "from": _l("From"),
    "to": _l("To"),
    "first": _l("From"),
    "last": _l("To"),
    "created": _l("Created"),
    "removed": _l("Removed"),
    "sections": _l("Contents of the bundle"),
    "format": _l("Format"),
    "sha256": "SHA-256",
    "pages": _l("Pages"),
    "file_name": _l("File"),
    "matches": _l("Unchanged"),
    "error": _l("Error"),
    "materials": _l("Materials"),
    "posted_locations": _l("Posted at"),
    "locks_at": _l("Locks at"),
    "keep_until": _l("Kept until"),
    "withdrawn_at": _l("Withdrawn at"),
    "withdrawn_by": _l("Withdrawn by"),
    "withdrawal_reason": _l("Reason for the withdrawal"),
    "reviewed_at": _l("Reviewed at"),
    "ledger": _l("Ledger"),
    "record_id": _l("Record"),
    "ledger_record_id": _l("Record"),
    "changes": _l("Correction"),
    "missing_ticket": _l("No ticket or invoice"),
    "missing_quarantine": _l("No quarantine certificate"),
    # Columns of records that have no admin view of their own (and so no column labels).
    "name": _l("Name"),
    "status": _l("Status"),
    "kind": _l("Kind"),
    "position": _l("Position"),
    "section": _l("Section"),
    "text": _l("Item"),
    "result": _l("Result"),
    "stage": _l("Stage"),
    "item": _l("Checklist item"),
    "finding": _l("Finding"),
    "task": _l("Rectification task"),
    "stored_file": _l("File"),
    "photo": _l("Photo"),
    "delivery": _l("Delivery"),
    "specification": _l("Specification"),
    "quantity": _l("Quantity"),
    "unit": _l("Unit"),
    "production_date": _l("Production date"),
    "batch": _l("Batch"),
    "shelf_life_days": _l("Shelf life (days)"),
    "price": _l("Price"),
    "purpose": _l("Purpose"),
    "original_name": _l("Original file name"),
    "content_type": _l("File type"),
    "size": _l("Size"),
    "storage_key": _l("Stored as"),
    "uploaded_by": _l("Uploaded by"),
    "uploaded_at": _l("Uploaded at"),
    "checklist_version": _l("Checklist version"),
    "submitted_at": _l("Submitted at"),
    "returned_at": _l("Returned at"),
    "returned_reason": _l("Reason for returning"),
    "signed_off_at": _l("Signed off at"),
    "signed_off_by": _l("Signed off by"),
    "sign_off_comment": _l("Comment on signing"),
    "requested_by": _l("Asked for by"),
    "period_first": _l("From"),
    "period_last": _l("To"),
    "progress_done": _l("Steps done"),
    "progress_total": _l("Steps in all"),
    "started_at": _l("Started at"),
    "heartbeat_at": _l("Last sign of life"),
    "finished_at": _l("Finished at"),
    "rendered_at": _l("Rendered at"),
    "user": _l("User"),
    "author": _l("Author"),
    "subject": _l("Subject"),
    "target_endpoint": _l("Page"),
    "target": _l("Record"),
    "dedupe_key": _l("Key"),
    "read_at": _l("Read at"),
    "emailed_at": _l("Emailed at"),
    "role": _l("Role"),
    "session": _l("Training session"),
    "score": _l("Score"),
    "on_hand": _l("On hand"),
    "stocktake_id": _l("Monthly stocktake"),
    "book": _l("Book"),
    "counted": _l("Counted"),
    "delivery_item_id": _l("Delivered item"),
    "differences": _l("Differences"),
    "lines": _l("Batches counted"),
    "month": _l("Month"),
    "keeper": _l("Keeper"),
}


def record_name(object_type):
    if object_type in RECORDS:
        return RECORDS[object_type]
    named = {model.__name__: kind.record_name for model, kind in BY_MODEL.items()}
    return named.get(object_type, object_type)


def model_class(object_type):
    for mapper in db.Model.registry.mappers:
        if mapper.class_.__name__ == object_type:
            return mapper.class_
    return None


@functools.cache
def action_subjects():
    """{the first part of an action: the kind of record it names}: a model's table name, or
    one of SUBJECTS. Read for every row of the audit log and every search word: the models do
    not change while the app runs."""
    return {mapper.local_table.name: mapper.class_.__name__ for mapper in db.Model.registry.mappers} | SUBJECTS


def action_label(action):
    """``task.verified`` -> 整改任务：已验证"""
    subject, _dot, verb = action.partition(".")
    return _(
        "%(record)s: %(verb)s", record=record_name(action_subjects().get(subject, subject)), verb=VERBS.get(verb, verb)
    )


def column_label(model, key):
    """A field's name as declared on its column or relationship (models/types.label), for
    ``key`` or, for a foreign key like ``holder_id``, its relationship; None when it has none."""
    mapper = sa.inspect(model, raiseerr=False) if model is not None else None
    if mapper is None:
        return None
    for candidate in (key, key.removesuffix("_id")):
        attribute = mapper.attrs.get(candidate)
        info = getattr(attribute, "columns", [attribute])[0].info if attribute is not None else {}
        if "label" in info:
            return info["label"]
    return None


def path_label(model, path):
    """The name of ``dish.day``: the label of the column at the end of the path."""
    *hops, last = path.split(".")
    for hop in hops:
        model = sa.inspect(model).relationships[hop].mapper.class_
    return column_label(model, last)


def field_label(object_type, key):
    """A field of a record (by its class name) as a reader says it: its column's label, or for a
    key that is no column (a value an action recorded), the words of FIELDS."""
    found = column_label(model_class(object_type), key)
    if found is not None:
        return found
    return FIELDS.get(key) or FIELDS.get(key.removesuffix("_id")) or key
