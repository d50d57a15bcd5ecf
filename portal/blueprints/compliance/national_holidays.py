"""The school calendar filled from the national holidays and make-up days: the school admin
sees the year's proposal, unticks what does not apply, and saves (services/national_holidays)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...login import current_actor as actor
from ...permissions import Permission, requires
from ...services import national_holidays
from ...timeutil import school_today
from . import bp
from .forms import NationalHolidaysForm


@bp.route("/calendar/national-holidays", methods=["GET", "POST"])
@requires(Permission.CALENDAR_MANAGE)
def fill_calendar():
    school = current_user.school
    this_year = school_today(school).year
    year = request.args.get("year", this_year, type=int)
    proposed = national_holidays.proposal(school.id, year)
    form = NationalHolidaysForm()
    new = [entry for entry in proposed or [] if entry.listed is None]
    form.days.choices = [(entry.day, _label(entry)) for entry in new]
    if request.method == "GET":
        form.days.data = [entry.day for entry in new]
    if proposed is not None and form.validate_on_submit():
        added = national_holidays.fill(actor(), school, proposed, set(form.days.data or []))
        db.session.commit()
        flash(_("%(count)s days added to the school calendar.", count=added), "success")
        return redirect(url_for("calendar_days.index_view"))
    return render_template(
        "compliance/national_holidays.html",
        form=form,
        year=year,
        years=[this_year - 1, this_year, this_year + 1],
        proposed=proposed,
        listed=[entry for entry in proposed or [] if entry.listed is not None],
        label=_label,
    )


def _label(entry):
    return f"{format_date(entry.day, 'yyyy-MM-dd EEE')} {entry.kind.label} {entry.note}"
