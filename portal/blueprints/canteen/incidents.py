"""食品安全事故 / 疑似食物中毒: the school's reports, a new one, and each report's page, where the
offices told, the follow-up and the principal's signature are added."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...login import current_actor as actor
from ...models.incident import FoodIncident
from ...outcome import attempt_on_form
from ...permissions import Permission, reads_all_schools, requires
from ...services import incidents
from ...tenancy import chosen_school, get_or_404
from ...timeutil import utcnow
from . import bp
from .emergency_forms import FollowUpForm, IncidentForm, ToldForm
from .forms import SignForm


def _list_page(school, form=None, status=200):
    return render_template(
        "canteen/incidents.html",
        incidents=incidents.incidents_of(school.id),
        form=form or IncidentForm(found_at=utcnow()),
        county=reads_all_schools(current_user),
        now=utcnow(),
    ), status


@bp.route("/canteen/incidents")
@requires(Permission.LEDGER_READ)
def list_incidents():
    school = chosen_school()
    if school is None:
        return redirect(url_for("canteen.show_board"))
    return _list_page(school)[0]


@bp.route("/canteen/incidents", methods=["POST"])
@requires(Permission.INCIDENT_REPORT)
def report_incident():
    form = IncidentForm()
    if form.validate_on_submit():
        incident = FoodIncident()
        form.populate_obj(incident)
        if attempt_on_form(form, lambda: incidents.report(actor(), incident)):
            flash(_("The incident is recorded: tell both offices within 2 hours of its finding."), "success")
            return redirect(url_for("canteen.show_incident", incident_id=incident.id))
    return _list_page(current_user.school, form, status=422)


def _page(incident, status=200, **forms):
    return render_template(
        "canteen/incident.html",
        incident=incident,
        offices=incidents.OFFICES,
        told_forms={
            office: forms.get(office) or ToldForm(prefix=office, told_at=utcnow()) for office in incidents.OFFICES
        },
        follow_up_form=forms.get("follow_up") or FollowUpForm(follow_up=incident.follow_up),
        sign_form=SignForm(),
        now=utcnow(),
    ), status


@bp.route("/canteen/incidents/<incident_id>")
@requires(Permission.LEDGER_READ)
def show_incident(incident_id):
    return _page(get_or_404(FoodIncident, incident_id))[0]


@bp.route("/canteen/incidents/<incident_id>/told/<office>", methods=["POST"])
@requires(Permission.INCIDENT_REPORT)
def record_told(incident_id, office):
    incident = get_or_404(FoodIncident, incident_id)
    if office not in incidents.OFFICES:
        abort(404)
    form = ToldForm(prefix=office)
    if form.validate_on_submit():
        late = []
        if attempt_on_form(
            form, lambda: late.append(incidents.record_told(actor(), incident, office, form.told_at.utc_value()))
        ):
            flash(
                _("Recorded, later than the 2 hours.") if late[0] else _("Recorded, within the 2 hours."),
                "warning" if late[0] else "success",
            )
            return redirect(url_for("canteen.show_incident", incident_id=incident.id))
    return _page(incident, status=422, **{office: form})


@bp.route("/canteen/incidents/<incident_id>/follow-up", methods=["POST"])
@requires(Permission.INCIDENT_REPORT)
def write_follow_up(incident_id):
    incident = get_or_404(FoodIncident, incident_id)
    form = FollowUpForm()
    if form.validate_on_submit() and attempt_on_form(
        form, lambda: incidents.write_follow_up(actor(), incident, form.follow_up.data)
    ):
        flash(_("The follow-up is saved; the principal signs the report."), "success")
        return redirect(url_for("canteen.show_incident", incident_id=incident.id))
    return _page(incident, status=422, follow_up=form)


@bp.route("/canteen/incidents/<incident_id>/sign", methods=["POST"])
@requires(Permission.INCIDENT_SIGN)
def sign_incident(incident_id):
    incident = get_or_404(FoodIncident, incident_id)
    form = SignForm()
    if form.validate_on_submit() and attempt_on_form(
        form, lambda: incidents.sign(actor(), incident, form.password.data)
    ):
        flash(_("The incident report is signed."), "success")
        return redirect(url_for("canteen.show_incident", incident_id=incident.id))
    return _page(incident, status=422)
