"""The parents' meal committee in the admin: its members and its activities."""

from flask_babel import lazy_gettext as _l

from ..login import current_actor as actor
from ..models.committee import CommitteeMember
from ..permissions import Permission
from ..services import committee
from .ledger import LedgerAdmin
from .registry import register_ledger_view, register_view


class CommitteeMemberAdmin(LedgerAdmin):
    """The parents on the committee, year by year: their telephones are read by the school's
    office and the county only."""

    read_permission = Permission.COMMITTEE_READ
    write_permission = Permission.COMMITTEE_MANAGE
    allow_delete = False  # a member who leaves is made inactive: past activities name them
    column_list = ("school_year", "name", "class_name", "contact", "chair", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_searchable_list = ("name",)
    column_default_sort = ("school_year", True)

    def save(self, form, model, before):
        committee.save_member(actor(), model, before)


class CommitteeActivityAdmin(LedgerAdmin):
    """Recorded on the committee's page; listed and exported here. It names the parents who
    took part: read like the members."""

    read_permission = Permission.COMMITTEE_READ
    write_permission = None
    column_list = ("day", "kind", "present", "findings", "recorded_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("day", "kind")
    column_default_sort = ("day", True)
    column_formatters = {"present": lambda view, context, model, name: model.present_names}
    column_formatters_export = column_formatters


register_ledger_view(CommitteeActivityAdmin, "committee_activities")
register_view(CommitteeMemberAdmin, CommitteeMember, "committee_members", _l("Parents' meal committee members"))
