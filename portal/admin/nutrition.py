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


class RosterAdmin(LedgerAdmin):
    read_permission = Permission.STUDENT_READ
    write_permission = None


class StudentAdmin(RosterAdmin):
    column_list = ("register_number", "name", "class_name", "enrolled", "eligible")
    column_details_list = (*column_list, "created_at")
    column_export_list = column_details_list
    form_columns = ()
    column_searchable_list = ("register_number", "name", "name_initials")  # "wxy" finds 王晓燕
    column_sorted_by = {"name": "name_pinyin"}
    column_filters = ("class_name", "enrolled", "eligible")
    column_default_sort = ("register_number", False)


class EnrolmentChangeAdmin(RosterAdmin):
    column_list = ("effective_on", "student", "kind", "document_ref", "recorded_by", "checked_by", "day")
    column_details_list = (*column_list, "checked_at", "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("effective_on", "kind")
    column_default_sort = ("effective_on", True)


class DailyReportAdmin(LedgerAdmin):
    """Entered on the daily report page; listed and exported here."""

    write_permission = None
    column_list = ("day", "eligible", "breakfast_diners", "lunch_diners", "dinner_diners", "platform_ref", "late")
    column_details_list = (*column_list, "staff_diners", "other_student_diners", "reported_by", "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("day", "late")
    column_default_sort = ("day", True)


class ReconciliationAdmin(SignedRecordAdmin):
    column_list = ("month", "student_days", "entitlement", "spending", "explanation", "signed_by", "signed_at")
    column_details_list = (
        *column_list,
        "others_share",
        "other_spending",
        "earlier_months_change",
        "tolerance",
        "created_at",
    )
    column_export_list = column_details_list
    form_columns = ()


class SubsidyChargeAdmin(LedgerAdmin):
    """Charged on the reconciliation page; listed and exported here."""

    write_permission = None
    column_list = ("day", "category", "description", "amount", "voucher", "recorded_by")
    column_details_list = (*column_list, "recorded_at")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("day", "category")
    column_default_sort = ("day", True)


class SubsidyRateAdmin(PortalModelView):
    """The subsidy per student and school day and the month's tolerance, with their history:
    kept by the county."""

    read_permission = Permission.LEDGER_READ
    write_permission = Permission.SCHOOL_MANAGE
    column_list = ("starts_on", "yuan", "tolerance_yuan", "document_ref")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list
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
