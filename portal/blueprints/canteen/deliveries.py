"""Purchase acceptance on the day: the deliveries so far and a form for the next one, with
its items, tickets and the people who accepted it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...login import current_actor as actor
from ...models.ingredients import IngredientKind
from ...models.purchasing import Delivery, DeliveryItem, DeliveryResult, Supplier
from ...models.user import User
from ...outcome import attempt
from ...permissions import Permission, requires
from ...services import files, ingredients, ledgers, pesticide, purchasing, rectification
from ...tenancy import get_or_404
from ...timeutil import utcnow
from . import bp
from .forms import DeliveryForm, PesticideTestForm
from .views import day_in_url

# The file inputs of the form: the supplier's ticket or invoice, and meat's quarantine certificate.
UPLOADS = (("tickets", files.TICKET), ("quarantine", files.QUARANTINE))


def _fill_choices(form):
    school_id = current_user.school_id
    form.supplier.choices = [("", "")] + [(str(s.id), s.name) for s in purchasing.suppliers(school_id)]
    form.acceptors.choices = [(str(u.id), u.display_name) for u in rectification.responsible_candidates(school_id)]
    return form


def pesticide_form(item):
    return PesticideTestForm(prefix=f"pesticide{item.id}")


def deliveries_page(day, form=None, status=200, kept=(), test_forms=None):
    form = _fill_choices(form or DeliveryForm(acceptors=[str(current_user.id)]))
    deliveries = purchasing.deliveries_on(current_user.school_id, day)
    items = [item for delivery in deliveries for item in delivery.items]
    tests = pesticide.tests_of(items)
    test_forms = {item.id: pesticide_form(item) for item in items if item.id not in tests} | (test_forms or {})
    return render_template(
        "canteen/deliveries.html",
        day=day,
        deliveries=deliveries,
        pesticide_tests=tests,
        test_forms=test_forms,
        form=form,
        kept=kept,
        settings=current_user.school.settings,
        bulk_rules=ingredients.rules_of(current_user.school_id, IngredientKind.BULK),
        uploads=UPLOADS,
        delivery_flags=purchasing.flags,
        locks_at=ledgers.lock_moment(current_user.school, day),
        locked=ledgers.lock_moment(current_user.school, day) <= utcnow(),
    ), status


@bp.route("/canteen/<day>/deliveries")
@requires(Permission.LEDGER_RECORD)
def record_deliveries(day):
    return deliveries_page(day_in_url(day, current_user.school))[0]


def _item_rows(form):
    """The item rows filled in, as DeliveryItems; a row with anything in it but no name is
    marked on the form. Returns (items, problem)."""
    items, problem = [], None
    for number, row in enumerate(form.items, start=1):
        fields = row.form
        if not any(f.data not in (None, "") for f in fields):
            continue
        if not (fields.name.data or "").strip():
            fields.name.errors = [*fields.name.errors, _("Item %(n)d: enter the name of the goods.", n=number)]
            problem = problem or fields.name.errors[-1]
            continue
        items.append(
            DeliveryItem(
                name=fields.name.data,
                specification=fields.specification.data or "",
                quantity=fields.quantity.data,
                unit=fields.unit.data or "",
                production_date=fields.production_date.data,
                batch=fields.batch.data or "",
                shelf_life_days=fields.shelf_life_days.data,
                price=fields.price.data,
            )
        )
    return items, problem


@bp.route("/canteen/<day>/deliveries", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def add_delivery(day):
    day = day_in_url(day, current_user.school)
    form = _fill_choices(DeliveryForm())
    kept = purchasing.kept_tickets(actor(), request.form.getlist("kept_tickets"))
    for field_name, kind in UPLOADS:
        uploads = request.files.getlist(field_name)
        if any(files.is_present(upload) for upload in uploads):
            stored = []
            if problem := attempt(lambda: stored.extend(purchasing.store_tickets(actor(), uploads, kind))):  # noqa: B023
                flash(problem, "error")
                return deliveries_page(day, form, status=422, kept=kept)
            kept += stored
    items, problem = _item_rows(form)
    if not form.validate_on_submit() or problem:
        if problem:
            flash(problem, "error")
        return deliveries_page(day, form, status=422, kept=kept)
    delivery = Delivery(
        day=day,
        supplier=get_or_404(Supplier, form.supplier.data),
        result=DeliveryResult(form.result.data),
        rejection_reason=form.rejection_reason.data or "",
        acceptors=[get_or_404(User, user_id) for user_id in form.acceptors.data],
        items=items,
    )
    problem = attempt(lambda: purchasing.save_delivery(actor(), delivery, None, tickets=kept))
    if problem:
        flash(problem, "error")
        db.session.expire_all()
        return deliveries_page(day, form, status=422, kept=purchasing.kept_tickets(actor(), [t.id for t in kept]))
    flash(_("The delivery is recorded."), "success")
    return redirect(url_for("canteen.record_deliveries", day=day.isoformat()))
