"""The nutrition plan's roster in the admin: read-only lists for the school admin, the
principal and the county (students' personal data is read by nobody else). The roster is
imported and changed on its own pages (blueprints/nutrition)."""

from flask_babel import lazy_gettext as _l

from ..login import current_actor as actor
from ..models import SchoolClass, Student, SubsidyRate
from ..permissions import Permission
from ..services import school_classes, subsidy
from .base import PortalModelView
from .ledger import LedgerAdmin, SignedRecordAdmin
from .registry import register_ledger_view, register_view

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


REPORT_LABELS = LABELS | {
    "day": _l("Date"),
    "eligible": _l("Eligible students"),
    "breakfast_diners": _l("Diners at breakfast"),
    "lunch_diners": _l("Diners at lunch"),
    "dinner_diners": _l("Diners at dinner"),
    "platform_ref": _l("Platform reference"),
    "late": _l("After the cut-off"),
    "reported_by": _l("Reported by"),
    "month": _l("Month"),
    "student_days": _l("Eligible student-days"),
    "entitlement": _l("Subsidy (yuan)"),
    "spending": _l("Food issued (yuan)"),
    "other_spending": _l("Other spending charged (yuan)"),
    "category": _l("Spent on"),
    "amount": _l("Amount (yuan)"),
    "description": _l("What was bought"),
    "voucher": _l("Voucher number"),
    "tolerance": _l("Tolerance (yuan)"),
    "earlier_months_change": _l("Changes dated into signed months (yuan)"),
    "explanation": _l("Explanation"),
    "signed_by": _l("Signed by"),
    "signed_at": _l("Signed at"),
}


class DailyReportAdmin(LedgerAdmin):
    """Entered on the daily report page; listed and exported here."""

    write_permission = None
    column_labels = REPORT_LABELS
    column_list = ("day", "eligible", "breakfast_diners", "lunch_diners", "dinner_diners", "platform_ref", "late")
    column_details_list = (*column_list, "reported_by", "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("day", "late")
    column_default_sort = ("day", True)


class ReconciliationAdmin(SignedRecordAdmin):
    column_labels = REPORT_LABELS
    column_list = ("month", "student_days", "entitlement", "spending", "explanation", "signed_by", "signed_at")
    column_details_list = (*column_list, "other_spending", "earlier_months_change", "tolerance", "created_at")
    column_export_list = column_details_list
    form_columns = ()


class SubsidyChargeAdmin(LedgerAdmin):
    """Charged on the reconciliation page; listed and exported here."""

    write_permission = None
    column_labels = REPORT_LABELS | {"day": _l("Paid on")}
    column_list = ("day", "category", "description", "amount", "voucher", "recorded_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("day", "category")
    column_default_sort = ("day", True)


class SubsidyRateAdmin(PortalModelView):
    """The subsidy per student and school day with its history: kept by the county."""

    read_permission = Permission.LEDGER_READ
    write_permission = Permission.SCHOOL_MANAGE
    column_list = ("starts_on", "yuan", "document_ref")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_labels = {
        "starts_on": _l("Applies from"),
        "yuan": _l("Yuan per student and school day"),
        "document_ref": _l("Document"),
    }
    column_default_sort = ("starts_on", True)

    def save(self, form, model, before):
        subsidy.save_rate(actor(), model, before)

    def delete(self, model):
        subsidy.delete_rate(actor(), model)


class SchoolClassAdmin(PortalModelView):
    """The school's classes, each with its class teacher: a roster import is checked against them."""

    read_permission = Permission.USER_READ
    write_permission = Permission.SCHOOL_SETTINGS
    allow_delete = False
    column_list = ("name", "class_teacher", "active")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
    column_searchable_list = ("name",)
    column_labels = {"name": _l("Class"), "class_teacher": _l("Class teacher"), "active": _l("Active")}
    column_default_sort = ("name", False)

    def save(self, form, model, before):
        school_classes.save_class(actor(), model, before)


register_ledger_view(EnrolmentChangeAdmin, "enrolment_changes")
register_ledger_view(DailyReportAdmin, "daily_reports")
register_ledger_view(SubsidyChargeAdmin, "subsidy_charges")
register_ledger_view(ReconciliationAdmin, "reconciliations")
register_view(StudentAdmin, Student, "students", _l("Student roster"))
register_view(SchoolClassAdmin, SchoolClass, "school_classes", _l("Classes"))
register_view(SubsidyRateAdmin, SubsidyRate, "subsidy_rates", _l("Nutrition subsidy rates"))
