"""The notification list and the unread count in the navigation."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField

from ...extensions import db
from ...permissions import Permission, requires
from ...services import notifications, users
from . import bp


class DigestForm(FlaskForm):
    digest = BooleanField(_l("Email me reminders once a day, in a digest, instead of one by one"))


@bp.route("/notifications")
@requires(Permission.OWN_RECORDS)
def list_notifications():
    return render_template(
        "notifications/list.html",
        items=notifications.latest(current_user),
        form=FlaskForm(),
        digest_form=DigestForm(digest=current_user.reminder_digest),
    )


@bp.route("/notifications/digest", methods=["POST"])
@requires(Permission.OWN_RECORDS)
def set_digest():
    form = DigestForm()
    if form.validate_on_submit():
        users.set_reminder_digest(current_user, form.digest.data)
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("notifications.list_notifications"))


@bp.route("/notifications/read", methods=["POST"])
@requires(Permission.OWN_RECORDS)
def mark_notifications_read():
    if FlaskForm().validate_on_submit():
        notifications.mark_all_read(current_user)
        db.session.commit()
    return redirect(url_for("notifications.list_notifications"))


@bp.app_context_processor
def unread_notifications():
    def count():
        if not current_user.is_authenticated or not current_user.can(Permission.OWN_RECORDS):
            return 0
        return notifications.unread_count(current_user)

    return {"unread_notifications": count}
