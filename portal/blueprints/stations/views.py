"""Stations: a poster's code scanned by a logged-in phone opens that place's form; the school
admin's page of the school's stations, their poster pack and a code replaced."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ... import phone_links
from ...extensions import db
from ...login import current_actor as actor
from ...permissions import Permission, login_required_only, requires
from ...services import stations
from ...station_kinds import KINDS
from ...tenancy import get_or_404
from ..pdf import pdf_response
from . import bp


@bp.route("/at/<code>")
@login_required_only
def open_station(code):
    found = stations.find(code)
    if found is None or found[1].school_id != current_user.school_id:
        return render_template("stations/unknown.html"), 404
    kind, place = found
    if not current_user.can(kind.permission):
        return render_template("stations/not_yours.html", kind=kind, place=place), 403
    return redirect(kind.record_url(place))


def _link(kind, place):
    if kind.public_endpoint:
        return phone_links.link_to_hand_out(kind.public_endpoint, token=place.public_token)
    return phone_links.link_to_hand_out("stations.open_station", code=place.station_code)


def _posters():
    """[(kind, place, its link, its QR code)] of the school's stations."""
    posters = []
    for kind, place in stations.places_of(current_user.school_id):
        link = _link(kind, place)
        posters.append((kind, place, link, phone_links.qr_data_uri(link)))
    return posters


@bp.route("/stations")
@requires(Permission.SCHOOL_SETTINGS)
def show_stations():
    posters = _posters()
    return render_template(
        "stations/index.html",
        posters=posters,
        kinds_without_places=[kind for kind in KINDS.values() if not any(k is kind for k, *_rest in posters)],
        form=FlaskForm(),
        reaches_phones=phone_links.reaches_phones(),
        addresses=phone_links.addresses_to_choose_from(),
    )


@bp.route("/stations/posters.pdf")
@requires(Permission.SCHOOL_SETTINGS)
def download_posters():
    html = render_template("stations/posters_pdf.html", school=current_user.school, posters=_posters())
    return pdf_response(html, "station-posters.pdf", url_for("stations.show_stations"))


@bp.route("/stations/<kind>/<place_id>/replace", methods=["POST"])
@requires(Permission.SCHOOL_SETTINGS)
def replace_code(kind, place_id):
    if kind not in KINDS:
        abort(404)
    kind = KINDS[kind]
    place = get_or_404(kind.model, place_id)
    if FlaskForm().validate_on_submit():
        stations.replace_code(actor(), kind, place)
        db.session.commit()
        if kind.public_endpoint:
            flash(_("The public notice and the complaint code have a new link: print both posters again."), "success")
        else:
            flash(
                _("%(place)s has a new code: print its poster again; the old one opens nothing.", place=place),
                "success",
            )
    return redirect(url_for("stations.show_stations"))
