"""The notification list and the unread count in the navigation."""

from flask import redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from ...extensions import db
from ...permissions import Permission, requires
from ...services import notifications
from . import bp


@bp.route("/notifications")
@requires(Permission.OWN_RECORDS)
def list_notifications():
    return render_template("notifications/list.html", items=notifications.latest(current_user), form=FlaskForm())


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
