"""Every kind of canteen record, declared once.

An entry says what the record is (its model and Chinese name), where it is kept (its admin
view and its quick-entry page), how the auditor reads it (its evidence table, which is also
its workbook sheet, and what is flagged in red), whether a problem in it becomes a
rectification task, when it locks (its day is over, or it is signed) and how long it is kept.
The admin views, the navigation, the evidence sections, the lock and retention guards and
the coverage tests all read this list: adding a ledger is its model and migration, its
service, its page and templates, its tests, and one entry here.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .admin.canteen import (
    AccompaniedMealAdmin,
    CommitteeActivityAdmin,
    DeliveryAdmin,
    DispatchMeetingAdmin,
    FoodSampleAdmin,
    LeftoverWeighingAdmin,
    MenuDishAdmin,
    MorningCheckAdmin,
    ParentMealAdmin,
    PreventionCheckAdmin,
    RiskReportAdmin,
    RoomDisinfectionAdmin,
    SurveyActionAdmin,
    TablewareDisinfectionAdmin,
)
from .admin.dormitory import DormCheckAdmin, DormCoachingAdmin
from .admin.nutrition import DailyReportAdmin, EnrolmentChangeAdmin, ReconciliationAdmin, SubsidyChargeAdmin
from .admin.storeroom import (
    StockBatchAdmin,
    StockDisposalAdmin,
    StockIssueAdmin,
    StocktakeAdmin,
    TemperatureReadingAdmin,
)
from .evidence.parts import Sheet, iso, money, school_time
from .extensions import db
from .i18n import amount_filter
from .models.accompanied_meal import AccompaniedMeal, ParentMeal
from .models.canteen import SYMPTOMS, FoodSample, MenuDish, MorningCheck, TablewareDisinfection
from .models.clean_plate import LeftoverWeighing
from .models.cold_chain import TemperatureReading
from .models.committee import CommitteeActivity
from .models.dormitory import DormCheck, DormCoaching
from .models.food_safety import DispatchMeeting, RiskReport
from .models.hygiene import PREVENTIONS, PreventionCheck, RoomDisinfection
from .models.ledger import LedgerRecord
from .models.nutrition import DailyReport, EnrolmentChange, Reconciliation, SubsidyCharge
from .models.purchasing import Delivery
from .models.storeroom import StockBatch, StockDisposal, StockIssue, Stocktake
from .models.survey import SurveyAction
from .services.ledgers import amended_text
from .timeutil import add_months

DAY = "day"  # locks when its day is over
SIGNATURE = "signature"  # locks when it is signed


def yes_no(value):
    return str(_l("Yes") if value else _l("No"))


def label(value):
    return str(value.label) if value is not None else ""


def name_of(person):
    return person.display_name if person is not None else ""


@dataclass(frozen=True)
class Column:
    title: object
    # (record, school) -> what the cell says
    value: object


def column(title, value):
    return Column(title, lambda record, school: value(record))


def moment(title, attribute):
    return Column(title, lambda record, school: school_time(getattr(record, attribute), school))


def keep_years(record, settings):
    """The first day a record may be deleted: SchoolSettings.ledger_keep_years after its day
    (no national figure was found; two years, like purchase records without a shelf life)."""
    return add_months(record.ledger_day, 12 * settings.ledger_keep_years)


@dataclass(frozen=True)
class Ledger:
    key: str
    model: type
    # The ledger's name, and one record's (the audit trail says "食品留样 created").
    name: object
    record_name: object
    admin: type
    # The quick-entry page: an endpoint taking the day (and the meal, for a meal's records).
    page: str | None
    # The evidence section that holds its table: "canteen", "food_safety", "storeroom", "nutrition"
    # "dormitory" or "committee".
    section: str
    columns: tuple
    # (record) -> what is wrong with it, said in red in the bundle; None when nothing ever is.
    flag: object = None
    raises_tasks: bool = False
    locks: str = DAY
    keep_until: object = keep_years
    # The attribute of the day the record is about (FoodSample: its dish's day, joined).
    day_attribute: str = "day"
    loads: tuple = ()

    @property
    def day_column(self):
        return MenuDish.day if self.model is FoodSample else getattr(self.model, self.day_attribute)

    def _in_period(self, query, school_id, first, last):
        if self.model is FoodSample:
            query = query.join(MenuDish, MenuDish.id == FoodSample.dish_id)
        return query.where(self.model.school_id == school_id, self.day_column.between(first, last))

    def records(self, school_id, first, last):
        """The records of a period, oldest first, what was withdrawn included."""
        query = self._in_period(sa.select(self.model), school_id, first, last)
        return db.session.scalars(
            query.options(*(selectinload(getattr(self.model, name)) for name in self.loads)).order_by(
                self.day_column, self.model.id
            )
        ).all()

    def has_records(self, school_id, first, last):
        return db.session.scalar(self._in_period(sa.select(self.model.id), school_id, first, last).limit(1)) is not None

    def sheet(self, records, school, corrected=None):
        """Its evidence table and workbook sheet: an amended value beside the original
        (``corrected``: {record id: the record read through its amendments}); a withdrawn
        record says so in the last column."""
        corrected = corrected or {}
        headers = [str(column.title) for column in self.columns]
        rows = [self._row(record, corrected.get(record.id), school) for record in records]
        flag_column = None
        if self.flag is not None or issubclass(self.model, LedgerRecord):
            headers.append(str(_l("Flags")))
            flag_column = len(headers) - 1
            for row, record in zip(rows, records, strict=True):
                row.append("；".join(text for text in (_withdrawn(record), self.flag and self.flag(record)) if text))
        return Sheet(str(self.name), headers, rows, flag_column=flag_column)

    def _row(self, record, corrected, school):
        cells = [column.value(record, school) for column in self.columns]
        if corrected is None:
            return cells
        new_cells = [column.value(corrected, school) for column in self.columns]
        return [
            cell if new == cell else str(amended_text(new, cell)) for cell, new in zip(cells, new_cells, strict=True)
        ]


def _withdrawn(record):
    if not getattr(record, "is_withdrawn", False):
        return ""
    return str(_l("Withdrawn: %(reason)s", reason=record.withdrawal_reason))


def _symptoms(check):
    return "、".join(str(SYMPTOMS[key]) for key in check.symptom_keys)


def _goods(delivery):
    def one(item):
        made = item.batch or iso(item.production_date) or ""
        return " ".join(part for part in (item.name, item.specification, f"{item.quantity}{item.unit}", made) if part)

    return "；".join(one(item) for item in delivery.items)


def _delivery_flags(delivery):
    from .services.purchasing import flags

    return "；".join(str(text) for text in flags(delivery))


def _quantity(record):
    return f"{amount_filter(record.quantity)}{record.batch.item.unit}"


def _delivery_keep_until(delivery, settings):
    return delivery.retention_ends(settings.delivery_keep_months, settings.delivery_keep_years)


LEDGERS = (
    Ledger(
        "menu_dishes",
        MenuDish,
        _l("Daily menus"),
        _l("Dish on the menu"),
        MenuDishAdmin,
        "canteen.record_meal",
        "canteen",
        (
            column(_l("Date"), lambda d: iso(d.day)),
            column(_l("Meal"), lambda d: label(d.meal)),
            column(_l("Dish"), lambda d: d.name),
        ),
    ),
    Ledger(
        "food_samples",
        FoodSample,
        _l("Food samples"),
        _l("Food sample"),
        FoodSampleAdmin,
        "canteen.record_meal",
        "canteen",
        (
            column(_l("Date"), lambda s: iso(s.dish.day)),
            column(_l("Meal"), lambda s: label(s.dish.meal)),
            column(_l("Dish"), lambda s: s.dish.name),
            column(_l("Weight (g)"), lambda s: amount_filter(s.grams)),
            column(_l("Container label"), lambda s: s.container_label),
            moment(_l("Kept at"), "retained_at"),
            column(_l("Kept by"), lambda s: name_of(s.retained_by)),
            column(_l("Reviewed by"), lambda s: name_of(s.reviewed_by)),
            moment(_l("Discarded at"), "discarded_at"),
        ),
        flag=lambda s: "" if s.reviewed_by_id else str(_l("not reviewed")),
        loads=("dish", "retained_by", "reviewed_by"),
    ),
    Ledger(
        "tableware_disinfections",
        TablewareDisinfection,
        _l("Tableware disinfection"),
        _l("Tableware disinfection"),
        TablewareDisinfectionAdmin,
        "canteen.record_meal",
        "canteen",
        (
            column(_l("Date"), lambda r: iso(r.day)),
            column(_l("Meal"), lambda r: label(r.meal)),
            column(_l("Method"), lambda r: label(r.method)),
            column(_l("Temperature (℃)"), lambda r: r.temperature_c),
            column(_l("Concentration (mg/L)"), lambda r: r.concentration_mg_l),
            column(_l("Time (seconds)"), lambda r: r.duration_seconds),
            column(_l("Done by"), lambda r: name_of(r.done_by)),
        ),
        loads=("done_by",),
    ),
    Ledger(
        "morning_checks",
        MorningCheck,
        _l("Morning checks"),
        _l("Morning check"),
        MorningCheckAdmin,
        "canteen.record_morning_checks",
        "canteen",
        (
            column(_l("Date"), lambda c: iso(c.day)),
            column(_l("Worker"), lambda c: name_of(c.worker)),
            column(_l("Temperature (℃)"), lambda c: c.temperature_c),
            column(_l("Symptoms"), _symptoms),
            column(_l("On duty"), lambda c: yes_no(c.on_duty)),
            column(_l("Action taken"), lambda c: c.action_taken),
            column(_l("Checked by"), lambda c: name_of(c.checked_by)),
        ),
        loads=("worker", "checked_by"),
    ),
    Ledger(
        "accompanied_meals",
        AccompaniedMeal,
        _l("Accompanied meals"),
        _l("Accompanied meal"),
        AccompaniedMealAdmin,
        "canteen.record_meal",
        "food_safety",
        (
            column(_l("Date"), lambda m: iso(m.day)),
            column(_l("Meal"), lambda m: label(m.meal)),
            column(_l("Leader"), lambda m: name_of(m.leader)),
            column(_l("Taste"), lambda m: label(m.taste)),
            column(_l("Temperature"), lambda m: label(m.temperature)),
            column(_l("Hygiene"), lambda m: label(m.hygiene)),
            column(_l("Portion size"), lambda m: label(m.quantity)),
            column(_l("Dishes tasted"), lambda m: m.dishes_tasted),
        ),
        flag=lambda m: m.problems,
        raises_tasks=True,
        loads=("leader",),
    ),
    Ledger(
        "parent_meals",
        ParentMeal,
        _l("Parent accompanied meals"),
        _l("Parent accompanied meal"),
        ParentMealAdmin,
        "canteen.record_meal",
        "food_safety",
        (
            column(_l("Date"), lambda p: iso(p.day)),
            column(_l("Meal"), lambda p: label(p.meal)),
            column(_l("Parent"), lambda p: p.parent_name),
            column(_l("Class"), lambda p: p.class_name),
            column(_l("Feedback"), lambda p: p.feedback),
        ),
    ),
    Ledger(
        "leftover_weighings",
        LeftoverWeighing,
        _l("Clean-plate leftovers"),
        _l("Leftovers weighed"),
        LeftoverWeighingAdmin,
        "canteen.show_clean_plate",
        "canteen",
        (
            column(_l("Date"), lambda w: iso(w.day)),
            column(_l("Meal"), lambda w: label(w.meal)),
            column(
                _l("Whose leftovers"), lambda w: w.school_class.name if w.school_class else str(_l("The whole school"))
            ),
            column(_l("Leftovers (kg)"), lambda w: amount_filter(w.kg)),
            column(_l("Diners"), lambda w: w.diners),
            column(_l("kg per 100 diners"), lambda w: amount_filter(w.per_100)),
            column(_l("The dish left most"), lambda w: w.most_left_dish.name if w.most_left_dish else ""),
            column(_l("Weighed by"), lambda w: name_of(w.weighed_by)),
        ),
        flag=lambda w: str(_l("over the target")) if w.per_100 > w.school.settings.leftover_target_kg_per_100 else "",
        loads=("school_class", "most_left_dish", "weighed_by", "school"),
    ),
    Ledger(
        "committee_activities",
        CommitteeActivity,
        _l("Parents' meal committee activities"),
        _l("Activity of the parents' meal committee"),
        CommitteeActivityAdmin,
        "canteen.show_committee",
        "committee",
        (
            column(_l("Date"), lambda a: iso(a.day)),
            column(_l("What the committee did"), lambda a: label(a.kind)),
            column(_l("Members present"), lambda a: a.present_names),
            column(_l("Findings"), lambda a: a.findings),
            column(_l("Recorded by"), lambda a: name_of(a.recorded_by)),
        ),
        raises_tasks=True,
        loads=("recorded_by",),
    ),
    Ledger(
        "survey_actions",
        SurveyAction,
        _l("Actions on survey results"),
        _l("Action on a survey's results"),
        SurveyActionAdmin,
        "surveys.list_surveys",
        "food_safety",
        (
            column(_l("Date"), lambda a: iso(a.day)),
            column(_l("Survey"), lambda a: a.survey.title),
            column(_l("What the canteen did"), lambda a: a.action),
            column(_l("The dish it concerns"), lambda a: a.dish),
            column(_l("Recorded by"), lambda a: name_of(a.recorded_by)),
        ),
        loads=("survey", "recorded_by"),
    ),
    Ledger(
        "room_disinfections",
        RoomDisinfection,
        _l("Room disinfection"),
        _l("Room disinfection"),
        RoomDisinfectionAdmin,
        "canteen.record_rooms",
        "food_safety",
        (
            column(_l("Date"), lambda r: iso(r.day)),
            column(_l("Room"), lambda r: r.room.name),
            column(_l("How"), lambda r: r.method),
            column(_l("Done by"), lambda r: name_of(r.done_by)),
        ),
        loads=("room", "done_by"),
    ),
    Ledger(
        "prevention_checks",
        PreventionCheck,
        _l("Four preventions"),
        _l("Four-preventions check"),
        PreventionCheckAdmin,
        "canteen.record_rooms",
        "food_safety",
        (
            column(_l("Date"), lambda c: iso(c.day)),
            column(_l("Room"), lambda c: c.room.name),
            *(column(title, lambda c, key=key: yes_no(getattr(c, key))) for key, title in PREVENTIONS.items()),
            column(_l("Checker"), lambda c: name_of(c.checked_by)),
        ),
        flag=lambda c: c.problems,
        raises_tasks=True,
        loads=("room", "checked_by"),
    ),
    Ledger(
        "deliveries",
        Delivery,
        _l("Purchase acceptance"),
        _l("Purchase acceptance"),
        DeliveryAdmin,
        "canteen.record_deliveries",
        "food_safety",
        (
            column(_l("Date"), lambda d: iso(d.day)),
            column(_l("Supplier"), lambda d: d.supplier.name),
            column(_l("Licence number"), lambda d: d.supplier.licence_number),
            column(_l("Bulk ingredients"), lambda d: yes_no(d.bulk)),
            column(_l("Goods"), _goods),
            column(_l("Accepted by"), lambda d: "、".join(person.display_name for person in d.acceptors)),
            column(_l("Tickets"), lambda d: len(d.tickets)),
            column(_l("Result"), lambda d: label(d.result)),
        ),
        flag=_delivery_flags,
        keep_until=_delivery_keep_until,
        loads=("supplier", "acceptors", "items", "tickets"),
    ),
    Ledger(
        "risk_reports",
        RiskReport,
        _l("Weekly risk reports"),
        _l("Weekly risk report"),
        RiskReportAdmin,
        "canteen.show_risk_report",
        "food_safety",
        (
            column(_l("Week of"), lambda r: iso(r.week_start)),
            column(_l("Risks found"), lambda r: r.risks_found),
            column(_l("Measures"), lambda r: r.measures),
            column(_l("Signed by"), lambda r: name_of(r.signed_by)),
            moment(_l("Signed at"), "signed_at"),
        ),
        locks=SIGNATURE,
        day_attribute="week_start",
        loads=("signed_by",),
    ),
    Ledger(
        "dispatch_meetings",
        DispatchMeeting,
        _l("Monthly dispatch meetings"),
        _l("Monthly dispatch meeting"),
        DispatchMeetingAdmin,
        "canteen.list_meetings",
        "food_safety",
        (
            column(_l("Held on"), lambda m: iso(m.held_on)),
            column(_l("Attendees"), lambda m: m.attendees),
            column(_l("Issues"), lambda m: m.issues),
            column(_l("Decisions"), lambda m: m.decisions),
            column(_l("Signed by"), lambda m: name_of(m.signed_by)),
            moment(_l("Signed at"), "signed_at"),
        ),
        locks=SIGNATURE,
        day_attribute="held_on",
        loads=("signed_by",),
    ),
)

LEDGERS += (
    Ledger(
        "stock_batches",
        StockBatch,
        _l("Stock in"),
        _l("Stock batch"),
        StockBatchAdmin,
        "storeroom.record_stock_in",
        "storeroom",
        (
            column(_l("Date"), lambda b: iso(b.day)),
            column(_l("Stock item"), lambda b: b.item.name),
            column(_l("Quantity"), lambda b: f"{amount_filter(b.quantity)}{b.item.unit}"),
            column(_l("Unit price (yuan)"), lambda b: money(b.unit_price)),
            column(_l("Production date or batch"), lambda b: b.batch or iso(b.production_date) or ""),
            column(_l("Use by"), lambda b: iso(b.expires_on) or ""),
            column(_l("Where kept"), lambda b: b.storeroom),
            column(_l("Put away by"), lambda b: name_of(b.put_away_by)),
        ),
        flag=lambda b: "" if b.unit_price is not None else str(_l("no price")),
        loads=("item", "put_away_by"),
    ),
    Ledger(
        "stock_issues",
        StockIssue,
        _l("Stock out"),
        _l("Stock issue"),
        StockIssueAdmin,
        "storeroom.record_stock_out",
        "storeroom",
        (
            column(_l("Date"), lambda i: iso(i.day)),
            column(_l("Meal"), lambda i: label(i.meal)),
            column(_l("Stock item"), lambda i: i.batch.item.name),
            column(_l("Batch put away on"), lambda i: iso(i.batch.day)),
            column(_l("Quantity"), _quantity),
            column(_l("Value (yuan)"), lambda i: money(i.value)),
            column(_l("Why this batch"), lambda i: i.reason),
            column(_l("Issued from the storeroom by"), lambda i: name_of(i.issued_by)),
        ),
        loads=("batch", "issued_by"),
    ),
    Ledger(
        "stock_disposals",
        StockDisposal,
        _l("Stock disposed of"),
        _l("Stock disposal"),
        StockDisposalAdmin,
        "storeroom.show_storeroom",
        "storeroom",
        (
            column(_l("Date"), lambda d: iso(d.day)),
            column(_l("Stock item"), lambda d: d.batch.item.name),
            column(_l("Use by"), lambda d: iso(d.batch.expires_on) or ""),
            column(_l("Quantity"), _quantity),
            column(_l("How it was disposed of"), lambda d: d.method),
            column(_l("Disposed of by"), lambda d: name_of(d.disposed_by)),
            column(_l("Witness"), lambda d: name_of(d.witness)),
        ),
        loads=("batch", "disposed_by", "witness"),
    ),
    Ledger(
        "stocktakes",
        Stocktake,
        _l("Monthly stocktakes"),
        _l("Monthly stocktake"),
        StocktakeAdmin,
        "storeroom.show_stocktake",
        "storeroom",
        (
            column(_l("Month"), lambda t: t.month.strftime("%Y-%m")),
            column(_l("Counted on"), lambda t: iso(t.counted_on)),
            column(_l("Batches counted"), lambda t: len(t.lines)),
            column(_l("Differences"), lambda t: len(t.differences)),
            column(_l("Keeper"), lambda t: name_of(t.keeper)),
            moment(_l("Keeper signed at"), "keeper_signed_at"),
            column(_l("Signed by"), lambda t: name_of(t.signed_by)),
            moment(_l("Signed at"), "signed_at"),
        ),
        flag=lambda t: "" if t.is_signed else str(_l("not signed")),
        locks=SIGNATURE,
        # In the evidence of the period it was counted in (a month's count is at its end).
        day_attribute="counted_on",
        loads=("lines", "keeper", "signed_by"),
    ),
    Ledger(
        "temperature_readings",
        TemperatureReading,
        _l("Fridge and freezer temperatures"),
        _l("Temperature reading"),
        TemperatureReadingAdmin,
        "storeroom.record_temperatures",
        "storeroom",
        (
            column(_l("Date"), lambda r: iso(r.day)),
            column(_l("Fridge or freezer"), lambda r: r.unit.name),
            column(_l("Reading of the day"), lambda r: r.round),
            column(_l("Temperature (℃)"), lambda r: r.temperature_c),
            column(_l("Range"), lambda r: r.unit.range_text),
            column(_l("Action taken"), lambda r: r.action),
            column(_l("Read by"), lambda r: name_of(r.read_by)),
        ),
        flag=lambda r: str(_l("out of range")) if r.out_of_range else "",
        raises_tasks=True,
        loads=("unit", "read_by"),
    ),
)

LEDGERS += (
    Ledger(
        "enrolment_changes",
        EnrolmentChange,
        _l("Enrolment changes"),
        _l("Enrolment change"),
        EnrolmentChangeAdmin,
        "nutrition.list_changes",
        "nutrition",
        (
            column(_l("Effective from"), lambda c: iso(c.effective_on)),
            column(_l("Register number"), lambda c: c.student.register_number),
            column(_l("Student"), lambda c: c.student.name),
            column(_l("Class"), lambda c: c.student.class_name),
            column(_l("Change"), lambda c: label(c.kind)),
            column(_l("Document"), lambda c: c.document_ref),
            column(_l("Recorded by"), lambda c: name_of(c.recorded_by)),
            column(_l("Recorded on"), lambda c: iso(c.day)),
            column(_l("Checked by"), lambda c: name_of(c.checked_by)),
        ),
        flag=lambda c: "" if c.checked_by_id else str(_l("not checked by a second person")),
        loads=("student", "recorded_by", "checked_by"),
    ),
    Ledger(
        "daily_reports",
        DailyReport,
        _l("Daily nutrition reports"),
        _l("Daily nutrition report"),
        DailyReportAdmin,
        "nutrition.list_reports",
        "nutrition",
        (
            column(_l("Date"), lambda r: iso(r.day)),
            column(_l("Eligible students"), lambda r: r.eligible),
            column(_l("Diners at breakfast"), lambda r: r.breakfast_diners if r.breakfast_diners is not None else ""),
            column(_l("Diners at lunch"), lambda r: r.lunch_diners if r.lunch_diners is not None else ""),
            column(_l("Diners at dinner"), lambda r: r.dinner_diners if r.dinner_diners is not None else ""),
            column(_l("Platform reference"), lambda r: r.platform_ref),
            column(_l("Reported by"), lambda r: name_of(r.reported_by)),
        ),
        flag=lambda r: str(_l("after the cut-off")) if r.late else "",
        loads=("reported_by",),
    ),
    Ledger(
        "subsidy_charges",
        SubsidyCharge,
        _l("Other spending charged to the subsidy"),
        _l("Spending charged to the subsidy"),
        SubsidyChargeAdmin,
        "nutrition.show_reconciliation",
        "nutrition",
        (
            column(_l("Paid on"), lambda c: iso(c.day)),
            column(_l("Spent on"), lambda c: label(c.category)),
            column(_l("What was bought"), lambda c: c.description),
            column(_l("Amount (yuan)"), lambda c: money(c.amount)),
            column(_l("Voucher number"), lambda c: c.voucher),
            column(_l("Recorded by"), lambda c: name_of(c.recorded_by)),
        ),
        loads=("recorded_by",),
    ),
    Ledger(
        "reconciliations",
        Reconciliation,
        _l("Monthly subsidy reconciliations"),
        _l("Monthly subsidy reconciliation"),
        ReconciliationAdmin,
        "nutrition.show_reconciliation",
        "nutrition",
        (
            column(_l("Month"), lambda r: r.month.strftime("%Y-%m")),
            column(_l("Eligible student-days"), lambda r: r.student_days),
            column(_l("Subsidy (yuan)"), lambda r: money(r.entitlement)),
            column(_l("Food issued (yuan)"), lambda r: money(r.spending)),
            column(_l("Other spending charged (yuan)"), lambda r: money(r.other_spending)),
            column(_l("Difference (yuan)"), lambda r: money(r.difference)),
            column(_l("Explanation"), lambda r: r.explanation),
            column(_l("Signed by"), lambda r: name_of(r.signed_by)),
            moment(_l("Signed at"), "signed_at"),
        ),
        flag=lambda r: "；".join(str(t) for t in (r.verdict, None if r.is_signed else _l("not signed")) if t),
        locks=SIGNATURE,
        day_attribute="month",
        loads=("signed_by",),
    ),
)


def _deductions(check):
    return "；".join(
        f"{d['item']} −{d['points']}" + (f"（{d['note']}）" if d.get("note") else "") for d in check.deductions
    )


LEDGERS += (
    Ledger(
        "dorm_checks",
        DormCheck,
        _l("Dormitory checks"),
        _l("Dormitory check"),
        DormCheckAdmin,
        "dormitory.show_day",
        "dormitory",
        (
            column(_l("Date"), lambda c: iso(c.day)),
            column(_l("Dormitory room"), lambda c: str(c.room)),
            column(_l("Housekeeping score"), lambda c: f"{c.score}/{c.full_score}"),
            column(_l("Deductions"), _deductions),
            column(_l("Note"), lambda c: c.note),
            column(_l("Room checked by"), lambda c: name_of(c.checked_by)),
        ),
        flag=lambda c: str(_l("below the coaching line")) if c.score < c.school.settings.dorm_coaching_below else "",
        loads=("room", "checked_by", "school"),
    ),
    Ledger(
        "dorm_coachings",
        DormCoaching,
        _l("Dormitory coaching"),
        _l("Coaching of a dormitory room"),
        DormCoachingAdmin,
        "dormitory.show_ranking",
        "dormitory",
        (
            column(_l("Date"), lambda c: iso(c.day)),
            column(_l("Dormitory room"), lambda c: str(c.room)),
            column(_l("What was shown"), lambda c: c.notes),
            column(_l("Coached by"), lambda c: name_of(c.coached_by)),
        ),
        loads=("room", "coached_by"),
    ),
)


BY_KEY = {ledger.key: ledger for ledger in LEDGERS}
BY_MODEL = {ledger.model: ledger for ledger in LEDGERS}


def of(record):
    return BY_MODEL[type(record)]


def in_section(section):
    return [ledger for ledger in LEDGERS if ledger.section == section]
