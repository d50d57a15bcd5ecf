"""Evidence for audits: ask for a period's bundle or workbook, follow its progress, download
it; download a frozen inspection; verify a file."""

import os
import tempfile

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...errors import DomainError
from ...evidence import freeze as freezing
from ...evidence import jobs, storage, verify
from ...extensions import db
from ...login import current_actor as actor
from ...models.evidence import EvidenceExport, ExportFormat, ExportStatus
from ...models.inspection import Inspection
from ...models.school import School
from ...outcome import attempt
from ...permissions import Permission, reads_all_schools, requires
from ...services import evidence
from ...tenancy import get_or_404, is_visible
from . import bp
from .forms import ExportForm, VerifyForm


def _schools():
    if reads_all_schools(current_user):
        return db.session.scalars(db.select(School).order_by(School.name)).all()
    return [current_user.school]


def _form(schools):
    form = ExportForm()
    form.school.choices = [(str(school.id), school.name) for school in schools]
    school = next((s for s in schools if str(s.id) == (form.school.data or "")), schools[0]) if schools else None
    presets = evidence.presets(school) if school else {}
    form.period.choices = [
        (key, f"{label}（{first.isoformat()} – {last.isoformat()}）") for key, (label, first, last) in presets.items()
    ]
    form.period.choices.append(("custom", _("Other dates")))
    return form, school, presets


@bp.route("/evidence")
@requires(Permission.EVIDENCE_EXPORT)
def show_evidence_exports():
    schools = _schools()
    form, _school, _presets = _form(schools)
    exports = evidence.exports_of(current_user)
    return render_template("evidence/exports.html", form=form, exports=exports)


@bp.route("/evidence", methods=["POST"])
@requires(Permission.EVIDENCE_EXPORT)
def request_evidence_export():
    schools = _schools()
    form, school, presets = _form(schools)
    if school is None or not form.validate_on_submit():
        return render_template("evidence/exports.html", form=form, exports=evidence.exports_of(current_user)), 422
    school = get_or_404(School, form.school.data) if reads_all_schools(current_user) else current_user.school
    if form.period.data in presets:
        _label, first, last = presets[form.period.data]
    else:
        first, last = form.first.data, form.last.data
    try:
        export = evidence.request_export(actor(), school, first, last, form.sections.data, form.format.data)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return render_template("evidence/exports.html", form=form, exports=evidence.exports_of(current_user)), 422
    jobs.make_export(export.id)
    return redirect(url_for("evidence.show_evidence_export", export_id=export.id))


def _own_export(export_id):
    """An export the user asked for; anybody else's is not found."""
    export = get_or_404(EvidenceExport, export_id)
    if export.requested_by_id != current_user.id:
        abort(404)
    return export


@bp.route("/evidence/<export_id>")
@requires(Permission.EVIDENCE_EXPORT)
def show_evidence_export(export_id):
    return render_template("evidence/export.html", export=_own_export(export_id))


@bp.route("/evidence/<export_id>/progress")
@requires(Permission.EVIDENCE_EXPORT)
def show_evidence_progress(export_id):
    export = _own_export(export_id)
    return jsonify(
        status=export.status.value,
        label=str(export.status.label),
        percent=export.percent,
        done=export.progress_done,
        total=export.progress_total,
        error=export.error,
        download=url_for("evidence.download_evidence_export", export_id=export.id)
        if export.status is ExportStatus.DONE
        else None,
    )


@bp.route("/evidence/<export_id>/download")
@requires(Permission.EVIDENCE_EXPORT)
def download_evidence_export(export_id):
    export = _own_export(export_id)
    path = storage.path_of(export.storage_key) if export.storage_key else None
    if export.status is not ExportStatus.DONE or not path or not os.path.exists(path):
        abort(404)  # nothing half-written is ever offered
    if problem := attempt(lambda: evidence.record_download(actor(), export)):
        flash(problem, "error")
        return redirect(url_for("evidence.show_evidence_export", export_id=export.id))
    return _send(path, export.file_name, "application/pdf" if export.format is ExportFormat.PDF else None)


@bp.route("/inspections/<inspection_id>/evidence")
@requires(Permission.EVIDENCE_EXPORT)
def download_frozen_inspection(inspection_id):
    inspection = get_or_404(Inspection, inspection_id)
    if not inspection.is_signed_off:
        abort(404)
    try:
        record = freezing.freeze(inspection)
        evidence.record_frozen_download(actor(), record)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("inspections.show_inspection", inspection_id=inspection.id))
    name = f"{inspection.school.name}_{inspection.inspected_on.isoformat()}_{inspection.kind.label}_{inspection.id}.pdf"
    return _send(storage.path_of(record.storage_key), name, "application/pdf")


def _send(path, name, mimetype):
    response = send_file(path, as_attachment=True, download_name=name, mimetype=mimetype, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/evidence/verify", methods=["GET", "POST"])
@requires(Permission.EVIDENCE_VERIFY)
def verify_evidence_file():
    form = VerifyForm()
    if request.method == "GET" or not form.validate_on_submit():
        if request.method == "POST":
            flash(_("Choose the file to verify."), "error")
        return render_template("evidence/verify.html", form=form, result=None)
    upload = form.file.data
    head = upload.stream.read(5)
    upload.stream.seek(0)
    if not verify.looks_like_pdf(head) and not (upload.filename or "").lower().endswith(".xlsx"):
        flash(_("This is not a PDF: only evidence files made by the portal can be verified."), "error")
        return render_template("evidence/verify.html", form=form, result=None), 422
    with tempfile.NamedTemporaryFile(suffix=".bin") as copy:
        upload.save(copy)
        copy.flush()
        result = verify.verify_file(copy.name)
    record = result.export or result.evidence
    foreign = record is not None and not is_visible(record)
    if problem := attempt(lambda: evidence.record_verification(actor(), result)):
        flash(problem, "error")
    return render_template("evidence/verify.html", form=form, result=result, foreign=foreign)
