"""The nutrition plan's roster: the classes at a glance, the register's export imported after
a preview, and the ledger of enrolment changes with their second person's check."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ...errors import DomainError
from ...extensions import db
from ...login import current_actor as actor
from ...models.file import StoredFile
from ...models.nutrition import ChangeKind, EnrolmentChange, Student
from ...outcome import attempt
from ...permissions import Permission, requires
from ...services import enrolment, files, nutrition, school_classes
from ...tenancy import chosen_school, get_or_404
from . import bp
from .forms import ChangeForm, ConfirmImportForm, ImportForm


def _classes(students):
    """[(class, enrolled, eligible)] of the students on the roster."""
    counts = {}
    for student in students:
        if student.enrolled:
            enrolled, eligible = counts.get(student.class_name, (0, 0))
            counts[student.class_name] = (enrolled + 1, eligible + student.eligible)
    return sorted((name, *numbers) for name, numbers in counts.items())


@bp.route("/nutrition/roster")
@requires(Permission.STUDENT_READ)
def show_roster():
    school = chosen_school()
    if school is None:
        return redirect(url_for("students.index_view"))
    students = enrolment.roster(school.id)
    return render_template(
        "nutrition/roster.html", school=school, classes=_classes(students), students=students, form=ImportForm()
    )


def _stored_roster(file_id):
    stored = get_or_404(StoredFile, file_id)
    if stored.purpose != files.ROSTER.name:
        abort(404)
    return stored


def _preview_page(stored, form=None, status=200):
    problem, result = None, None
    try:
        rows, problems = nutrition.kept_register(stored)
        result = nutrition.preview(current_user.school_id, rows, problems)
    except DomainError as exc:
        problem = exc.message
    return render_template(
        "nutrition/preview.html",
        stored=stored,
        result=result,
        problem=problem,
        form=form or ConfirmImportForm(),
        eligibility_column=nutrition.eligibility_column(stored),
    ), status


@bp.route("/nutrition/roster/import", methods=["POST"])
@requires(Permission.STUDENT_MANAGE)
def upload_roster():
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Choose the register's Excel export (.xlsx or .xls)."), "error")
        return redirect(url_for("nutrition.show_roster"))
    stored = []

    def store_and_read():
        stored.append(files.store_upload(actor(), current_user.school_id, form.register.data, files.ROSTER))
        nutrition.keep_register(stored[0])

    problem = attempt(store_and_read)
    if problem:
        flash(problem, "error")
        return redirect(url_for("nutrition.show_roster"))
    return redirect(url_for("nutrition.preview_roster", file_id=stored[0].id))


@bp.route("/nutrition/roster/import/<file_id>")
@requires(Permission.STUDENT_MANAGE)
def preview_roster(file_id):
    return _preview_page(_stored_roster(file_id))[0]


@bp.route("/nutrition/roster/import/<file_id>/classes", methods=["POST"])
@requires(Permission.STUDENT_MANAGE)
def add_classes(file_id):
    """The classes the file names that the class list lacks, added after the clerk saw them."""
    stored = _stored_roster(file_id)
    if not FlaskForm().validate_on_submit():
        return _preview_page(stored, status=422)

    def add():
        rows, problems = nutrition.kept_register(stored)
        school_classes.add_classes(actor(), nutrition.preview(current_user.school_id, rows, problems).unknown_classes)

    problem = attempt(add)
    flash(problem or _("The classes are added to the class list."), "error" if problem else "success")
    return redirect(url_for("nutrition.preview_roster", file_id=stored.id))


@bp.route("/nutrition/roster/import/<file_id>", methods=["POST"])
@requires(Permission.STUDENT_MANAGE)
def import_roster(file_id):
    stored = _stored_roster(file_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _preview_page(stored, form, status=422)

    def apply():
        rows, problems = nutrition.kept_register(stored)
        if form.all_eligible.data in ("yes", "no"):
            rows = nutrition.with_eligibility(rows, form.all_eligible.data == "yes")
        return enrolment.apply_import(actor(), rows, problems, form.effective_on.data, stored=stored)

    problem = attempt(apply)
    if problem:
        flash(problem, "error")
        return _preview_page(stored, form, status=422)
    flash(_("The roster is imported."), "success")
    return redirect(url_for("nutrition.show_roster"))


# --- the enrolment changes --------------------------------------------------------------------


def _change_form(form=None):
    form = form or ChangeForm()
    form.student.choices = [("", "")] + [
        (str(s.id), f"{s.class_name} {s.name}（{s.register_number}）") for s in enrolment.roster(current_user.school_id)
    ]
    return form


def _changes_page(school, form=None, status=200):
    kind = ChangeKind.from_value(request.args.get("kind"))
    unchecked = request.args.get("unchecked") == "1"
    changes = enrolment.changes_of(school.id, kind, unchecked)
    checks = current_user.can(Permission.ENROLMENT_CHECK) and current_user.school_id is not None
    return render_template(
        "nutrition/changes.html",
        school=school,
        changes=changes,
        kind=kind,
        unchecked=unchecked,
        imports=enrolment.imports_to_check(current_user) if checks else [],
        checkable_shown=enrolment.checkable(current_user, changes) if checks else [],
        form=_change_form(form) if current_user.can(Permission.STUDENT_MANAGE) else None,
    ), status


@bp.route("/nutrition/changes")
@requires(Permission.STUDENT_READ)
def list_changes():
    school = chosen_school()
    if school is None:
        return redirect(url_for("enrolment_changes.index_view"))
    return _changes_page(school)[0]


@bp.route("/nutrition/changes", methods=["POST"])
@requires(Permission.STUDENT_MANAGE)
def record_change():
    form = _change_form(ChangeForm())
    if not form.validate_on_submit():
        return _changes_page(current_user.school, form, status=422)
    student = get_or_404(Student, form.student.data)
    problem = attempt(
        lambda: enrolment.record_change(
            actor(), student, ChangeKind(form.kind.data), form.effective_on.data, form.document_ref.data
        )
    )
    if problem:
        flash(problem, "error")
        return _changes_page(current_user.school, form, status=422)
    flash(_("The change is recorded; a second person checks it."), "success")
    return redirect(url_for("nutrition.list_changes"))


@bp.route("/nutrition/changes/<change_id>/check", methods=["POST"])
@requires(Permission.ENROLMENT_CHECK)
def check_change(change_id):
    change = get_or_404(EnrolmentChange, change_id)
    problem = attempt(lambda: enrolment.check_change(actor(), change))
    flash(problem or _("The change is checked."), "error" if problem else "success")
    db.session.expire_all()
    return redirect(url_for("nutrition.list_changes"))


@bp.route("/nutrition/changes/imports/<file_id>/check", methods=["POST"])
@requires(Permission.ENROLMENT_CHECK)
def check_import(file_id):
    """Every change of one roster import, checked in one step against the file."""
    stored = _stored_roster(file_id)
    changes = enrolment.changes_by_id(current_user.school_id, (stored.contents or {}).get("change_ids", []))
    return _check_many(changes)


@bp.route("/nutrition/changes/check", methods=["POST"])
@requires(Permission.ENROLMENT_CHECK)
def check_shown_changes():
    """The changes the list showed (their ids come back with the form), checked in one step."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    ids = [value for value in request.form.getlist("change_id") if value.isdigit()][: enrolment.SHOWN_AT_MOST]
    return _check_many(enrolment.changes_by_id(current_user.school_id, ids))


def _check_many(changes):
    checked = []
    problem = attempt(lambda: checked.append(enrolment.check_changes(actor(), changes)))
    flash(problem or _("%(n)d changes are checked.", n=checked[0]), "error" if problem else "success")
    db.session.expire_all()
    return redirect(url_for("nutrition.list_changes"))
