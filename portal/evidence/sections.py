"""The sections of a period's evidence: each gives its PDF pages, its workbook sheets and
the records it includes (for the manifest). Later ledgers plug in by adding a Section."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models.cadence import AssignmentState
from ..models.certificate import Certificate
from ..models.evidence import SECTION_KEYS, InspectionEvidence
from ..models.inspection import Inspection, InspectionItem, InspectionStatus, ItemResult
from ..models.rectification import RectificationTask
from ..models.rule import Rule, RuleAcknowledgement, RuleStatus
from ..models.training import AttendanceStatus, TrainingAttendance, TrainingSession
from ..services import calendar as school_calendar
from ..services import compliance, planning, rules
from ..timeutil import day_range_utc, school_today
from .canteen import build_canteen
from .committee import build_committee
from .dormitory import build_dormitory
from .food_safety import build_food_safety
from .nutrition import build_nutrition
from .parts import Part, Section, Sheet, iso
from .storeroom import build_storeroom

# --- compliance summary ----------------------------------------------------------------


def build_compliance(section, scope):
    today = min(scope.last, school_today(scope.school))
    report = compliance.compute(scope.school, scope.first, scope.last, today)
    assignments = planning.assignments_between(scope.school.id, scope.first, scope.last)
    exceptions = [a for a in assignments if a.state_on(today) in (AssignmentState.MISSED, AssignmentState.EXCUSED)]
    start, end = day_range_utc(scope.first, scope.last, scope.school)
    tasks = db.session.scalars(
        sa.select(RectificationTask)
        .where(
            RectificationTask.school_id == scope.school.id,
            RectificationTask.found_at >= start,
            RectificationTask.found_at < end,
        )
        .order_by(RectificationTask.found_at)
    ).all()
    attention = [t for t in tasks if t.extension_count or (t.rectified_at or end) > t.deadline]
    backlog = db.session.scalars(
        sa.select(Inspection)
        .where(
            Inspection.school_id == scope.school.id,
            Inspection.status != InspectionStatus.SIGNED_OFF,
            Inspection.status != InspectionStatus.DRAFT,
            Inspection.inspected_on.between(scope.first, scope.last),
        )
        .order_by(Inspection.inspected_on)
    ).all()
    period_rows = [
        [summary.rule.name, iso(p.start), iso(p.end), p.count.required, p.count.done, p.count.missed, p.count.excused]
        for summary in report.rules
        for p in summary.periods
    ]
    return Part(
        section.key,
        section.title,
        "evidence/section_compliance.html",
        {
            "report": report,
            "weeks": _by_week(report),
            "exceptions": exceptions,
            "attention": attention,
            "backlog": backlog,
            "today": today,
        },
        sheets=[
            Sheet(
                str(_l("Cadence")),
                [
                    str(_l("Rule")),
                    str(_l("From")),
                    str(_l("To")),
                    str(_l("Required")),
                    str(_l("Done")),
                    str(_l("Missed")),
                    str(_l("Excused")),
                ],
                period_rows,
            ),
            Sheet(
                str(_l("Rectification tasks")),
                [
                    str(_l("Problem")),
                    str(_l("Responsible")),
                    str(_l("Found")),
                    str(_l("First deadline")),
                    str(_l("Deadline")),
                    str(_l("Extensions")),
                    str(_l("Rectified at")),
                    str(_l("Verified at")),
                    str(_l("Status")),
                ],
                [
                    [
                        t.description,
                        t.responsible.display_name,
                        iso(t.found_at),
                        iso(t.original_deadline),
                        iso(t.deadline),
                        t.extension_count,
                        iso(t.rectified_at),
                        iso(t.verified_at),
                        str(t.status.label),
                    ]
                    for t in tasks
                ],
            ),
        ],
        records={
            "assignments_excused_or_missed": [a.id for a in exceptions],
            "rectification_tasks": [t.id for t in tasks],
        },
    )


def _by_week(report):
    """[(Monday, [Count or None per rule])]: a daily rule's days summed into their week."""
    weeks = {}
    for position, summary in enumerate(report.rules):
        for period in summary.periods:
            counts = weeks.setdefault(school_calendar.monday_of(period.start), [None] * len(report.rules))
            total = counts[position] or compliance.Count()
            for name in ("required", "done", "missed", "excused", "open"):
                setattr(total, name, getattr(total, name) + getattr(period.count, name))
            counts[position] = total
    return sorted(weeks.items())


