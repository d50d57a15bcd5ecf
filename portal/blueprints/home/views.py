"""Each role's home page."""

from flask import current_app, render_template, send_from_directory
from flask_login import current_user
from flask_wtf import FlaskForm

from ...models.rectification import TaskStatus
from ...permissions import Permission, login_required_only, public, reads_all_schools
from ...services import audit, dashboard, dormitory_notices, planning, rectification, reminders, rules, signing
from ...timeutil import school_today, utcnow
from ..schools_page import requested_page_of_schools
from . import bp


@bp.route("/")
@login_required_only
def show_home():
    if reads_all_schools(current_user):
        page = requested_page_of_schools()
        return render_template("home/county.html", summaries=dashboard.summaries(page.items), schools=page)
    school = current_user.school
    watches = current_user.can(Permission.TASK_VERIFY)
    # Overdue tasks are notified by the routine (portal/routine.py): a GET writes nothing.
    overdue = rectification.overdue(school.id, not_of=current_user) if watches else []
    inspects = current_user.can(Permission.INSPECTION_PERFORM)
    taught = {school_class.id for school_class in current_user.taught_classes}
    return render_template(
        "home/school.html",
        due_today=planning.due_today_for(current_user, school_today(school)) if inspects else [],
        start_form=FlaskForm(),
        summary=dashboard.school_summary(school),
        pending_rules=rules.pending_for(current_user),
        my_tasks=rectification.tasks_of(current_user, [TaskStatus.OPEN]),
        overdue=overdue,
        to_verify=rectification.to_verify_by(current_user) if watches else [],
        sign_off_waiting=len(signing.sign_off_queue(school.id))
        if current_user.can(Permission.INSPECTION_SIGN_OFF)
        else 0,
        chain_head=audit.chain_head(school.id) if current_user.can(Permission.INSPECTION_SIGN_OFF) else None,
        dorm_notices=dormitory_notices.daily_notice(school.id, school_today(school), taught) if taught else [],
        reminders=reminders.open_for(current_user),
        now=utcnow(),
    )


@bp.route("/favicon.ico")
@public
def show_favicon():
    """Browsers ask for it at the root whatever the page says."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
