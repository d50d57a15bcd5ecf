"""Reminders as the school keeps them: when each kind of record is due and how long before
the people responsible hear of it, the group chat and school hours, the messages sent; the
link in a reminder; and the county's count of prompted gaps closed in time."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ...due import RULES, rules
from ...login import current_actor as actor
from ...models.reminder import Platform, Reminder
from ...outcome import attempt, attempt_on_form
from ...permissions import Permission, login_required_only, reads_all_schools, requires
from ...services import reminders
from ...tenancy import get_or_404
from ...timeutil import utcnow
from ..schools_page import requested_page_of_schools
from . import bp
from .forms import GroupChatForm, RulesForm

PERIODS = (7, 30, 120)


def _settings_page(chat_form=None, rules_form=None, status=200):
    school = current_user.school
    settings = reminders.settings_of(school.id)
    if chat_form is None:
        chat_form = GroupChatForm(obj=settings, formdata=None)
        chat_form.platform.data = settings.platform.value
    if rules_form is None:
        choices = reminders.choices_of(school.id)
        rules_form = RulesForm(
            formdata=None,
            data={
                key: {"enabled": c.enabled, "lead": c.lead, "due_time": c.due_time, "due_day": c.due_day}
                for key, c in choices.items()
            },
        )
    page = render_template(
        "reminders/settings.html",
        chat_form=chat_form,
        rules_form=rules_form,
        rules=rules(),
        has_secret=bool(settings.webhook_secret),
        has_group_chat=settings.platform is not Platform.NONE,
        messages=reminders.recent_messages(school.id),
        test_form=FlaskForm(),
    )
    return page, status


@bp.route("/reminders/settings")
@requires(Permission.SCHOOL_SETTINGS)
def show_settings():
    return _settings_page()


@bp.route("/reminders/settings/group-chat", methods=["POST"])
@requires(Permission.SCHOOL_SETTINGS)
def save_group_chat():
    form = GroupChatForm()
    if not form.validate_on_submit():
        return _settings_page(chat_form=form, status=422)
    secret = None if form.clear_secret.data else form.webhook_secret.data
    saved = attempt_on_form(
        form,
        lambda: reminders.save_settings(
            actor(),
            current_user.school,
            platform=form.platform.data,
            webhook_url=form.webhook_url.data,
            webhook_secret=secret,
            messages_from=form.messages_from.data,
            messages_until=form.messages_until.data,
            digest_at=form.digest_at.data,
        ),
    )
    if not saved:
        return _settings_page(chat_form=form, status=422)
    flash(_("Saved."), "success")
    return redirect(url_for("reminders.show_settings"))


@bp.route("/reminders/settings/rules", methods=["POST"])
@requires(Permission.SCHOOL_SETTINGS)
def save_rules():
    form = RulesForm()
    if not form.validate_on_submit():
        return _settings_page(rules_form=form, status=422)
    if not attempt_on_form(form, lambda: reminders.save_choices(actor(), current_user.school, form.data)):
        return _settings_page(rules_form=form, status=422)
    flash(_("Saved."), "success")
    return redirect(url_for("reminders.show_settings"))


@bp.route("/reminders/settings/test-message", methods=["POST"])
@requires(Permission.SCHOOL_SETTINGS)
def send_test_message():
    if not FlaskForm().validate_on_submit():
        abort(400)
    message = []
    problem = attempt(lambda: message.append(reminders.send_test_message(actor(), current_user.school)))
    if problem:
        flash(problem, "error")
    else:
        reminders.enqueue([message[0].id])
        flash(_("The test message is on its way: its result shows below."), "success")
    return redirect(url_for("reminders.show_settings"))


@bp.route("/reminders/<reminder_id>")
@login_required_only
def follow_reminder(reminder_id):
    reminder = get_or_404(Reminder, reminder_id)
    manager_page = RULES[reminder.rule].manager_page
    if manager_page and current_user.can(manager_page[0]):
        return redirect(url_for(manager_page[1]))
    return redirect(url_for(reminder.target_endpoint, **reminder.target_args))


@bp.route("/reminders/county")
@requires(Permission.AUDIT_READ)
def show_county():
    days = request.args.get("days", type=int)
    days = days if days in PERIODS else 30
    page = requested_page_of_schools() if reads_all_schools(current_user) else None
    schools = page.items if page else [current_user.school]
    until = utcnow()
    since = until - timedelta(days=days)
    counts = reminders.prompt_counts([school.id for school in schools], since, until)
    by_rule = []
    if not reads_all_schools(current_user) and schools:
        [school] = schools
        per_rule = reminders.prompt_counts([school.id], since, until, by_rule=True)
        by_rule = [
            (rule.name, per_rule[(school.id, rule.key)]) for rule in rules() if (school.id, rule.key) in per_rule
        ]
    return render_template(
        "reminders/county.html",
        rows=[(school.name, counts.get(school.id, reminders.PromptCount())) for school in schools],
        by_rule=by_rule,
        days=days,
        periods=PERIODS,
        schools=page,
    )