# --- training, certificates, rules -----------------------------------------------------


def build_training(section, scope):
    start, end = day_range_utc(scope.first, scope.last, scope.school)
    sessions = db.session.scalars(
        sa.select(TrainingSession)
        .where(
            TrainingSession.school_id == scope.school.id,
            TrainingSession.starts_at >= start,
            TrainingSession.starts_at < end,
        )
        .options(sa.orm.selectinload(TrainingSession.attendances).joinedload(TrainingAttendance.user))
        .order_by(TrainingSession.starts_at)
    ).all()
    hours = {}
    for session in sessions:
        for attendance in session.attendances:
            if attendance.status is AttendanceStatus.PRESENT:
                name = attendance.user.display_name
                total, count = hours.get(name, (0, 0))
                hours[name] = (total + session.hours, count + 1)
    per_person = sorted(hours.items())
    return Part(
        section.key,
        section.title,
        "evidence/section_training.html",
        {"sessions": sessions, "per_person": per_person},
        sheets=[
            Sheet(
                str(_l("Training sessions")),
                [
                    str(_l("Date and time")),
                    str(_l("Title")),
                    str(_l("Kind")),
                    str(_l("Hours")),
                    str(_l("Trainer")),
                    str(_l("Present")),
                    str(_l("Absent")),
                ],
                [
                    [
                        iso(s.starts_at),
                        s.title,
                        str(s.kind.label),
                        float(s.hours),
                        s.trainer,
                        "、".join(a.user.display_name for a in s.attendances if a.status is AttendanceStatus.PRESENT),
                        "、".join(a.user.display_name for a in s.attendances if a.status is AttendanceStatus.ABSENT),
                    ]
                    for s in sessions
                ],
            ),
            Sheet(
                str(_l("Hours per person")),
                [str(_l("Person")), str(_l("Sessions")), str(_l("Hours"))],
                [[name, count, float(total)] for name, (total, count) in per_person],
            ),
        ],
        records={"training_sessions": [s.id for s in sessions]},
    )


def build_certificates(section, scope):
    certificates = db.session.scalars(
        sa.select(Certificate)
        .where(Certificate.school_id == scope.school.id, Certificate.issued_on <= scope.last)
        .order_by(Certificate.expires_on)
    ).all()
    days = scope.school.settings.certificate_warning_days
    at_end = [(c, c.status_on(scope.last, days)) for c in certificates]
    lapsed = [c for c in certificates if c.expires_on and scope.first <= c.expires_on < scope.last]
    return Part(
        section.key,
        section.title,
        "evidence/section_certificates.html",
        {"at_end": at_end, "lapsed": lapsed},
        sheets=[
            Sheet(
                str(_l("Certificates")),
                [
                    str(_l("Holder")),
                    str(_l("Kind")),
                    str(_l("Number")),
                    str(_l("Issued by")),
                    str(_l("Issued on")),
                    str(_l("Expires on")),
                    str(_l("Status")),
                ],
                [
                    [
                        c.holder.display_name,
                        c.kind.name,
                        c.number,
                        c.issuing_authority,
                        iso(c.issued_on),
                        iso(c.expires_on),
                        str(status.label),
                    ]
                    for c, status in at_end
                ],
            )
        ],
        records={"certificates": [c.id for c in certificates]},
    )


def build_rules(section, scope):
    posted = db.session.scalars(
        sa.select(Rule)
        .where(Rule.school_id == scope.school.id, Rule.status != RuleStatus.DRAFT)
        .order_by(Rule.category, Rule.title)
    ).all()
    entries = []
    audience = db.session.scalar(
        sa.select(sa.func.count()).select_from(rules.audience_query([scope.school.id]).subquery())
    )
    _start, end = day_range_utc(scope.first, scope.last, scope.school)
    for rule in posted:
        versions = [v for v in rule.versions if v.effective_on <= scope.last]
        if not versions:
            continue
        acknowledged = db.session.scalar(
            sa.select(sa.func.count()).where(
                RuleAcknowledgement.rule_version_id == versions[-1].id, RuleAcknowledgement.acknowledged_at < end
            )
        )
        entries.append((rule, versions, acknowledged))
    return Part(
        section.key,
        section.title,
        "evidence/section_rules.html",
        {"entries": entries, "audience": audience},
        sheets=[
            Sheet(
                str(_l("Rules")),
                [
                    str(_l("Title")),
                    str(_l("Category")),
                    str(_l("Status")),
                    str(_l("Version")),
                    str(_l("Effective from")),
                    str(_l("Acknowledged")),
                    str(_l("Text")),
                ],
                [
                    [
                        r.title,
                        str(r.category.label),
                        str(r.status.label),
                        v[-1].number,
                        iso(v[-1].effective_on),
                        f"{ack}/{audience}",
                        v[-1].body,
                    ]
                    for r, v, ack in entries
                ],
            )
        ],
        records={"rules": [{"id": r.id, "version": v[-1].number} for r, v, _ack in entries]},
    )


