"""The school's two public pages as its office keeps them: the links, QR codes and posters of the
public notice (公示) and of the complaint form (校园食安码), and what the notice publishes."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ... import phone_links
from ...login import current_actor as actor
from ...models.public_notice import PublicNotice
from ...outcome import attempt_on_form
from ...permissions import Permission, requires
from ...services import public_notice
from ..pdf import pdf_response
from . import bp
from .public_forms import NoticeForm

# The public pages: their endpoint, their name, and what a poster says to do.
PAGES = {
    "notice": (
        "public.show_notice",
        _l("Public notice of the canteen"),
        _l("Scan to read this week's menu, the canteen's funds and the accompanied meals."),
    ),
    "complaint": (
        "public.show_complaint_form",
        _l("Tell the school about its canteen"),
        _l("Scan to tell the school what was wrong with a meal: no name is asked, the school answers within 3 days."),
    ),
}


def _link(page):
    if page not in PAGES:
        abort(404)
    return phone_links.link_to_hand_out(PAGES[page][0], token=current_user.school.public_token)


def _page(form=None, status=200):
    notice = public_notice.notice_of(current_user.school_id)
    return render_template(
        "canteen/public_pages.html",
        pages={page: (_link(page), name) for page, (_endpoint, name, _hint) in PAGES.items()},
        form=form or NoticeForm(obj=notice),
        reaches_phones=phone_links.reaches_phones(),
        addresses=phone_links.addresses_to_choose_from(),
    ), status


@bp.route("/canteen/public")
@requires(Permission.COMPLAINT_ANSWER)
def show_public_pages():
    return _page()[0]


@bp.route("/canteen/public", methods=["POST"])
@requires(Permission.SCHOOL_SETTINGS)
def save_public_notice():
    form = NoticeForm()
    if form.validate_on_submit():
        sections = {name: getattr(form, name).data for name in PublicNotice.SECTIONS}
        if attempt_on_form(
            form, lambda: public_notice.save(actor(), current_user.school, form.published_from.data, sections)
        ):
            flash(
                _("The public notice is saved.")
                if form.published_from.data
                else _("The public notice is not published."),
                "success",
            )
            return redirect(url_for("canteen.show_public_pages"))
    return _page(form, status=422)


@bp.route("/canteen/public/<page>/qr.svg")
@requires(Permission.COMPLAINT_ANSWER)
def download_public_qr(page):
    return Response(phone_links.qr_svg(_link(page)), mimetype="image/svg+xml")


@bp.route("/canteen/public/<page>/poster.pdf")
@requires(Permission.COMPLAINT_ANSWER)
def download_public_poster(page):
    link = _link(page)
    _endpoint, name, hint = PAGES[page]
    html = render_template(
        "canteen/public_poster_pdf.html",
        school=current_user.school,
        name=name,
        hint=hint,
        link=link,
        qr=phone_links.qr_data_uri(link),
    )
    return pdf_response(html, f"{page}-poster.pdf", url_for("canteen.show_public_pages"))
