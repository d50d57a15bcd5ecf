"""The dormitory manager's day: the rooms in walking order with their scores, one screen per
room to check it (then straight to the next room on the floor), coaching of a room that
scored low, and the semester's bed list read from the school's spreadsheet."""

import io

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...login import current_actor as actor
from ...models.calendar import Term
from ...models.dormitory import DormRoom
from ...outcome import attempt
from ...permissions import Permission, requires
from ...services import dormitory, files
from ...tenancy import chosen_school, get_or_404
from ...timeutil import parse_day, school_today
from ..canteen.views import day_in_url
from . import bp
from .forms import BedImportForm, CheckForm, CoachingForm


@bp.route("/dormitory")
@requires(Permission.DORM_READ)
def show_day():
    school = chosen_school()
    if school is None:
        return redirect(url_for("dorm_checks.index_view"))
    day = day_in_url(request.args.get("day"), school)
    checks = {check.room_id: check for check in dormitory.checks_between(school.id, day, day)}
    rooms = dormitory.rooms_of(school.id)
    return render_template(
        "dormitory/day.html",
        school=school,
        day=day,
        rooms=rooms,
        checks=checks,
        next_room=dormitory.next_room(school.id, day, None),
        import_form=_import_form() if current_user.can(Permission.DORM_MANAGE) else None,
    )


def _check_page(room, day, form=None, entered=None, status=200):
    return render_template(
        "dormitory/check.html",
        room=room,
        day=day,
        standard=dormitory.standard_of(room.school_id),
        classes=dormitory.classes_of_rooms(room.school_id, day).get(room.id, []),
        form=form or CheckForm(),
        entered=entered or {},
        photo_kind=files.PHOTO,
    ), status


@bp.route("/dormitory/rooms/<room_id>/check")
@requires(Permission.DORM_CHECK)
def show_check_form(room_id):
    room = get_or_404(DormRoom, room_id)
    return _check_page(room, day_in_url(request.args.get("day"), room.school))[0]


@bp.route("/dormitory/rooms/<room_id>/check", methods=["POST"])
@requires(Permission.DORM_CHECK)
def record_check(room_id):
    room = get_or_404(DormRoom, room_id)
    day = parse_day(request.form.get("day")) or school_today(room.school)
    form = CheckForm()
    entered = {key: request.form.get(key, "") for key in request.form if key.startswith("deduct-")}
    if not form.validate_on_submit():
        return _check_page(room, day, form, entered, status=422)
    deducted, problem = _deductions(entered)
    if problem is None:
        problem = attempt(lambda: dormitory.record_check(actor(), room, day, deducted, form.note.data, form.photo.data))
    if problem:
        flash(problem, "error")
        return _check_page(room, day, form, entered, status=422)
    flash(_("%(room)s is checked.", room=str(room)), "success")
    following = dormitory.next_room(room.school_id, day, room)
    if following is None:
        return redirect(url_for("dormitory.show_day", day=day.isoformat()))
    return redirect(url_for("dormitory.show_check_form", room_id=following.id, day=day.isoformat()))


def _deductions(entered):
    """({item id: (points, "")}, None) from the form's fields, or (None, the message)."""
    deducted = {}
    for key, text in entered.items():
        text = text.strip()
        if not text:
            continue
        item_id, points = key.removeprefix("deduct-"), text
        if not item_id.isdigit() or not points.isdigit():
            return None, _("Enter the points deducted as a whole number, 0 or more.")
        deducted[int(item_id)] = (int(points), "")
    return deducted, None


@bp.route("/dormitory/rooms/<room_id>/coaching", methods=["POST"])
@requires(Permission.DORM_CHECK)
def record_coaching(room_id):
    room = get_or_404(DormRoom, room_id)
    form = CoachingForm()
    week = request.form.get("week", "")
    if not form.validate_on_submit():
        flash(_("Say what was shown to the room."), "error")
        return redirect(url_for("dormitory.show_ranking", week=week))
    problem = attempt(lambda: dormitory.record_coaching(actor(), room, school_today(room.school), form.notes.data))
    flash(problem or _("The coaching is recorded."), "error" if problem else "success")
    return redirect(url_for("dormitory.show_ranking", week=week))


def _import_form(form=None):
    form = form or BedImportForm()
    form.term.choices = [(str(term.id), term.name) for term in dormitory.terms_of(current_user.school_id)]
    return form


@bp.route("/dormitory/beds/import", methods=["POST"])
@requires(Permission.DORM_MANAGE)
def import_beds():
    form = _import_form(BedImportForm())
    if not form.validate_on_submit():
        flash(_("Choose the semester and the bed list (.xlsx)."), "error")
        return redirect(url_for("dormitory.show_day"))
    problems = []

    def read_and_import():
        data, _extension, _type = files.check_upload(form.beds.data, files.ROSTER)
        rows, found = dormitory.read_beds(io.BytesIO(data), current_user.school_id)
        problems.extend(found)
        dormitory.import_beds(actor(), get_or_404(Term, form.term.data), rows, found)

    problem = attempt(read_and_import)
    if problem:
        flash(problem, "error")
        return render_template("dormitory/import_problems.html", problems=problems), 422
    flash(_("The bed list is imported."), "success")
    return redirect(url_for("dormitory.show_day"))
