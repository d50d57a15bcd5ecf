"""校园食安码 as the school's office sees it: every complaint, open ones first with their deadline,
the contact left, the photo, and the answer (which may confirm a problem: a rectification task)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...fields import responsible_choices
from ...login import current_actor as actor
from ...models.complaint import Complaint
from ...models.user import User
from ...outcome import attempt_on_form
from ...permissions import Permission, requires
from ...services import complaints
from ...tenancy import get_or_404
from ...timeutil import utcnow
from . import bp
from .public_forms import AnswerForm


def _answer_form(complaint, form=None):
    form = form or AnswerForm(prefix=f"c{complaint.id}")
    form.responsible.choices = responsible_choices(complaint.school_id)
    return form


def _page(answering=None, form=None, status=200):
    now = utcnow()
    found = [c for c in complaints.complaints_of(current_user.school_id) if c.received_at <= now]
    found.sort(key=lambda complaint: complaint.is_answered)  # open first, each part newest first
    return render_template(
        "canteen/complaints.html",
        complaints=found,
        forms={c.id: _answer_form(c, form if c is answering else None) for c in found if not c.is_answered},
        now=now,
    ), status


@bp.route("/canteen/complaints")
@requires(Permission.COMPLAINT_ANSWER)
def list_complaints():
    return _page()[0]


@bp.route("/canteen/complaints/<complaint_id>/answer", methods=["POST"])
@requires(Permission.COMPLAINT_ANSWER)
def answer_complaint(complaint_id):
    complaint = get_or_404(Complaint, complaint_id)
    form = _answer_form(complaint, AnswerForm(prefix=f"c{complaint.id}"))
    if form.validate_on_submit():
        responsible = get_or_404(User, form.responsible.data) if form.responsible.data else None
        answered = attempt_on_form(
            form,
            lambda: complaints.answer(
                actor(), complaint, form.answer.data, problem=form.problem.data, responsible=responsible
            ),
        )
        if answered:
            flash(
                _("The answer is saved; the problem is a rectification task.")
                if complaint.problem
                else _("The answer is saved."),
                "success",
            )
            return redirect(url_for("canteen.list_complaints"))
    return _page(complaint, form, status=422)
