"""Dormitory housekeeping in the admin: the rooms, the semester's beds and the scored
standard are kept here (by the school admin and the director); the daily checks and the
coaching are entered on the dormitory's pages and listed, exported and, for what they say
in words, corrected here. Scores are never edited."""

from flask_babel import lazy_gettext as _l

from ..login import current_actor as actor
from ..models import DormBed, DormRoom, DormStandardItem
from ..permissions import Permission
from ..services import dormitory, records
from .ledger import LedgerAdmin
from .registry import register_ledger_view, register_view


class DormitoryListAdmin(LedgerAdmin):
    read_permission = Permission.DORM_READ
    write_permission = Permission.DORM_MANAGE


class DormRoomAdmin(DormitoryListAdmin):
    column_list = ("building", "floor", "number", "beds", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_searchable_list = ("building", "number")
    column_default_sort = ("building", False)

    def save(self, form, model, before):
        dormitory.save_room(actor(), model, before)


class DormBedAdmin(DormitoryListAdmin):
    column_list = ("term", "room", "bed", "student_name", "school_class")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_searchable_list = ("student_name",)
    column_default_sort = ("id", True)

    def save(self, form, model, before):
        dormitory.save_bed(actor(), model, before)


class DormStandardItemAdmin(DormitoryListAdmin):
    allow_delete = False  # an item no longer checked is made inactive: past checks name it
    column_list = ("position", "text", "points", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_default_sort = ("position", False)

    def save(self, form, model, before):
        dormitory.save_standard_item(actor(), model, before)


class DormCheckAdmin(LedgerAdmin):
    """Checked on the dormitory's pages; here only the note may be corrected."""

    allow_create = False
    read_permission = Permission.DORM_READ
    column_list = ("day", "room", "score", "full_score", "note", "checked_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ("note",)
    column_filters = ("day",)
    column_default_sort = ("day", True)

    def save(self, form, model, before):
        records.save_record(actor(), model, before)


class DormCoachingAdmin(DormCheckAdmin):
    column_list = ("day", "room", "notes", "coached_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ("notes",)


register_ledger_view(DormCheckAdmin, "dorm_checks")
register_ledger_view(DormCoachingAdmin, "dorm_coachings")
register_view(DormRoomAdmin, DormRoom, "dorm_rooms", _l("Dormitory rooms"))
register_view(DormBedAdmin, DormBed, "dorm_beds", _l("Dormitory beds"))
register_view(DormStandardItemAdmin, DormStandardItem, "dorm_standard_items", _l("Dormitory housekeeping standard"))
