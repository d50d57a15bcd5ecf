"""The roster's enrolment changes (异动): recorded with their document, an import's all at once,
and checked by a second person, one by one or an import's (or a list's) in one step."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..errors import DomainError
from ..extensions import db
from ..models.file import StoredFile
from ..models.nutrition import ChangeKind, EnrolmentChange, Student
from ..timeutil import school_today, utcnow
from . import audit, files, ledgers, records
from .nutrition import preview

# The changes one page lists, and checks in one step, at most.
SHOWN_AT_MOST = 200


def record_change(actor, student, kind, effective_on, document_ref="", *, now=None):
    """异动: a change of one student from its effective day (today or earlier), recorded today.
    A change dated into a period already reconciled reopens nothing: it is counted where it
    falls, and the next reconciliation shows the difference."""
    if student is None or student.school_id != actor.school_id:
        raise DomainError(_l("Choose a student of this school."), field="student")
    today = school_today(actor.school, now)
    if effective_on is None or effective_on > today:
        raise DomainError(
            _l("The change takes effect today or on an earlier day, not in the future."), field="effective_on"
        )
    before = {"enrolled": student.enrolled, "eligible": student.eligible}
    if all(before.get(key) == value for key, value in kind.sets.items()) and kind is not ChangeKind.ENROLLED:
        raise DomainError(
            _l("%(student)s: this changes nothing (%(kind)s).", student=student.name, kind=kind.label), field="kind"
        )
    change = EnrolmentChange(
        school_id=student.school_id,
        student=student,
        kind=kind,
        effective_on=effective_on,
        day=today,
        document_ref=(document_ref or "").strip()[:100],
        recorded_by_id=actor.id,
    )
    records.save_record(actor, change, None, now)
    _refresh_state(student, today)
    return change


def _refresh_state(student, today):
    """The student's state as its changes effective up to today leave it."""
    state = {"enrolled": False, "eligible": False}
    for change in sorted(student.changes, key=lambda c: (c.effective_on, c.id or 0)):
        if change.effective_on <= today and not change.is_withdrawn:
            state |= change.kind.sets
    student.enrolled, student.eligible = state["enrolled"], state["eligible"]
    db.session.flush()


@ledgers.withdrawing.connect
def refuse_withdrawal(record, actor=None):
    """A change entered by mistake is undone by the opposite change, dated and documented:
    the student's history stays whole."""
    if isinstance(record, EnrolmentChange):
        raise DomainError(_l("An enrolment change is not withdrawn: record the opposite change with its document."))


def refusal_to_check(actor, change):
    """Why ``actor`` may not check ``change``, or None."""
    if change.checked_by_id is not None:
        return _l("This change was checked already.")
    if not actor.can("enrolment.check") or actor.school_id != change.school_id:
        return _l("Enrolment changes are checked by the principal or another school admin.")
    if actor.id == change.recorded_by_id:
        return _l("A change is checked by someone other than who recorded it.")
    return None


def check_change(actor, change, now=None):
    """A second person checks the change against its document."""
    refusal = refusal_to_check(actor, change)
    if refusal:
        raise DomainError(refusal)
    change.checked_by_id, change.checked_at = actor.id, now or utcnow()
    db.session.flush()
    audit.record(actor, "enrolment_change.checked", change, after={"checked_by": actor.display_name})


def check_changes(actor, changes, now=None):
    """Checks, in one step, the changes ``actor`` read (an import's, or a list shown): each is
    checked and audited as if one by one. Those checked meanwhile by someone else are left;
    any other refusal refuses them all. Returns how many were checked."""
    waiting = [change for change in changes if change.checked_by_id is None]
    if not waiting:
        raise DomainError(_l("These changes were checked already."))
    for change in waiting:
        check_change(actor, change, now)
    return len(waiting)


def checkable(actor, changes):
    return [change for change in changes if refusal_to_check(actor, change) is None]


def imports_to_check(actor, limit=20):
    """[(the roster file, its changes this person may still check)], the newest import first."""
    stored_files = db.session.scalars(
        sa.select(StoredFile)
        .where(StoredFile.school_id == actor.school_id, StoredFile.purpose == files.ROSTER.name)
        .order_by(StoredFile.uploaded_at.desc())
        .limit(limit)
    ).all()
    found = []
    for stored in stored_files:
        ids = (stored.contents or {}).get("change_ids")
        waiting = checkable(actor, changes_by_id(actor.school_id, ids)) if ids else []
        if waiting:
            found.append((stored, waiting))
    return found


