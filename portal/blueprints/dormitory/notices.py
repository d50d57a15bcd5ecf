"""一天一通报，一周一评比: the day's notice per class and the week's ranking with the red flag,
on the page and as a PDF to print and post. A PDF is rendered after the reading is done:
no transaction is held while it renders."""

from datetime import timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from ...permissions import Permission, requires
from ...services import dormitory_notices
from ...services.calendar import monday_of
from ...tenancy import chosen_school
from ...timeutil import parse_day, school_today
from ..canteen.views import day_in_url
from ..pdf import pdf_response
from . import bp
from .forms import CoachingForm


def _notice(school):
    """The day's notice of every class the reader may see, or of the one class ?class= names."""
    day = day_in_url(request.args.get("day"), school)
    chosen = request.args.get("class")
    if chosen and not chosen.isdigit():
        abort(404)
    readable = dormitory_notices.notice_classes_for(current_user)
    if chosen:
        readable = {int(chosen)} & readable if readable is not None else {int(chosen)}
    return day, dormitory_notices.daily_notice(school.id, day, readable)


@bp.route("/dormitory/notice")
@requires(Permission.DORM_NOTICE)
def show_notice():
    school = chosen_school()
    if school is None:
        return redirect(url_for("dorm_checks.index_view"))
    day, notices = _notice(school)
    return render_template("dormitory/notice.html", school=school, day=day, notices=notices)


@bp.route("/dormitory/notice.pdf")
@requires(Permission.DORM_NOTICE)
def download_notice():
    school = chosen_school()
    if school is None:
        abort(404)
    day, notices = _notice(school)
    html = render_template("dormitory/notice_pdf.html", school=school, day=day, notices=notices)
    return pdf_response(html, f"dormitory-notice-{day.isoformat()}.pdf", url_for("dormitory.show_notice", day=day))


def _week(school):
    text = request.args.get("week")
    day = parse_day(text) if text else school_today(school)
    if day is None:
        abort(404)
    return monday_of(day)


@bp.route("/dormitory/ranking")
@requires(Permission.DORM_READ)
def show_ranking():
    school = chosen_school()
    if school is None:
        return redirect(url_for("dorm_checks.index_view"))
    monday = _week(school)
    return render_template(
        "dormitory/ranking.html",
        school=school,
        ranking=dormitory_notices.weekly_ranking(school, monday),
        sunday=monday + timedelta(days=6),
        previous_week=(monday - timedelta(days=7)).isoformat(),
        next_week=(monday + timedelta(days=7)).isoformat(),
        coaching_form=CoachingForm() if current_user.can(Permission.DORM_CHECK) else None,
    )


@bp.route("/dormitory/ranking.pdf")
@requires(Permission.DORM_READ)
def download_ranking():
    school = chosen_school()
    if school is None:
        abort(404)
    monday = _week(school)
    ranking = dormitory_notices.weekly_ranking(school, monday)
    html = render_template(
        "dormitory/ranking_pdf.html", school=school, ranking=ranking, sunday=monday + timedelta(days=6)
    )
    return pdf_response(
        html, f"dormitory-ranking-{monday.isoformat()}.pdf", url_for("dormitory.show_ranking", week=monday)
    )
