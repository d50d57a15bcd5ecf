"""The nutrition plan's roster in the admin: read-only lists for the school admin, the
principal and the county (students' personal data is read by nobody else). The roster is
imported and changed on its own pages (blueprints/nutrition)."""

from flask_babel import lazy_gettext as _l

from ..permissions import Permission
from .canteen import LedgerAdmin

LABELS = LedgerAdmin.column_labels | {
    "register_number": _l("Register number"),
    "name": _l("Student"),
    "class_name": _l("Class"),
    "enrolled": _l("Enrolled"),
    "eligible": _l("Eligible for the subsidy"),
    "created_at": _l("Added"),
    "student": _l("Student"),
    "student.name": _l("Student"),
    "kind": _l("Change"),
    "effective_on": _l("Effective from"),
    "day": _l("Recorded on"),
    "document_ref": _l("Document"),
    "checked_by": _l("Checked by"),
    "checked_at": _l("Checked at"),
}


class RosterAdmin(LedgerAdmin):
    read_permission = Permission.STUDENT_READ
    write_permission = None
    column_labels = LABELS


class StudentAdmin(RosterAdmin):
    column_list = ("register_number", "name", "class_name", "enrolled", "eligible")
    column_details_list = (*column_list, "created_at")
    column_export_list = column_details_list
    form_columns = ()
    column_searchable_list = ("register_number", "name")
    column_filters = ("class_name", "enrolled", "eligible")
    column_default_sort = ("register_number", False)


class EnrolmentChangeAdmin(RosterAdmin):
    column_list = ("effective_on", "student", "kind", "document_ref", "recorded_by", "checked_by", "day")
    column_details_list = (*column_list, "checked_at", "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("effective_on", "kind")
    column_default_sort = ("effective_on", True)
