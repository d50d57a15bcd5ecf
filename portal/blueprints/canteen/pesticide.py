"""农药残留快检 on the deliveries page: each item of an accepted delivery is tested there, on a
phone at the kitchen door; a refusal comes back beside the field with what was typed."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from ...login import current_actor as actor
from ...models.pesticide import PesticideTest, ScreeningMethod
from ...models.purchasing import DeliveryItem
from ...outcome import attempt_on_form
from ...permissions import Permission, requires
from ...services import pesticide
from ...tenancy import get_or_404
from . import bp
from .deliveries import deliveries_page, pesticide_form


@bp.route("/canteen/delivery-items/<item_id>/pesticide-test", methods=["POST"])
@requires(Permission.LEDGER_RECORD)
def record_pesticide_test(item_id):
    item = get_or_404(DeliveryItem, item_id)
    form = pesticide_form(item)
    if form.validate_on_submit():
        test = PesticideTest(
            method=ScreeningMethod(form.method.data),
            inhibition_percent=form.inhibition_percent.data,
            positive={"positive": True, "negative": False}.get(form.positive.data),
            action=form.action.data or "",
        )
        if attempt_on_form(form, lambda: pesticide.record_test(actor(), item, test)):
            done = _("The rapid test of %(name)s is recorded: %(result)s.", name=item.name, result=test.result_text)
            flash(done, "warning" if test.positive else "success")
            return redirect(url_for("canteen.record_deliveries", day=item.delivery.day.isoformat()))
    return deliveries_page(item.delivery.day, status=422, test_forms={item.id: form})
