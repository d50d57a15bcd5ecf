"""公示: the school's public page, reachable by a link and a QR code with no login, showing what
the school admin chose to publish (services/public_notice.py)."""

from flask import render_template

from ...permissions import public
from ...services import public_notice
from ...timeutil import school_today
from . import bp
from .complaints import school_of


@bp.route("/p/<token>")
@public
def show_notice(token):
    school = school_of(token)
    today = school_today(school)
    notice = public_notice.notice_of(school.id)
    published = notice is not None and notice.is_published(today)
    return render_template(
        "public/notice.html",
        school=school,
        notice=notice if published else None,
        content=public_notice.content(school, notice, today) if published else None,
    )