def unchecked_in(school_id, first, last):
    """The changes effective or recorded between ``first`` and ``last`` that no one has checked:
    a month is not signed while its figures rest on them."""
    return db.session.scalars(
        sa.select(EnrolmentChange)
        .where(
            EnrolmentChange.school_id == school_id,
            EnrolmentChange.checked_by_id.is_(None),
            sa.or_(EnrolmentChange.effective_on.between(first, last), EnrolmentChange.day.between(first, last)),
        )
        .options(selectinload(EnrolmentChange.student))
        .order_by(EnrolmentChange.effective_on, EnrolmentChange.id)
    ).all()


def is_initial_roster(change, initial):
    """Whether ``change`` put a student on the first roster (``initial``: initial_roster_keys)."""
    return (change.student_id, change.effective_on, change.day) in initial and change.kind in FIRST_ROSTER_KINDS


# The first import enrols every student (the only way a student is ENROLLED) and, the same day
# and from the same day, makes the beneficiaries eligible: together the first roster.
FIRST_ROSTER_KINDS = (ChangeKind.ENROLLED, ChangeKind.ELIGIBLE)


def initial_roster_keys(school_id):
    """{(student, effective day, recorded day)} of the school's first roster."""
    return set(
        db.session.execute(
            sa.select(EnrolmentChange.student_id, EnrolmentChange.effective_on, EnrolmentChange.day).where(
                EnrolmentChange.school_id == school_id, EnrolmentChange.kind == ChangeKind.ENROLLED
            )
        ).all()
    )


def changes_by_id(school_id, ids):
    return db.session.scalars(
        sa.select(EnrolmentChange)
        .where(EnrolmentChange.school_id == school_id, EnrolmentChange.id.in_([int(i) for i in ids]))
        .options(selectinload(EnrolmentChange.student))
        .order_by(EnrolmentChange.id)
    ).all()


def apply_import(actor, rows, problems, effective_on, *, stored=None, now=None):
    """The confirmed preview: new students join the roster from ``effective_on`` (the first
    import puts everyone on it; later ones transfer them in), changed names and classes are
    corrected, eligibility changes are recorded. Students leaving are not guessed at: each
    needs its own change with its date and document. The file (``stored``) keeps the ids of
    the changes it made, so that they are checked as one import."""
    if any(row.eligible is None for row in rows):
        raise DomainError(
            _l("The file does not say who is eligible: say whether every listed student is."), field="all_eligible"
        )
    result = preview(actor.school_id, rows, problems)
    if result.problems:
        raise DomainError(_l("The file has rows with problems: correct them and import it again."))
    first_import = db.session.scalar(sa.select(Student.id).where(Student.school_id == actor.school_id).limit(1)) is None
    arrival = ChangeKind.ENROLLED if first_import else ChangeKind.TRANSFER_IN
    made = []
    existing = {
        s.register_number: s for s in db.session.scalars(sa.select(Student).where(Student.school_id == actor.school_id))
    }
    for row in result.new:
        student = existing.get(row.register_number) or Student(
            school_id=actor.school_id, register_number=row.register_number, enrolled=False, eligible=False
        )
        student.name, student.class_name = row.name, row.class_name
        if student.id is None:
            records.save_record(actor, student, None, now)
        made.append(record_change(actor, student, arrival, effective_on, _l("Roster import"), now=now))
        if row.eligible and not student.eligible:
            made.append(record_change(actor, student, ChangeKind.ELIGIBLE, effective_on, _l("Roster import"), now=now))
    for student, row in result.changed:
        before = audit.snapshot(student)
        student.name, student.class_name = row.name, row.class_name
        records.save_record(actor, student, before, now)
        if row.eligible != student.eligible:
            kind = ChangeKind.ELIGIBLE if row.eligible else ChangeKind.NOT_ELIGIBLE
            made.append(record_change(actor, student, kind, effective_on, _l("Roster import"), now=now))
    if stored is not None:
        db.session.flush()
        stored.contents = (stored.contents or {}) | {"change_ids": [change.id for change in made]}
    audit.record(
        actor,
        "student.imported",
        actor.school,
        after={"new": len(result.new), "changed": len(result.changed), "leaving": len(result.leaving)},
    )
    return result


def roster(school_id):
    return db.session.scalars(
        sa.select(Student)
        .where(Student.school_id == school_id)
        .order_by(Student.enrolled.desc(), Student.class_name, Student.register_number)
    ).all()


def changes_of(school_id, kind=None, unchecked=False, limit=None):
    """The school's changes, newest first; of one kind, or only those not checked yet."""
    query = sa.select(EnrolmentChange).where(EnrolmentChange.school_id == school_id)
    if kind is not None:
        query = query.where(EnrolmentChange.kind == kind)
    if unchecked:
        query = query.where(EnrolmentChange.checked_by_id.is_(None))
    return db.session.scalars(
        query.options(selectinload(EnrolmentChange.student), selectinload(EnrolmentChange.recorded_by))
        .order_by(EnrolmentChange.id.desc())
        .limit(limit or SHOWN_AT_MOST)
    ).all()
