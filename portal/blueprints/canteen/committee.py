"""The parents' meal committee's year: its members, its activities with those present and
their findings (a finding is a rectification task), parent accompanied meals among them."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...fields import responsible_choices
from ...login import current_actor as actor
from ...models.committee import ActivityKind, CommitteeActivity
from ...models.user import User
from ...outcome import attempt
from ...permissions import Permission, requires
from ...services import committee
from ...tenancy import chosen_school, get_or_404
from ...timeutil import school_today
from . import bp
from .forms import CommitteeActivityForm


def _year(school):
    text = request.args.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else committee.school_year_of(school_today(school))


def _form(school, school_year, form=None):
    form = form or CommitteeActivityForm(day=school_today(school))
    form.kind.choices = ActivityKind.choices()
    form.present.choices = [(m.id, m.name) for m in committee.members_of(school.id, school_year)]
    form.responsible.choices = responsible_choices(school.id)
    return form


def _page(school, school_year, form=None, status=200):
    members, entries = committee.year_of(school.id, school_year)
    return render_template(
        "canteen/committee.html",
        school=school,
        school_year=school_year,
        members=members,
        entries=entries,
        form=_form(school, school_year, form) if current_user.can(Permission.COMMITTEE_MANAGE) else None,
    ), status


@bp.route("/committee")
@requires(Permission.COMMITTEE_READ)
def show_committee():
    school = chosen_school()
    if school is None:
        return redirect(url_for("committee_activities.index_view"))
    return _page(school, _year(school))[0]


@bp.route("/committee", methods=["POST"])
@requires(Permission.COMMITTEE_MANAGE)
def record_committee_activity():
    school = current_user.school
    form = _form(school, _year(school), CommitteeActivityForm())
    if not form.validate_on_submit():
        return _page(school, _year(school), form, status=422)
    school_year = committee.school_year_of(form.day.data)
    form.present.choices = [(m.id, m.name) for m in committee.members_of(school.id, school_year)]
    activity = CommitteeActivity(day=form.day.data, kind=ActivityKind(form.kind.data), findings=form.findings.data)
    responsible = get_or_404(User, form.responsible.data) if form.responsible.data else None
    problem = attempt(
        lambda: committee.record_activity(actor(), activity, form.present.data or [], responsible=responsible)
    )
    if problem:
        flash(problem, "error")
        return _page(school, school_year, form, status=422)
    flash(_("The committee's activity is recorded."), "success")
    return redirect(url_for("canteen.show_committee", year=school_year))
