"""Doing an inspection on a phone: my inspections, one section at a time, autosave,
photos, findings, submission; and the principal's return and amendment."""

from datetime import timedelta

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from ...database import immediate_transaction
from ...errors import DomainError
from ...evidence import jobs
from ...extensions import db
from ...login import current_actor as actor
from ...login import is_safe_redirect
from ...models.cadence import Assignment
from ...models.inspection import Finding, Inspection, InspectionItem, ItemResult
from ...outcome import STALE, attempt
from ...permissions import Permission, requires
from ...services import files, inspections, planning, rectification, signing
from ...services.calendar import monday_of
from ...tenancy import get_or_404
from ...timeutil import school_today, utcnow
from . import bp
from .forms import AmendForm, FindingForm, ReturnForm, StartForm


def _own_record(model, record_id, inspection):
    record = get_or_404(model, record_id)
    if record.inspection_id != inspection.id:
        abort(404)
    return record


def _refuse(exc, inspection):
    db.session.rollback()
    flash(exc.message, "error")
    return redirect(url_for("inspections.show_inspection", inspection_id=inspection.id))


def _back_to_inspection(inspection, problem, done_message):
    flash(problem or done_message, "error" if problem else "success")
    return redirect(url_for("inspections.show_inspection", inspection_id=inspection.id))


@bp.route("/inspections")
@requires(Permission.INSPECTION_PERFORM)
def list_my_inspections():
    school = current_user.school
    today = school_today(school)
    monday = monday_of(today)
    if planning.needs_planning(school, monday, monday + timedelta(days=6), today):
        with immediate_transaction():
            planning.plan(actor(), school, monday, monday + timedelta(days=6), today)
    mine = [
        assignment
        for assignment in planning.assignments_between(school.id, monday, monday + timedelta(days=6))
        if assignment.rule.may_be_fulfilled_by(current_user)
    ]
    # Overdue first, then what is under way and what is due; done and excused last.
    order = {"missed": 0, "returned": 1, "in_progress": 2, "open": 3, "done": 4, "excused": 5}
    mine.sort(key=lambda a: (order[a.state_on(today).value], a.window_end, a.slot))
    return render_template(
        "inspections/mine.html",
        today=today,
        assignments=mine,
        recent=inspections.inspections_of(current_user, today - timedelta(days=14), today),
        form=StartForm(),
    )


@bp.route("/inspections/start", methods=["POST"])
@requires(Permission.INSPECTION_PERFORM)
def start_inspection():
    form = StartForm()
    if not form.validate_on_submit():
        return redirect(url_for("inspections.list_my_inspections"))
    try:
        if form.assignment_id.data:
            inspection = inspections.start_from_assignment(actor(), get_or_404(Assignment, form.assignment_id.data))
        else:
            inspection = inspections.start_ad_hoc(actor(), form.area.data)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("inspections.list_my_inspections"))
    return redirect(url_for("inspections.edit_section", inspection_id=inspection.id, number=1))


@bp.route("/inspections/<inspection_id>")
@requires(Permission.INSPECTION_READ)
def show_inspection(inspection_id):
    inspection = get_or_404(Inspection, inspection_id)
    return render_template(
        "inspections/show.html",
        inspection=inspection,
        timelines={task.id: rectification.timeline(task) for task in inspection.tasks},
        now=utcnow(),
        return_form=ReturnForm(),
        amend_form=AmendForm(),
    )


def _section(inspection, number):
    sections = inspection.sections
    if not 1 <= number <= max(len(sections), 1):
        abort(404)
    return sections, (sections[number - 1] if sections else (None, []))


def _check_inspector(inspection):
    """Only the inspector edits; anybody else is told so, not shown a form."""
    if inspection.inspector_id != current_user.id:
        raise DomainError(_("Only the inspector changes an inspection."))
    if not inspection.is_editable:
        raise DomainError(_("This inspection was submitted and can no longer be changed."))


@bp.route("/inspections/<inspection_id>/sections/<int:number>")
@requires(Permission.INSPECTION_PERFORM)
def edit_section(inspection_id, number):
    """The whole checklist on one page, section ``number`` first. With JavaScript the
    sections show one at a time and moving between them loads nothing; without it they
    stand one below the other."""
    inspection = get_or_404(Inspection, inspection_id)
    try:
        _check_inspector(inspection)
    except DomainError as exc:
        return _refuse(exc, inspection)
    sections, _current = _section(inspection, number)
    return render_template(
        "inspections/section.html",
        inspection=inspection,
        sections=sections,
        number=number,
        form=FlaskForm(),
        finding_form=FindingForm(),
        photo_kind=files.PHOTO,
    )


