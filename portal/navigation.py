"""The one navigation, shared by workflow pages and admin views. An entry shows when the
current user may open its endpoint: visibility asks the same declared requirement the
endpoint guard enforces."""

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .models.registry import kind_of, kinds
from .permissions import Access, requirement_for


@dataclass(frozen=True)
class Item:
    label: str
    endpoint: str


@dataclass(frozen=True)
class Group:
    label: str
    items: tuple


NAVIGATION = (
    Group(
        _l("My work"),
        (
            Item(_l("My inspections"), "inspections.list_my_inspections"),
            Item(_l("Rectification tasks"), "tasks.list_tasks"),
            Item(_l("Sign-off"), "signoff.show_sign_off_queue"),
            Item(_l("Rules to read"), "mine.list_my_rules"),
            Item(_l("My certificates"), "mine.list_my_certificates"),
            Item(_l("My training"), "mine.list_my_training"),
        ),
    ),
    Group(
        _l("Canteen"),
        (
            Item(_l("Canteen today"), "canteen.show_board"),
            Item(_l("Clean plate"), "canteen.show_clean_plate"),
            Item(_l("Surveys"), "surveys.list_surveys"),
            Item(_l("Complaints"), "canteen.list_complaints"),
            Item(_l("Public notice and complaint code"), "canteen.show_public_pages"),
            Item(_l("Station posters"), "stations.show_stations"),
            Item(_l("Parents' meal committee"), "canteen.show_committee"),
            Item(_l("Monthly dispatch meetings"), "canteen.list_meetings"),
            Item(_l("Food-safety incidents"), "canteen.list_incidents"),
            Item(_l("Emergency drills"), "canteen.list_drills"),
            Item(_l("Canteen rooms"), "canteen_rooms.index_view"),
            Item(_l("Sample and additive cabinets"), "cabinets.index_view"),
            Item(_l("Suppliers"), "suppliers.index_view"),
            Item(_l("Supplier evaluation"), "canteen.list_suppliers"),
            Item(_l("Ingredient lists"), "ingredient_rules.index_view"),
            Item(_l("Food additives"), "additives.index_view"),
        ),
    ),
    Group(
        _l("Storeroom"),
        (
            Item(_l("Storeroom"), "storeroom.show_storeroom"),
            Item(_l("Fridge and freezer temperatures"), "storeroom.record_temperatures_today"),
            Item(_l("Monthly stocktake"), "storeroom.show_stocktake_this_month"),
            Item(_l("Daily food cost"), "storeroom.show_food_cost"),
            Item(_l("Stock items"), "stock_items.index_view"),
            Item(_l("Fridges and freezers"), "cold_units.index_view"),
        ),
    ),
    Group(
        _l("Nutrition plan"),
        (
            Item(_l("Daily nutrition reports"), "nutrition.list_reports"),
            Item(_l("Monthly subsidy reconciliation"), "nutrition.show_last_month"),
            Item(_l("Subsidy balance"), "nutrition.show_balance"),
            Item(_l("Student roster"), "nutrition.show_roster"),
            Item(_l("Enrolment changes"), "nutrition.list_changes"),
            Item(_l("Nutrition subsidy rates"), "subsidy_rates.index_view"),
        ),
    ),
    Group(
        _l("Dormitories"),
        (
            Item(_l("Today's dormitory checks"), "dormitory.show_day"),
            Item(_l("Daily notice"), "dormitory.show_notice"),
            Item(_l("Weekly ranking"), "dormitory.show_ranking"),
            Item(_l("Dormitory rooms"), "dorm_rooms.index_view"),
            Item(_l("Dormitory beds"), "dorm_beds.index_view"),
            Item(_l("Dormitory housekeeping standard"), "dorm_standard_items.index_view"),
        ),
    ),
    Group(_l("Canteen ledgers"), tuple(Item(kind.name, f"{kind.key}.index_view") for kind in kinds())),
    Group(
        _l("Rules"),
        (
            Item(_l("Rules"), "rules.index_view"),
            Item(_l("Who has read them"), "reports.show_rule_coverage"),
            Item(_l("Rule versions"), "rule_versions.index_view"),
            Item(_l("Rule acknowledgements"), "rule_acknowledgements.index_view"),
        ),
    ),
    Group(
        _l("Training"),
        (
            Item(_l("Training sessions"), "training_sessions.index_view"),
            Item(_l("Hours per person"), "reports.show_training_hours"),
        ),
    ),
    Group(
        _l("Certificates"),
        (
            Item(_l("Certificates"), "certificates.index_view"),
            Item(_l("Kinds of certificate"), "certificate_kinds.index_view"),
        ),
    ),
    Group(
        _l("Inspections"),
        (
            Item(_l("Compliance"), "compliance.show_compliance"),
            Item(_l("Prompted gaps"), "reminders.show_county"),
            Item(_l("Evidence for audits"), "evidence.show_evidence_exports"),
            Item(_l("Verify an evidence file"), "evidence.verify_evidence_file"),
            Item(_l("Inspection records"), "inspection_records.index_view"),
            Item(_l("Rectification tasks"), "rectification_tasks.index_view"),
            Item(_l("Planned inspections"), "assignments.index_view"),
            Item(_l("Inspection cadence"), "cadence_rules.index_view"),
            Item(_l("Terms"), "terms.index_view"),
            Item(_l("Holidays and make-up days"), "calendar_days.index_view"),
            Item(_l("Checklists"), "checklist_templates.index_view"),
            Item(_l("Checklist versions"), "checklist_versions.index_view"),
        ),
    ),
    Group(
        _l("Administration"),
        (
            Item(_l("Users"), "users.index_view"),
            Item(_l("Classes"), "school_classes.index_view"),
            Item(_l("Schools"), "schools.index_view"),
            Item(_l("School settings"), "school_settings.index_view"),
            Item(_l("Reminders"), "reminders.show_settings"),
            Item(_l("Audit trail"), "audit_events.index_view"),
            Item(_l("Failed background jobs"), "job_failures.index_view"),
        ),
    ),
)


def may_open(endpoint, user=None):
    user = user if user is not None else current_user
    requirement = requirement_for(current_app, endpoint)
    if requirement is None or requirement is Access.NOBODY:
        return False
    if requirement is Access.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    return requirement is Access.AUTHENTICATED or user.can(requirement)


def visible_navigation():
    groups = []
    for group in NAVIGATION:
        items = [item for item in group.items if may_open(item.endpoint)]
        if items:
            groups.append(Group(group.label, tuple(items)))
    return groups


def is_current(item):
    """The item's page, or any page of the same admin view (details, edit, ...)."""
    blueprint, _dot, view = item.endpoint.partition(".")
    return request.endpoint == item.endpoint or (view == "index_view" and request.blueprint == blueprint)


def amendment_url(record):
    """The admin form that corrects a ledger record (an amendment, once its day is locked),
    coming back to this page; None for those who may not use it."""
    endpoint = f"{kind_of(record).key}.edit_view"
    return url_for(endpoint, id=record.id, url=request.full_path) if may_open(endpoint) else None


def init_app(app):
    @app.context_processor
    def navigation_context():
        return {
            "navigation": visible_navigation,
            "is_current": is_current,
            "may_open": may_open,
            "amendment_url": amendment_url,
        }
