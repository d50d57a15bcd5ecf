"""The canteen's other ledgers as a section of the period evidence: accompanied meals,
rooms (disinfection, four preventions), purchase acceptance, and the weekly and monthly
food-safety records, each a table in the bundle and a sheet in the workbook; whatever is
flagged or missing is said first."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models.accompanied_meal import AccompaniedMeal, ParentMeal
from ..models.food_safety import DispatchMeeting, RiskReport
from ..models.hygiene import PREVENTIONS, PreventionCheck, RoomDisinfection
from ..models.purchasing import Delivery, DeliveryResult
from ..services import food_safety
from ..services.compliance import parent_meals as count_parent_meals
from .ledgers import yes_no
from .parts import Part, Sheet, iso, school_time


def _in_period(model, column, scope, *options):
    return db.session.scalars(
        sa.select(model)
        .where(model.school_id == scope.school.id, column.between(scope.first, scope.last))
        .options(*options)
        .order_by(column, model.id)
    ).all()


def _headers(*labels):
    return [str(label) for label in labels]


def _item_text(item):
    made = item.batch or iso(item.production_date) or ""
    return " ".join(part for part in (item.name, item.specification, f"{item.quantity}{item.unit}", made) if part)


def build_food_safety(section, scope):
    school = scope.school
    meals = _in_period(AccompaniedMeal, AccompaniedMeal.day, scope, selectinload(AccompaniedMeal.leader))
    parents = _in_period(ParentMeal, ParentMeal.day, scope)
    disinfections = _in_period(
        RoomDisinfection,
        RoomDisinfection.day,
        scope,
        selectinload(RoomDisinfection.room),
        selectinload(RoomDisinfection.done_by),
    )
    checks = _in_period(
        PreventionCheck,
        PreventionCheck.day,
        scope,
        selectinload(PreventionCheck.room),
        selectinload(PreventionCheck.checked_by),
    )
    deliveries = _in_period(
        Delivery,
        Delivery.day,
        scope,
        selectinload(Delivery.supplier),
        selectinload(Delivery.acceptors),
        selectinload(Delivery.items),
        selectinload(Delivery.tickets),
    )
    reports = _in_period(RiskReport, RiskReport.week_start, scope, selectinload(RiskReport.signed_by))
    meetings = _in_period(DispatchMeeting, DispatchMeeting.held_on, scope, selectinload(DispatchMeeting.signed_by))
    cadence = food_safety.cadence(school, scope.first, scope.last)
    parent_meals = count_parent_meals(school, scope.last)

    def delivery_flags(delivery):
        flags = []
        if delivery.licence_expired:
            flags.append(str(_l("licence expired")))
        if delivery.result is DeliveryResult.REJECTED:
            flags.append(f"{_l('Rejected')}：{delivery.rejection_reason}")
        return "；".join(flags)

    sheets = [
        Sheet(
            str(_l("Accompanied meals")),
            _headers(
                _l("Date"),
                _l("Meal"),
                _l("Leader"),
                _l("Taste"),
                _l("Temperature"),
                _l("Hygiene"),
                _l("Portion size"),
                _l("Dishes tasted"),
                _l("Problems found"),
            ),
            [
                [
                    iso(m.day),
                    str(m.meal.label),
                    m.leader.display_name,
                    str(m.taste.label),
                    str(m.temperature.label),
                    str(m.hygiene.label),
                    str(m.quantity.label),
                    m.dishes_tasted,
                    m.problems,
                ]
                for m in meals
            ],
            flag_column=8,
        ),
        Sheet(
            str(_l("Parent accompanied meals")),
            _headers(_l("Date"), _l("Meal"), _l("Parent"), _l("Class"), _l("Feedback")),
            [[iso(p.day), str(p.meal.label), p.parent_name, p.class_name, p.feedback] for p in parents],
        ),
        Sheet(
            str(_l("Room disinfection")),
            _headers(_l("Date"), _l("Room"), _l("How"), _l("Done by")),
            [[iso(r.day), r.room.name, r.method, r.done_by.display_name] for r in disinfections],
        ),
        Sheet(
            str(_l("Four preventions")),
            _headers(_l("Date"), _l("Room"), *PREVENTIONS.values(), _l("Checker"), _l("Problems found")),
            [
                [
                    iso(c.day),
                    c.room.name,
                    *(yes_no(getattr(c, key)) for key in PREVENTIONS),
                    c.checked_by.display_name,
                    c.problems,
                ]
                for c in checks
            ],
            flag_column=7,
        ),
        Sheet(
            str(_l("Purchase acceptance")),
            _headers(
                _l("Date"),
                _l("Supplier"),
                _l("Licence number"),
                _l("Bulk ingredients"),
                _l("Goods"),
                _l("Accepted by"),
                _l("Tickets"),
                _l("Result"),
                _l("Flags"),
            ),
            [
                [
                    iso(d.day),
                    d.supplier.name,
                    d.supplier.licence_number,
                    yes_no(d.bulk),
                    "；".join(_item_text(item) for item in d.items),
                    "、".join(person.display_name for person in d.acceptors),
                    len(d.tickets),
                    str(d.result.label),
                    delivery_flags(d),
                ]
                for d in deliveries
            ],
            flag_column=8,
        ),
        Sheet(
            str(_l("Weekly risk reports")),
            _headers(_l("Week of"), _l("Risks found"), _l("Measures"), _l("Signed by"), _l("Signed at")),
            [
                [
                    iso(r.week_start),
                    r.risks_found,
                    r.measures,
                    r.signed_by.display_name if r.signed_by else "",
                    school_time(r.signed_at, school),
                ]
                for r in reports
            ],
        ),
        Sheet(
            str(_l("Monthly dispatch meetings")),
            _headers(_l("Held on"), _l("Attendees"), _l("Issues"), _l("Decisions"), _l("Signed by"), _l("Signed at")),
            [
                [
                    iso(m.held_on),
                    m.attendees,
                    m.issues,
                    m.decisions,
                    m.signed_by.display_name if m.signed_by else "",
                    school_time(m.signed_at, school),
                ]
                for m in meetings
            ],
        ),
    ]
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
    ]
    return Part(
        section.key,
        section.title,
        "evidence/section_sheets.html",
        {"summary": summary},
        sheets=sheets,
        records={
            "accompanied_meals": [m.id for m in meals],
            "parent_meals": [p.id for p in parents],
            "room_disinfections": [r.id for r in disinfections],
            "prevention_checks": [c.id for c in checks],
            "deliveries": [d.id for d in deliveries],
            "risk_reports": [r.id for r in reports],
            "dispatch_meetings": [m.id for m in meetings],
        },
    )