@bp.route("/inspections/<inspection_id>/sections/<int:number>", methods=["POST"])
@requires(Permission.INSPECTION_PERFORM)
def save_section(inspection_id, number):
    """The form without JavaScript: saves every answer it shows. A section's "all pass"
    button (all_pass=N) then passes the items of section N still unanswered, and the page
    goes on to the next section."""
    inspection = get_or_404(Inspection, inspection_id)
    sections, _current = _section(inspection, number)
    if not FlaskForm().validate_on_submit():
        abort(400)
    go = request.form.get("go", "next")
    passing = request.form.get("all_pass", type=int)
    if passing is not None:
        _sections, (_title, items) = _section(inspection, passing)
        number, go = passing, "next"
    elif request.form.get("go_to", type=int) is not None:
        _section(inspection, request.form.get("go_to", type=int))
        number, go = request.form.get("go_to", type=int), "stay"
    problems = []
    try:
        _check_inspector(inspection)
        for item in inspection.items:
            if f"version-{item.id}" not in request.form:
                continue
            result = request.form.get(f"result-{item.id}") or None
            note = request.form.get(f"note-{item.id}", "")
            upload = request.files.get(f"photo-{item.id}")
            try:
                inspections.answer_item(actor(), item, result, note, request.form.get(f"version-{item.id}"))
                if files.is_present(upload):
                    inspections.add_photo(actor(), inspection, upload, item=item)
            except DomainError as exc:
                problems.append(f"{item.text}：{exc.message}")
        if passing is not None:
            inspections.pass_unanswered(actor(), inspection, items)
        db.session.commit()
    except DomainError as exc:
        return _refuse(exc, inspection)
    except StaleDataError:
        db.session.rollback()
        flash(STALE, "error")
        return redirect(url_for("inspections.edit_section", inspection_id=inspection.id, number=number))
    for problem in problems:
        flash(problem, "error")
    if go == "next" and not problems:
        number += 1
    if go == "review" and not problems or number > len(sections):
        return redirect(url_for("inspections.review_submission", inspection_id=inspection.id))
    return redirect(
        url_for("inspections.edit_section", inspection_id=inspection.id, number=number, _anchor=f"section-{number}")
    )


@bp.route("/inspections/<inspection_id>/sections/<int:number>/all-pass", methods=["POST"])
@requires(Permission.INSPECTION_PERFORM)
def pass_section(inspection_id, number):
    """JSON, from inspection.js: the unanswered items of one section pass, in one request."""
    inspection = get_or_404(Inspection, inspection_id)
    _sections, (_title, items) = _section(inspection, number)
    try:
        changed = inspections.pass_unanswered(actor(), inspection, items)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return jsonify(error=str(exc.message)), 422
    except StaleDataError:
        db.session.rollback()
        return jsonify(error=str(STALE)), 409
    return jsonify(items=[{"id": item.id, "version": item.version, "result": item.result.value} for item in changed])


@bp.route("/inspections/<inspection_id>/items/<item_id>", methods=["POST"])
@requires(Permission.INSPECTION_PERFORM)
def save_item(inspection_id, item_id):
    """Autosave of one answer (JSON), sent by inspection.js as the inspector taps."""
    inspection = get_or_404(Inspection, inspection_id)
    item = _own_record(InspectionItem, item_id, inspection)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error=_("The answer could not be read. Reload the page and answer again.")), 400
    try:
        inspections.answer_item(actor(), item, data.get("result"), data.get("note"), data.get("version"))
        db.session.commit()
    except inspections.Conflict as exc:
        db.session.rollback()
        return jsonify(error=str(exc.message), current=exc.current), 409
    except DomainError as exc:
        db.session.rollback()
        return jsonify(error=str(exc.message), field=exc.field), 422
    except StaleDataError:
        db.session.rollback()
        return jsonify(error=str(STALE)), 409
    return jsonify(version=item.version, result=item.result.value if item.result else "", note=item.note)


@bp.route("/inspections/<inspection_id>/photos", methods=["POST"])
@requires(Permission.INSPECTION_PERFORM)
def upload_photo(inspection_id):
    inspection = get_or_404(Inspection, inspection_id)
    item = _own_record(InspectionItem, request.form["item_id"], inspection) if request.form.get("item_id") else None
    finding = _own_record(Finding, request.form["finding_id"], inspection) if request.form.get("finding_id") else None
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        photo = inspections.add_photo(actor(), inspection, request.files.get("photo"), item=item, finding=finding)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=str(exc.message)), 422
        flash(exc.message, "error")
        return redirect(request.referrer or url_for("inspections.show_inspection", inspection_id=inspection.id))
    url = url_for("files.download_file", file_id=photo.stored_file_id)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(url=url, id=photo.id)
    flash(_("Photo saved."), "success")
    return redirect(request.referrer or url_for("inspections.show_inspection", inspection_id=inspection.id))


