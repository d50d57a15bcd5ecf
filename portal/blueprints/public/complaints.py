"""校园食安码: the complaint form a code on the canteen wall opens, with no login, and the answers
to what this phone sent. One device cookie the server signed (blueprints/device.py), a limited
number of complaints per network address for each school (Flask-Limiter), a bounded photo."""

from flask import abort, make_response, render_template, request
from flask_babel import gettext as _

from ...extensions import db
from ...models.school import School
from ...outcome import attempt_on_form
from ...permissions import public
from ...services import complaints, files
from ..device import device, limited_per_address, with_device
from . import bp
from .forms import ComplaintForm


def school_of(token):
    school = db.session.scalar(db.select(School).where(School.public_token == token)) if len(token) <= 32 else None
    if school is None:
        abort(404)
    return school


def _page(school, form=None, done=False, problem=None, status=200):
    html = render_template(
        "public/complaint.html",
        school=school,
        form=form or ComplaintForm(),
        photo_kind=files.COMPLAINT_PHOTO,
        sent=complaints.sent_from(school, device()),
        done=done,
        problem=problem,
    )
    return with_device(make_response(html, status))


@bp.route("/p/<token>/complaint")
@public
def show_complaint_form(token):
    return _page(school_of(token))


def _over_the_limit(_limit):
    problem = _("Too many complaints came from your network just now: try again later.")
    return _page(school_of(request.view_args["token"]), ComplaintForm(), problem=problem, status=429)


@bp.route("/p/<token>/complaint", methods=["POST"])
@public
@limited_per_address("COMPLAINTS_PER_ADDRESS", on_breach=_over_the_limit)
def send_complaint(token):
    school = school_of(token)
    form = ComplaintForm()
    if not form.validate_on_submit():
        return _page(school, form, status=422)
    phone = device()
    if phone is None:
        problem = _("Open the form from its QR code and allow cookies, then send it again.")
        return _page(school, form, problem=problem, status=422)
    received = attempt_on_form(
        form,
        lambda: complaints.receive(
            school,
            form.text.data,
            contact=form.contact.data,
            photo=request.files.get("photo"),
            device_cookie=phone,
            address=request.remote_addr,
        ),
    )
    if not received:
        return _page(school, form, status=422)
    return _page(school, done=True)
