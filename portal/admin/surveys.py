"""What the canteen did about a survey's results, in the admin."""

from .ledger import LedgerAdmin
from .registry import register_ledger_view


class SurveyActionAdmin(LedgerAdmin):
    """Recorded on the survey's page; listed and exported here."""

    write_permission = None
    column_list = ("day", "survey", "action", "dish", "recorded_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("day",)
    column_default_sort = ("day", True)


register_ledger_view(SurveyActionAdmin, "survey_actions")
