"""The storeroom and the cold chain in the admin: the school's items and fridges are managed
here; batches, issues, disposals, stocktakes and readings are entered on their own pages
(blueprints/storeroom) and listed, exported and, for what they say in words, corrected here.
Quantities are never edited: the book changes by a movement or a signed stocktake only."""

from flask_babel import lazy_gettext as _l

from ..login import current_actor as actor
from ..models import ColdUnit, StockItem
from ..services import cold_chain, records, stock_items
from .ledger import LedgerAdmin, SignedRecordAdmin
from .registry import register_ledger_view, register_view


class StockItemAdmin(LedgerAdmin):
    column_list = ("name", "category", "unit", "bulk", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_searchable_list = ("name",)
    column_default_sort = ("name", False)

    def save(self, form, model, before):
        stock_items.save_item(actor(), model, before)


class ColdUnitAdmin(LedgerAdmin):
    column_list = ("name", "kind", "lowest_c", "highest_c", "active")
    column_details_list = (*column_list, "created_on")
    column_export_list = column_details_list
    form_columns = column_list
    column_descriptions = {
        "lowest_c": _l("Leave both empty for the default of its kind: refrigerated 0–8 ℃, frozen −18 ℃ or colder."),
    }
    column_default_sort = ("name", False)

    def save(self, form, model, before):
        cold_chain.save_unit(actor(), model, before)


class EnteredOnItsPageAdmin(LedgerAdmin):
    """Entered on the storeroom's pages; here only what is said in words may be corrected."""

    allow_create = False

    def save(self, form, model, before):
        records.save_record(actor(), model, before)


class StockBatchAdmin(EnteredOnItsPageAdmin):
    column_list = ("day", "item", "quantity", "unit_price", "production_date", "expires_on", "storeroom")
    column_details_list = (*column_list, "batch", "put_away_by", "recorded_at")
    column_export_list = column_details_list
    form_columns = ("storeroom",)
    column_filters = ("day", "expires_on", "item.name")
    column_default_sort = ("day", True)


class StockIssueAdmin(EnteredOnItsPageAdmin):
    column_list = ("day", "meal", "batch", "quantity", "for_staff", "reason", "issued_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ("reason",)
    column_filters = ("day", "meal")
    column_default_sort = ("day", True)


class StockDisposalAdmin(EnteredOnItsPageAdmin):
    column_list = ("day", "batch", "quantity", "method", "disposed_by", "witness")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ("method",)
    column_filters = ("day",)
    column_default_sort = ("day", True)


class StocktakeAdmin(SignedRecordAdmin):
    column_list = ("month", "counted_on", "keeper", "keeper_signed_at", "signed_by", "signed_at")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = ()


class TemperatureReadingAdmin(EnteredOnItsPageAdmin):
    column_list = ("day", "unit", "round", "temperature_c", "out_of_range", "action", "read_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ("action",)
    column_filters = ("day", "out_of_range", "unit.name")
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        cold_chain.save_action(actor(), model, before)


register_ledger_view(StockBatchAdmin, "stock_batches")
register_ledger_view(StockIssueAdmin, "stock_issues")
register_ledger_view(StockDisposalAdmin, "stock_disposals")
register_ledger_view(StocktakeAdmin, "stocktakes")
register_ledger_view(TemperatureReadingAdmin, "temperature_readings")
register_view(StockItemAdmin, StockItem, "stock_items", _l("Stock items"))
register_view(ColdUnitAdmin, ColdUnit, "cold_units", _l("Fridges and freezers"))