# --- the appendix: frozen inspections, as they are -------------------------------------


def build_inspections(section, scope):
    rows = db.session.execute(
        sa.select(InspectionEvidence, Inspection)
        .join(Inspection, Inspection.id == InspectionEvidence.inspection_id)
        .where(Inspection.school_id == scope.school.id, Inspection.inspected_on.between(scope.first, scope.last))
        .order_by(Inspection.inspected_on, Inspection.id, InspectionEvidence.amendment_id.nulls_first())
        .options(selectinload(Inspection.inspector))
    ).all()
    item_counts = _item_counts([inspection.id for _evidence, inspection in rows])
    frozen = []
    for evidence, inspection in rows:
        title = f"{inspection.inspected_on.isoformat()} {inspection.kind.label} · {inspection.inspector.display_name}"
        if evidence.amendment_id:
            title = f"{title} · {_l('Amendment')} #{evidence.amendment_id}"
        frozen.append((title, evidence))
    return Part(
        section.key,
        section.title,
        sheets=[
            Sheet(
                str(_l("Inspection records")),
                [
                    str(_l("Date")),
                    str(_l("Kind")),
                    str(_l("Inspector")),
                    str(_l("Items")),
                    str(_l("Failed")),
                    str(_l("Signed off")),
                    "SHA-256",
                ],
                [
                    [
                        iso(i.inspected_on),
                        str(i.kind.label),
                        i.inspector.display_name,
                        *item_counts.get(i.id, (0, 0)),
                        iso(i.signed_off_at),
                        e.sha256,
                    ]
                    for e, i in rows
                    if e.amendment_id is None
                ],
            )
        ],
        records={
            "inspections": [
                {"id": e.inspection_id, "amendment_id": e.amendment_id, "sha256": e.sha256} for e, _i in rows
            ]
        },
        frozen=frozen,
    )


def _item_counts(inspection_ids):
    """{inspection id: (items, failed items)}, counted by the database."""
    failed = sa.func.sum(sa.case((InspectionItem.result == ItemResult.FAIL, 1), else_=0))
    counts = db.session.execute(
        sa.select(InspectionItem.inspection_id, sa.func.count(), failed)
        .where(InspectionItem.inspection_id.in_(inspection_ids))
        .group_by(InspectionItem.inspection_id)
    )
    return {inspection_id: (items, int(failures or 0)) for inspection_id, items, failures in counts}


SECTIONS = [
    Section("compliance", _l("Compliance summary"), build_compliance),
    Section("training", _l("Training and attendance"), build_training),
    Section("certificates", _l("Staff certificates"), build_certificates),
    Section("rules", _l("Rules and who has read them"), build_rules),
    Section("canteen", _l("Canteen ledgers"), build_canteen),
    Section("food_safety", _l("Accompanied meals, rooms, purchases and food-safety meetings"), build_food_safety),
    Section("storeroom", _l("Storeroom and cold chain"), build_storeroom),
    Section("nutrition", _l("Nutrition improvement plan"), build_nutrition),
    Section("dormitory", _l("Dormitory housekeeping"), build_dormitory),
    Section("committee", _l("Parents' meal committee"), build_committee),
    Section("inspections", _l("Appendix: signed inspection records"), build_inspections),
]
BY_KEY = {section.key: section for section in SECTIONS}
ALL_KEYS = list(SECTION_KEYS)
if [section.key for section in SECTIONS] != ALL_KEYS:
    raise RuntimeError("evidence sections and models.evidence.SECTION_KEYS disagree")


def chosen(keys):
    return [BY_KEY[key] for key in ALL_KEYS if key in set(keys)]
