"""Purchase acceptance on the day: the deliveries so far and a form for the next one, with
its items, tickets and the people who accepted it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...login import current_actor as actor
from ...models.purchasing import Delivery, DeliveryItem, DeliveryResult, Supplier
from ...models.user import User
from ...permissions import Permission, requires
from ...services import files, purchasing, rectification
from ...tenancy import get_or_404
from ..outcome import attempt
from . import bp
from .forms import DeliveryForm
from .views import day_in_url


def _fill_choices(form):
    school_id = current_user.school_id
    form.supplier.choices = [("", "")] + [(str(s.id), s.name) for s in purchasing.suppliers(school_id)]
    form.acceptors.choices = [(str(u.id), u.display_name) for u in rectification.responsible_candidates(school_id)]
    return form


def _page(day, form=None, status=200):
    form = _fill_choices(form or DeliveryForm(acceptors=[str(current_user.id)]))
    return render_template(
        "canteen/deliveries.html",
        day=day,
        deliveries=purchasing.deliveries_on(current_user.school_id, day),
        form=form,
        settings=current_user.school.settings,
        ticket_kind=files.TICKET,
    ), status


@bp.route("/canteen/<day>/deliveries")
@requires(Permission.LEDGER_RECORD)
def record_deliveries(day):
    return _page(day_in_url(day, current_user.school))[0]


@bp.route("/canteen/<day>/deliveries", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def add_delivery(day):
    day = day_in_url(day, current_user.school)
    form = _fill_choices(DeliveryForm())
    if not form.validate_on_submit():
        return _page(day, form, status=422)
    delivery = Delivery(
        day=day,
        supplier=get_or_404(Supplier, form.supplier.data),
        bulk=form.bulk.data,
        result=DeliveryResult(form.result.data),
        rejection_reason=form.rejection_reason.data or "",
        acceptors=[get_or_404(User, user_id) for user_id in form.acceptors.data],
        items=[
            DeliveryItem(
                name=row.form.name.data,
                specification=row.form.specification.data or "",
                quantity=row.form.quantity.data,
                unit=row.form.unit.data or "",
                production_date=row.form.production_date.data,
                batch=row.form.batch.data or "",
                shelf_life_days=row.form.shelf_life_days.data,
                price=row.form.price.data,
            )
            for row in form.items
            if (row.form.name.data or "").strip()
        ],
    )
    tickets = request.files.getlist("tickets")
    problem = attempt(lambda: purchasing.save_delivery(actor(), delivery, None, tickets=tickets))
    if problem:
        flash(problem, "error")
        return _page(day, form, status=422)
    flash(_("The delivery is recorded."), "success")
    return redirect(url_for("canteen.record_deliveries", day=day.isoformat()))
