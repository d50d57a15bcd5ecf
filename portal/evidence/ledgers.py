"""The canteen's ledgers as two sections of the period evidence, built from the registry
(portal/ledgers.py). What is missing comes first: completeness per canteen day and the
workers kept off duty; the weekly and monthly cadence and the parents' meals. Then every
ledger of the section as a table (and a workbook sheet) with amended values beside the
original and withdrawn records said so, and the list of every amendment of the period."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from .. import ledgers as registry
from ..services import calendar as school_calendar
from ..services import food_safety, ledgers
from ..services.canteen_board import meal_gaps
from ..services.compliance import parent_meals as count_parent_meals
from ..timeutil import school_today
from .parts import Part, Sheet, iso, school_time, sheet


@dataclass
class LedgerDay:
    """One canteen day of the period: per served meal, the menu, samples and disinfection."""

    day: date
    meals: list

    @property
    def gaps(self):
        return [gap for meal in self.meals for gap in meal.gaps]


@dataclass
class LedgerMeal:
    meal: object
    dishes: int
    sampled: int
    reviewed: int
    disinfected: bool
    accompanied: bool

    @property
    def gaps(self):
        labels = {
            "menu": _l("no menu"),
            "samples": _l("%(n)d dishes without sample", n=self.dishes - self.sampled),
            "review": _l("%(n)d samples not reviewed", n=self.sampled - self.reviewed),
            "disinfection": _l("no tableware disinfection"),
            "accompanied": _l("no accompanied meal"),
        }
        gaps = meal_gaps(self.dishes, self.sampled, self.disinfected, self.accompanied, self.reviewed)
        return [f"{self.meal.label}: {labels[gap]}" for gap in gaps]


@dataclass
class Tables:
    """The ledgers of one section over the period."""

    records: dict  # ledger key -> its records, oldest first
    sheets: list
    amendments: list  # rows of the amendments sheet

    def standing(self, key):
        return [record for record in self.records[key] if not record.is_withdrawn]


def ledger_tables(section_key, scope):
    school = scope.school
    found, sheets, amendments = {}, [], []
    for ledger in registry.in_section(section_key):
        records = ledger.records(school.id, scope.first, scope.last)
        found[ledger.key] = records
        amended = ledgers.amendments_of(ledger.key, [record.id for record in records])
        corrected = {
            record.id: ledgers.Corrected(record, ledgers.corrected_values(amended[record.id]))
            for record in records
            if record.id in amended
        }
        sheets.append(ledger.sheet(records, school, corrected))
        by_id = {record.id: record for record in records}
        amendments += [
            _amendment_row(ledger, by_id[record_id], amendment, school)
            for record_id, record_amendments in amended.items()
            for amendment in record_amendments
        ]
    return Tables(found, sheets, amendments)


def _amendment_row(ledger, record, amendment, school):
    return [
        str(ledger.name),
        iso(record.ledger_day),
        str(record),
        ledgers.changes_text(record, amendment),
        amendment.reason,
        amendment.author.display_name,
        school_time(amendment.created_at, school),
    ]


def _amendments_sheet(rows):
    headers = [_l("Ledger"), _l("Date"), _l("Record"), _l("Correction"), _l("Reason"), _l("By"), _l("At")]
    return sheet(_l("Amendments"), headers, rows)


def ledger_part(section, tables, summary, workbook_only=(), leading=(), **context):
    """The section: in the bundle its summary, ``context``, the ``leading`` tables and the
    ledgers' tables; in the workbook the same tables as sheets, after ``workbook_only``."""
    shown = [*leading, *tables.sheets, _amendments_sheet(tables.amendments)]
    return Part(
        section.key,
        section.title,
        "evidence/section_ledgers.html",
        {"summary": summary, "tables": shown, **context},
        sheets=[*workbook_only, *shown],
        records={key: [record.id for record in records] for key, records in tables.records.items()},
    )


# --- the canteen: completeness per day, and the daily ledgers -------------------------------


