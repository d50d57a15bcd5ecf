"""The principal's sign-off queue: several inspections signed in one confirmation."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from wtforms import PasswordField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...errors import DomainError
from ...evidence import jobs
from ...extensions import db
from ...login import current_actor as actor
from ...models.inspection import Inspection
from ...permissions import Permission, requires
from ...services import signing
from ...tenancy import get_or_404, parse_id
from . import bp


class SignOffForm(FlaskForm):
    password = PasswordField("", [InputRequired()], render_kw={"autocomplete": "current-password"})
    comment = TextAreaField("", [Optional(), Length(max=2000)], render_kw={"rows": 2})


def _chosen():
    ids = [parse_id(value) for value in request.form.getlist("inspection_id")]
    return [get_or_404(Inspection, record_id) for record_id in dict.fromkeys(ids) if record_id]


@bp.route("/sign-off")
@requires(Permission.INSPECTION_SIGN_OFF)
def show_sign_off_queue():
    queue = signing.sign_off_queue(current_user.school_id)
    return render_template("signoff/queue.html", queue=queue, form=FlaskForm())


@bp.route("/sign-off/confirm", methods=["POST"])
@requires(Permission.INSPECTION_SIGN_OFF)
def confirm_sign_off():
    chosen = _chosen()
    if not FlaskForm().validate_on_submit() or not chosen:
        flash(_("Choose the inspections to sign off."), "error")
        return redirect(url_for("signoff.show_sign_off_queue"))
    return render_template("signoff/confirm.html", chosen=chosen, form=SignOffForm())


@bp.route("/sign-off", methods=["POST"])
@requires(Permission.INSPECTION_SIGN_OFF)
def sign_off_inspections():
    chosen = _chosen()
    form = SignOffForm()
    if not form.validate_on_submit() or not chosen:
        flash(_("Enter your password to sign."), "error")
        return render_template("signoff/confirm.html", chosen=chosen, form=form), 422
    try:
        signed = signing.sign_off(actor(), [i.id for i in chosen], form.password.data, form.comment.data)
        db.session.commit()
    except (DomainError, StaleDataError) as exc:
        db.session.rollback()
        message = exc.message if isinstance(exc, DomainError) else _("Someone else signed at the same time.")
        flash(message, "error")
        return render_template(
            "signoff/confirm.html", chosen=[get_or_404(Inspection, i.id) for i in chosen], form=form
        ), 409
    jobs.request_freeze([inspection.id for inspection in signed])
    flash(_("%(count)d inspections signed off.", count=len(signed)), "success")
    return redirect(url_for("signoff.show_sign_off_queue"))
