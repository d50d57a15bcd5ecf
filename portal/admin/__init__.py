"""Flask-Admin: built per app (a module-level Admin breaks a second create_app()),
every view on the gated, school-scoped base, every endpoint's permission registered."""

import os

from flask import redirect, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from ..labels import register_field_labels
from ..models import (
    Assignment,
    AuditEvent,
    CadenceRule,
    CalendarDay,
    CanteenRoom,
    Certificate,
    CertificateKind,
    ChecklistTemplate,
    ChecklistVersion,
    ColdUnit,
    CommitteeMember,
    DormBed,
    DormRoom,
    DormStandardItem,
    IngredientRule,
    Inspection,
    JobFailure,
    RectificationTask,
    Rule,
    RuleAcknowledgement,
    RuleVersion,
    School,
    SchoolClass,
    SchoolSettings,
    StockItem,
    Student,
    SubsidyRate,
    Supplier,
    Term,
    TrainingSession,
    User,
)
from ..permissions import Access, register_endpoint
from .audit import AuditEventAdmin, JobFailureAdmin
from .canteen import CanteenRoomAdmin, CommitteeMemberAdmin, IngredientRuleAdmin, SupplierAdmin
from .certificates import CertificateAdmin, CertificateKindAdmin
from .checklists import ChecklistTemplateAdmin, ChecklistVersionAdmin
from .dormitory import DormBedAdmin, DormRoomAdmin, DormStandardItemAdmin
from .inspections import InspectionAdmin
from .nutrition import SchoolClassAdmin, StudentAdmin, SubsidyRateAdmin
from .planning import AssignmentAdmin, CadenceRuleAdmin, CalendarDayAdmin, TermAdmin
from .rules import RuleAcknowledgementAdmin, RuleAdmin, RuleVersionAdmin
from .schools import SchoolAdmin, SchoolSettingsAdmin
from .storeroom import ColdUnitAdmin, StockItemAdmin
from .tasks import RectificationTaskAdmin
from .training import TrainingSessionAdmin
from .users import UserAdmin

READ_VIEWS = frozenset({"index_view", "details_view", "export"})
# Bootswatch swatches bundled with Flask-Admin that load nothing from the internet; the
# others pull Google Fonts, which schools in mainland China cannot reach.
OFFLINE_SWATCHES = frozenset({"default", "cerulean", "litera", "pulse", "slate"})


class HomeRedirectView(AdminIndexView):
    """/admin/ is not a page of its own: the portal's home page is."""

    @expose("/")
    def index(self):
        return redirect(url_for("home.show_home"))


VIEWS = [
    # (view class, model, endpoint, menu name)
    (RuleAdmin, Rule, "rules", _l("Rules")),
    (RuleVersionAdmin, RuleVersion, "rule_versions", _l("Rule versions")),
    (RuleAcknowledgementAdmin, RuleAcknowledgement, "rule_acknowledgements", _l("Rule acknowledgements")),
    (TrainingSessionAdmin, TrainingSession, "training_sessions", _l("Training sessions")),
    (CertificateAdmin, Certificate, "certificates", _l("Certificates")),
    (CertificateKindAdmin, CertificateKind, "certificate_kinds", _l("Kinds of certificate")),
    (CanteenRoomAdmin, CanteenRoom, "canteen_rooms", _l("Canteen rooms")),
    (SupplierAdmin, Supplier, "suppliers", _l("Suppliers")),
    (IngredientRuleAdmin, IngredientRule, "ingredient_rules", _l("Ingredient lists")),
    (StockItemAdmin, StockItem, "stock_items", _l("Stock items")),
    (ColdUnitAdmin, ColdUnit, "cold_units", _l("Fridges and freezers")),
    (StudentAdmin, Student, "students", _l("Student roster")),
    (SchoolClassAdmin, SchoolClass, "school_classes", _l("Classes")),
    (SubsidyRateAdmin, SubsidyRate, "subsidy_rates", _l("Nutrition subsidy rates")),
    (CommitteeMemberAdmin, CommitteeMember, "committee_members", _l("Parents' meal committee members")),
    (DormRoomAdmin, DormRoom, "dorm_rooms", _l("Dormitory rooms")),
    (DormBedAdmin, DormBed, "dorm_beds", _l("Dormitory beds")),
    (DormStandardItemAdmin, DormStandardItem, "dorm_standard_items", _l("Dormitory housekeeping standard")),
    (InspectionAdmin, Inspection, "inspection_records", _l("Inspection records")),
    (RectificationTaskAdmin, RectificationTask, "rectification_tasks", _l("Rectification tasks")),
    (AssignmentAdmin, Assignment, "assignments", _l("Planned inspections")),
    (CadenceRuleAdmin, CadenceRule, "cadence_rules", _l("Inspection cadence")),
    (TermAdmin, Term, "terms", _l("Terms")),
    (CalendarDayAdmin, CalendarDay, "calendar_days", _l("Holidays and make-up days")),
    (ChecklistTemplateAdmin, ChecklistTemplate, "checklist_templates", _l("Checklists")),
    (ChecklistVersionAdmin, ChecklistVersion, "checklist_versions", _l("Checklist versions")),
    (UserAdmin, User, "users", _l("Users")),
    (SchoolAdmin, School, "schools", _l("Schools")),
    (SchoolSettingsAdmin, SchoolSettings, "school_settings", _l("School settings")),
    (AuditEventAdmin, AuditEvent, "audit_events", _l("Audit trail")),
    (JobFailureAdmin, JobFailure, "job_failures", _l("Failed background jobs")),
]


def init_admin(app):
    swatch = app.config["FLASK_ADMIN_SWATCH"]
    if swatch not in OFFLINE_SWATCHES:
        raise RuntimeError(f"FLASK_ADMIN_SWATCH={swatch!r} loads web fonts; use one of {sorted(OFFLINE_SWATCHES)}")
    admin = Admin(
        app,
        name=_l("Logistics Portal"),
        theme=Bootstrap4Theme(
            base_template="admin/portal_base.html",
            swatch=swatch,
            fluid=app.config["FLASK_ADMIN_FLUID_LAYOUT"],
        ),
        index_view=HomeRedirectView(url="/admin"),
        translations_path=os.path.join(app.root_path, "translations"),
    )
    register_endpoint(app, "admin.index", Access.AUTHENTICATED)
    for view_class, model, endpoint, name in all_views():
        view = view_class(model, name=name, endpoint=endpoint)
        admin.add_view(view)
        _register_permissions(app, view)
        register_field_labels(app, model, view.column_labels or {})
    return admin


def all_views():
    return ledger_views() + VIEWS


def ledger_views():
    """Every ledger's admin view, from the one registry (portal/ledgers.py)."""
    from ..ledgers import LEDGERS  # the registry imports the views of this package

    return [(ledger.admin, ledger.model, ledger.key, ledger.name) for ledger in LEDGERS]


def _register_permissions(app, view):
    for _url, method_name, _methods in view._urls:
        register_endpoint(app, f"{view.endpoint}.{method_name}", _requirement(view, method_name))


def _requirement(view, method_name):
    """Reading needs the read permission; each kind of change needs the write permission
    and a view that allows it at all. What a view never allows is refused to everyone."""
    if method_name in READ_VIEWS:
        return view.read_permission
    allowed = {
        "create_view": view.allow_create,
        "edit_view": view.allow_edit,
        "delete_view": view.allow_delete,
        "action_view": view.allow_delete or any(name != "delete" for name, _text in view._actions),
    }.get(method_name, True)
    if view.write_permission is None or not allowed:
        return Access.NOBODY
    return view.write_permission