def _canteen_days(scope, tables):
    menu = defaultdict(list)
    for dish in tables.standing("menu_dishes"):
        menu[dish.day, dish.meal].append(dish)
    disinfected = {(record.day, record.meal) for record in tables.standing("tableware_disinfections")}
    accompanied = {(record.day, record.meal) for record in ledger_records("accompanied_meals", scope)}
    calendar = school_calendar.load(scope.school.id, scope.first, scope.last)
    last_complete_day = min(scope.last, school_today(scope.school) - timedelta(days=1))
    days = []
    for day in school_calendar.days_between(scope.first, last_complete_day):
        if not calendar.is_canteen_day(day):
            continue
        meals = []
        for meal in scope.school.settings.meals():
            samples = [dish.standing_samples for dish in menu[day, meal]]
            meals.append(
                LedgerMeal(
                    meal,
                    len(menu[day, meal]),
                    sum(1 for kept in samples if kept),
                    sum(1 for kept in samples if kept and all(sample.reviewed_by_id for sample in kept)),
                    (day, meal) in disinfected,
                    (day, meal) in accompanied,
                )
            )
        days.append(LedgerDay(day, meals))
    return days


def ledger_records(key, scope):
    """The standing records of one ledger over the period (for a count of another section)."""
    records = registry.BY_KEY[key].records(scope.school.id, scope.first, scope.last)
    return [record for record in records if not record.is_withdrawn]


def build_canteen(section, scope):
    tables = ledger_tables("canteen", scope)
    days = _canteen_days(scope, tables)
    gap_days = [day for day in days if day.gaps]
    off_duty = [check for check in tables.standing("morning_checks") if not check.on_duty]
    days_sheet = Sheet(
        str(_l("Canteen days")),
        [
            str(header)
            for header in (
                _l("Date"),
                _l("Meal"),
                _l("Dishes"),
                _l("Samples"),
                _l("Reviewed"),
                _l("Disinfected"),
                _l("Accompanied meal"),
            )
        ],
        [
            [
                iso(day.day),
                str(m.meal.label),
                m.dishes,
                m.sampled,
                m.reviewed,
                registry.yes_no(m.disinfected),
                registry.yes_no(m.accompanied),
            ]
            for day in days
            for m in day.meals
        ],
    )
    summary = [
        (
            _l("%(complete)d of %(total)d canteen days complete.", complete=len(days) - len(gap_days), total=len(days)),
            "",
        )
    ]
    return ledger_part(section, tables, summary, workbook_only=[days_sheet], days=gap_days, off_duty=off_duty)


# --- meals, rooms, purchases and the food-safety meetings -----------------------------------


def build_food_safety(section, scope):
    school = scope.school
    tables = ledger_tables("food_safety", scope)
    cadence = food_safety.cadence(school, scope.first, scope.last)
    parent_meals = count_parent_meals(school, scope.last)
    flagged = [delivery for delivery in tables.standing("deliveries") if registry.BY_KEY["deliveries"].flag(delivery)]
    summary = [
        (
            _l(
                "Weekly risk reports signed: %(done)d of %(weeks)d ended school weeks.",
                done=len(cadence.weeks) - len(cadence.weeks_missing),
                weeks=len(cadence.weeks),
            ),
            "、".join(iso(monday) for monday in cadence.weeks_missing),
        ),
        (
            _l(
                "Weekly meetings held: %(done)d of %(weeks)d ended school weeks.",
                done=len(cadence.weeks) - len(cadence.meetings_missing),
                weeks=len(cadence.weeks),
            ),
            "、".join(iso(monday) for monday in cadence.meetings_missing),
        ),
        (
            _l(
                "Monthly dispatch meetings signed: %(done)d of %(months)d ended months.",
                done=len(cadence.months) - len(cadence.months_missing),
                months=len(cadence.months),
            ),
            "、".join(month.strftime("%Y-%m") for month in cadence.months_missing),
        ),
        (
            _l(
                "Parent accompanied meals in the semester: %(held)d, expected %(expected)d.",
                held=parent_meals.held,
                expected=parent_meals.expected,
            ),
            "" if parent_meals.ok else str(_l("fewer than expected")),
        ),
        (
            _l("Deliveries with something flagged (licence, ticket, quarantine, rejected): %(n)d.", n=len(flagged)),
            "、".join(iso(delivery.day) for delivery in flagged) or "",
        ),
    ]
    return ledger_part(section, tables, summary)
