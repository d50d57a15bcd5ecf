"""Rectification tasks: my tasks, rectify with photos, verify or send back, extend."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ...extensions import db
from ...login import current_actor as actor
from ...models.rectification import RectificationTask, TaskStatus
from ...outcome import attempt
from ...permissions import Permission, requires
from ...services import files, rectification
from ...tenancy import get_or_404
from ...timeutil import utcnow
from . import bp
from .forms import ExtendForm, RectifyForm, SendBackForm


def _page(task, status=200, **forms):
    """The task page; a refused form comes back with what was typed."""
    return render_template(
        "tasks/show.html",
        task=task,
        now=utcnow(),
        timeline=rectification.timeline(task),
        rectify_form=forms.get("rectify_form") or RectifyForm(),
        send_back_form=forms.get("send_back_form") or SendBackForm(),
        extend_form=forms.get("extend_form") or ExtendForm(),
        verify_form=FlaskForm(),
        photo_kind=files.PHOTO,
    ), status


def _task(task_id):
    """A task of the school; staff see only the ones they are responsible for."""
    task = get_or_404(RectificationTask, task_id)
    if not (current_user.can(Permission.INSPECTION_READ) or task.responsible_id == current_user.id):
        abort(404)
    return task


def _done(task, problem, done_message, next_url, **forms):
    if problem:
        flash(problem, "error")
        return _page(db.session.get(RectificationTask, task.id), status=422, **forms)
    flash(done_message, "success")
    return redirect(next_url)


@bp.route("/tasks")
@requires(Permission.OWN_RECORDS)
def list_tasks():
    now = utcnow()
    mine = rectification.tasks_of(current_user, [TaskStatus.OPEN, TaskStatus.RECTIFIED])
    watches = current_user.can(Permission.INSPECTION_READ)
    overdue = rectification.overdue(current_user.school_id, now, not_of=current_user) if watches else []
    return render_template(
        "tasks/list.html",
        now=now,
        mine=mine,
        to_verify=rectification.to_verify_by(current_user),
        overdue=overdue,
    )


@bp.route("/tasks/<task_id>")
@requires(Permission.OWN_RECORDS)
def show_task(task_id):
    return _page(_task(task_id))[0]


@bp.route("/tasks/<task_id>/rectify", methods=["POST"])
@requires(Permission.OWN_RECORDS)
def rectify_task(task_id):
    task = _task(task_id)
    form = RectifyForm()
    if not form.validate_on_submit():
        return _page(task, status=422, rectify_form=form)
    uploads = [upload for upload in request.files.getlist("photos") if files.is_present(upload)]
    problem = attempt(lambda: rectification.rectify(actor(), task, form.note.data, uploads))
    return _done(
        task, problem, _("Rectification recorded; it will be checked."), url_for("tasks.list_tasks"), rectify_form=form
    )


@bp.route("/tasks/<task_id>/verify", methods=["POST"])
@requires(Permission.TASK_VERIFY)
def verify_task(task_id):
    task = _task(task_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    problem = attempt(lambda: rectification.verify(actor(), task))
    return _done(task, problem, _("Rectification verified."), url_for("tasks.list_tasks"))


@bp.route("/tasks/<task_id>/send-back", methods=["POST"])
@requires(Permission.TASK_VERIFY)
def send_back_task(task_id):
    task = _task(task_id)
    form = SendBackForm()
    if not form.validate_on_submit():
        return _page(task, status=422, send_back_form=form)
    problem = attempt(lambda: rectification.send_back(actor(), task, form.reason.data))
    return _done(
        task, problem, _("Sent back to the person responsible."), url_for("tasks.list_tasks"), send_back_form=form
    )


@bp.route("/tasks/<task_id>/extend", methods=["POST"])
@requires(Permission.TASK_EXTEND)
def extend_task(task_id):
    task = _task(task_id)
    form = ExtendForm()
    if not form.validate_on_submit():
        return _page(task, status=422, extend_form=form)
    problem = attempt(lambda: rectification.extend(actor(), task, form.deadline.utc_value(), form.reason.data))
    return _done(task, problem, _("Deadline extended."), url_for("tasks.show_task", task_id=task.id), extend_form=form)
