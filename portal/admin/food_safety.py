"""Rooms, suppliers, purchases and the food-safety reports in the admin."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from wtforms.validators import Optional

from ..login import current_actor as actor
from ..models.additive import Additive
from ..models.cabinet import Cabinet
from ..models.hygiene import CanteenRoom
from ..models.ingredients import IngredientRule
from ..models.purchasing import Delivery, Supplier
from ..services import additives, cabinets, hygiene, ingredients, purchasing, records
from .ledger import LedgerAdmin, ProblemToTaskAdmin, SignedRecordAdmin
from .registry import register_ledger_view, register_view


class CanteenRoomAdmin(LedgerAdmin):
    column_list = ("name", "kind", "disinfection_every_days", "prevention_every_days", "active")
    column_details_list = (*column_list, "created_on")
    column_export_list = column_details_list
    form_columns = column_list
    column_default_sort = ("name", False)

    def save(self, form, model, before):
        hygiene.save_room(actor(), model, before)


class CabinetAdmin(LedgerAdmin):
    column_list = ("name", "purpose", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_default_sort = ("name", False)

    def save(self, form, model, before):
        cabinets.save_cabinet(actor(), model, before)


class RoomDisinfectionAdmin(LedgerAdmin):
    column_list = ("day", "room", "method", "done_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = column_list
    column_filters = ("day", "room.name")
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        hygiene.save_room_disinfection(actor(), model, before)


class PreventionCheckAdmin(ProblemToTaskAdmin):
    column_list = ("day", "room", "rodents_ok", "flies_ok", "insects_ok", "dust_ok", "problems")
    column_details_list = (*column_list, "checked_by", "recorded_at")
    column_export_list = column_details_list
    form_columns = (*column_list, "responsible")
    column_filters = ("day", "room.name")
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        hygiene.save_prevention_check(actor(), model, before, responsible=self.responsible(form))


class SupplierAdmin(LedgerAdmin):
    column_list = ("name", "licence_number", "licence_expires_on", "contact", "active", "exited_on")
    column_details_list = (*column_list, "address", "exit_reason")
    column_export_list = column_details_list
    form_columns = ("name", "licence_number", "licence_expires_on", "address", "contact", "active")
    form_args = {"licence_expires_on": {"validators": [Optional()]}}
    column_searchable_list = ("name", "licence_number")
    column_default_sort = ("name", False)

    def save(self, form, model, before):
        purchasing.save_supplier(actor(), model, before)

    def delete(self, model):
        records.delete_record(actor(), model)


class AdditiveAdmin(LedgerAdmin):
    """The school's food additives and their "五专": kept by the school admin."""

    column_list = ("name", "supplier", "cabinet", "keeper", "tools", "limit_g_per_kg", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    form_args = {"limit_g_per_kg": {"validators": [Optional()]}}
    column_default_sort = ("name", False)

    def save(self, form, model, before):
        additives.save_additive(actor(), model, before)


class AdditiveUseAdmin(LedgerAdmin):
    """Recorded on the day's additives page by the person responsible; listed and exported
    here, corrected by withdrawal."""

    write_permission = None
    column_list = ("dish.day", "dish", "additive", "grams", "food_kg", "used_at", "used_by")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = ()
    column_filters = ("dish.day",)
    column_default_sort = ("id", True)


class IngredientRuleAdmin(LedgerAdmin):
    """The school's lists of bulk ingredients, foods that need a quarantine certificate and
    banned or high-risk foods, from the national defaults; the school adds its own."""

    column_list = ("kind", "name", "keywords", "bulk_from_kg", "reason", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_filters = ("kind", "active")
    column_searchable_list = ("name", "keywords")
    column_default_sort = ("kind", False)
    column_descriptions = {
        "keywords": _l("Separated by 、 A dish or delivery item whose name holds one of them matches."),
        "bulk_from_kg": _l("Bulk ingredients only: from this many kg; in bags, barrels or boxes any quantity."),
    }

    def save(self, form, model, before):
        ingredients.save_rule(actor(), model, before)


def _item_list(view, context, model, name):
    return "；".join(
        f"{item.name} {item.specification} {item.quantity}{item.unit}".replace("  ", " ") for item in model.items
    )


class DeliveryAdmin(LedgerAdmin):
    """Deliveries are entered with their items and tickets on the quick-entry page; here
    they are listed, exported, corrected and, once old enough, deleted."""

    allow_create = False
    column_list = ("day", "supplier", "bulk", "result", "licence_expired", "acceptors", "items")
    column_details_list = (*column_list, "rejection_reason", "recorded_by", "recorded_at")
    column_export_list = column_details_list
    form_columns = ("day", "supplier", "bulk", "result", "rejection_reason", "acceptors")
    column_formatters = {"items": _item_list}
    column_formatters_export = column_formatters
    column_formatters_detail = column_formatters
    list_loading = (selectinload(Delivery.items),)  # the acceptors are joined by Flask-Admin
    column_filters = ("day", "result", "licence_expired", "supplier.name")
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        purchasing.save_delivery(actor(), model, before)

    def delete(self, model):
        purchasing.delete_delivery(actor(), model)


class RiskReportAdmin(SignedRecordAdmin):
    column_list = ("week_start", "risks_found", "measures", "signed_by", "signed_at")
    column_details_list = ("week_start", "draft", "risks_found", "measures", "signed_by", "signed_at")
    column_export_list = column_details_list
    form_columns = ()


class DispatchMeetingAdmin(SignedRecordAdmin):
    column_list = ("held_on", "attendees", "issues", "decisions", "signed_by", "signed_at")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = ()


class FoodIncidentAdmin(SignedRecordAdmin):
    column_list = ("found_at", "ill_count", "what_happened", "education_told_at", "market_told_at", "signed_by")
    column_details_list = (
        "found_at",
        "ill_count",
        "what_happened",
        "actions",
        "sealed",
        "education_told_at",
        "market_told_at",
        "follow_up",
        "recorded_by",
        "signed_by",
        "signed_at",
    )
    column_export_list = column_details_list
    form_columns = ()


class ComplaintAdmin(SignedRecordAdmin):
    """Received and answered on the complaints page. The contact a person left is read there
    only, by who answers (complaint.answer): never listed or exported here."""

    column_list = ("received_at", "text", "signed_at", "signed_by", "answer", "problem")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = ()


class SupplierEvaluationAdmin(LedgerAdmin):
    """Scored on the supplier's page; listed and exported here, corrected by withdrawal."""

    write_permission = None
    column_list = ("day", "supplier", "total", "delivery_record", "note", "evaluated_by")
    column_details_list = (*column_list, "scores", "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_default_sort = ("day", True)


class EmergencyDrillAdmin(LedgerAdmin):
    """Recorded on the drills page; listed and exported here, corrected by withdrawal."""

    write_permission = None
    column_list = ("day", "plan", "scenario", "participant_count", "findings", "recorded_by")
    column_details_list = (*column_list, "participants", "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_default_sort = ("day", True)


register_ledger_view(RoomDisinfectionAdmin, "room_disinfections")
register_ledger_view(EmergencyDrillAdmin, "emergency_drills")
register_ledger_view(SupplierEvaluationAdmin, "supplier_evaluations")
register_ledger_view(FoodIncidentAdmin, "food_incidents")
register_ledger_view(ComplaintAdmin, "complaints")
register_ledger_view(PreventionCheckAdmin, "prevention_checks")
register_ledger_view(DeliveryAdmin, "deliveries")
register_ledger_view(RiskReportAdmin, "risk_reports")
register_ledger_view(DispatchMeetingAdmin, "dispatch_meetings")
register_view(CanteenRoomAdmin, CanteenRoom, "canteen_rooms", _l("Canteen rooms"))
register_view(CabinetAdmin, Cabinet, "cabinets", _l("Sample and additive cabinets"))
register_view(SupplierAdmin, Supplier, "suppliers", _l("Suppliers"))
register_view(IngredientRuleAdmin, IngredientRule, "ingredient_rules", _l("Ingredient lists"))
register_view(AdditiveAdmin, Additive, "additives", _l("Food additives"))
register_ledger_view(AdditiveUseAdmin, "additive_uses")