@bp.route("/inspections/<inspection_id>/findings", methods=["POST"])
@requires(Permission.INSPECTION_PERFORM)
def add_finding(inspection_id):
    inspection = get_or_404(Inspection, inspection_id)
    form = FindingForm()
    back = request.form.get("back", "")
    if not is_safe_redirect(back):
        back = url_for("inspections.review_submission", inspection_id=inspection.id)
    if not form.validate_on_submit():
        flash(_("A finding needs a description."), "error")
        return redirect(back)
    try:
        finding = inspections.add_finding(actor(), inspection, form.description.data)
        upload = request.files.get("photo")
        if files.is_present(upload):
            inspections.add_photo(actor(), inspection, upload, finding=finding)
        db.session.commit()
    except DomainError as exc:
        return _refuse(exc, inspection)
    flash(_("Finding recorded."), "success")
    return redirect(back)


@bp.route("/inspections/<inspection_id>/findings/<finding_id>/delete", methods=["POST"])
@requires(Permission.INSPECTION_PERFORM)
def remove_finding(inspection_id, finding_id):
    inspection = get_or_404(Inspection, inspection_id)
    finding = _own_record(Finding, finding_id, inspection)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        inspections.remove_finding(actor(), finding)
        db.session.commit()
    except DomainError as exc:
        return _refuse(exc, inspection)
    return redirect(url_for("inspections.review_submission", inspection_id=inspection.id))


@bp.route("/inspections/<inspection_id>/submit")
@requires(Permission.INSPECTION_PERFORM)
def review_submission(inspection_id):
    inspection = get_or_404(Inspection, inspection_id)
    try:
        _check_inspector(inspection)
    except DomainError as exc:
        return _refuse(exc, inspection)
    return render_template(
        "inspections/submit.html",
        inspection=inspection,
        pending=inspections.pending_findings(inspection),
        candidates=rectification.responsible_candidates(inspection.school_id),
        form=FlaskForm(),
        finding_form=FindingForm(),
        chosen={},
    )


@bp.route("/inspections/<inspection_id>/submit", methods=["POST"])
@requires(Permission.INSPECTION_PERFORM)
def submit_inspection(inspection_id):
    inspection = get_or_404(Inspection, inspection_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    candidates = {str(user.id): user for user in rectification.responsible_candidates(inspection.school_id)}
    chosen = {
        key: request.form.get(f"responsible-{key}", "") for key, _text in inspections.pending_findings(inspection)
    }
    try:
        inspections.submit(actor(), inspection, {key: candidates.get(user_id) for key, user_id in chosen.items()})
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        inspection = get_or_404(Inspection, inspection_id)
        return render_template(
            "inspections/submit.html",
            inspection=inspection,
            pending=inspections.pending_findings(inspection),
            candidates=list(candidates.values()),
            form=FlaskForm(),
            finding_form=FindingForm(),
            chosen=chosen,
        ), 422
    except StaleDataError:
        db.session.rollback()
        flash(STALE, "error")
        return redirect(url_for("inspections.review_submission", inspection_id=inspection_id))
    flash(_("Inspection submitted."), "success")
    return redirect(url_for("inspections.show_inspection", inspection_id=inspection.id))


@bp.route("/inspections/<inspection_id>/return", methods=["POST"])
@requires(Permission.INSPECTION_RETURN)
def return_inspection(inspection_id):
    inspection = get_or_404(Inspection, inspection_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        return _back_to_inspection(inspection, _("Say why the inspection goes back."), None)
    problem = attempt(lambda: signing.return_to_inspector(actor(), inspection, form.reason.data))
    return _back_to_inspection(inspection, problem, _("The inspection went back to its inspector."))


@bp.route("/inspections/<inspection_id>/amend", methods=["POST"])
@requires(Permission.INSPECTION_AMEND)
def amend_inspection(inspection_id):
    inspection = get_or_404(Inspection, inspection_id)
    form = AmendForm()
    if not form.validate_on_submit():
        return _back_to_inspection(inspection, _("An amendment needs a reason and what is corrected."), None)
    problem = attempt(lambda: signing.amend(actor(), inspection, form.reason.data, form.body.data))
    if not problem:
        jobs.request_freeze([inspection.id])
    return _back_to_inspection(inspection, problem, _("Amendment recorded beside the signed inspection."))


@bp.app_template_filter("result_label")
def result_label(value):
    return ItemResult(value).label if value else _("Not answered")
