"""应急演练: the school's drills of its emergency plans, and the form for the next one."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...fields import responsible_choices
from ...login import current_actor as actor
from ...models.drill import EmergencyDrill
from ...models.rule import Rule
from ...models.user import User
from ...outcome import attempt_on_form
from ...permissions import Permission, reads_all_schools, requires
from ...services import drills
from ...tenancy import chosen_school, get_or_404
from ...timeutil import school_today
from . import bp
from .emergency_forms import DrillForm


def _with_choices(form, school_id):
    form.plan.choices = [("", "")] + [(str(rule.id), rule.title) for rule in drills.plans_of(school_id)]
    form.responsible.choices = responsible_choices(school_id)
    return form


def _page(school, form=None, status=200):
    return render_template(
        "canteen/drills.html",
        drills=drills.drills_of(school.id),
        form=_with_choices(form or DrillForm(day=school_today(school)), school.id),
        county=reads_all_schools(current_user),
    ), status


@bp.route("/canteen/drills")
@requires(Permission.LEDGER_READ)
def list_drills():
    school = chosen_school()
    if school is None:
        return redirect(url_for("canteen.show_board"))
    return _page(school)[0]


@bp.route("/canteen/drills", methods=["POST"])
@requires(Permission.INCIDENT_REPORT)
def record_drill():
    form = _with_choices(DrillForm(), current_user.school_id)
    if form.validate_on_submit():
        drill = EmergencyDrill(
            day=form.day.data,
            plan=get_or_404(Rule, form.plan.data),
            scenario=form.scenario.data,
            participants=form.participants.data,
            participant_count=form.participant_count.data,
            findings=form.findings.data or "",
        )
        responsible = get_or_404(User, form.responsible.data) if form.responsible.data else None
        if attempt_on_form(form, lambda: drills.record_drill(actor(), drill, responsible=responsible)):
            flash(
                _("The drill is recorded.")
                if not drill.findings
                else _("The drill is recorded; its finding is a rectification task."),
                "success",
            )
            return redirect(url_for("canteen.list_drills"))
    return _page(current_user.school, form, status=422)
