"""Rooms on their schedules: record a disinfection or a four-preventions check today."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...fields import responsible_choices
from ...login import current_actor as actor
from ...models.hygiene import PREVENTIONS, CanteenRoom, PreventionCheck, RoomDisinfection
from ...models.user import User
from ...outcome import attempt
from ...permissions import Permission, requires
from ...services import hygiene
from ...tenancy import get_or_404
from . import bp
from .forms import PreventionCheckForm, RoomDisinfectionForm
from .views import day_in_url


def _forms(room_id, disinfection=None, prevention=None):
    prevention = prevention or PreventionCheckForm(prefix=f"check{room_id}")
    prevention.responsible.choices = responsible_choices(current_user.school_id)
    return disinfection or RoomDisinfectionForm(prefix=f"room{room_id}"), prevention


def _rooms_page(day, status=200, forms=None, only=None):
    rows = hygiene.schedules(current_user.school, day)
    chosen = [row for row in rows if str(row.room.id) == str(only)]  # a station's code opened it
    rows = chosen or rows
    forms = forms or {}
    for row in rows:
        forms.setdefault(row.room.id, _forms(row.room.id))
    return render_template("canteen/rooms.html", day=day, rows=rows, forms=forms, one_room=bool(chosen)), status


@bp.route("/canteen/<day>/rooms")
@requires(Permission.LEDGER_RECORD)
def record_rooms(day):
    return _rooms_page(day_in_url(day, current_user.school), only=request.args.get("room"))[0]


def _done(problem, day, room, forms, message):
    if problem:
        flash(problem, "error")
        return _rooms_page(day, status=422, forms={room.id: forms})
    flash(message, "success")
    return redirect(url_for("canteen.record_rooms", day=day.isoformat()))


@bp.route("/canteen/<day>/rooms/<room_id>/disinfection", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def record_room_disinfection(day, room_id):
    day, room = day_in_url(day, current_user.school), get_or_404(CanteenRoom, room_id)
    forms = _forms(room.id, disinfection=RoomDisinfectionForm(prefix=f"room{room.id}"))
    if not forms[0].validate_on_submit():
        return _rooms_page(day, status=422, forms={room.id: forms})
    record = RoomDisinfection(day=day, room=room, method=forms[0].method.data)
    problem = attempt(lambda: hygiene.save_room_disinfection(actor(), record, None))
    return _done(problem, day, room, forms, _("%(room)s: the disinfection is recorded.", room=room.name))


@bp.route("/canteen/<day>/rooms/<room_id>/prevention", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def record_prevention_check(day, room_id):
    day, room = day_in_url(day, current_user.school), get_or_404(CanteenRoom, room_id)
    forms = _forms(room.id, prevention=PreventionCheckForm(prefix=f"check{room.id}"))
    form = forms[1]
    if not form.validate_on_submit():
        return _rooms_page(day, status=422, forms={room.id: forms})
    check = PreventionCheck(
        day=day, room=room, problems=form.problems.data or "", **{key: form[key].data for key in PREVENTIONS}
    )
    responsible = get_or_404(User, form.responsible.data) if form.responsible.data else None
    problem = attempt(lambda: hygiene.save_prevention_check(actor(), check, None, responsible=responsible))
    return _done(problem, day, room, forms, _("%(room)s: the four-preventions check is recorded.", room=room.name))
