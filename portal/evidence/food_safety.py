"""Meals, rooms, purchases and the food-safety meetings as a section of the period evidence:
the weekly and monthly cadence and the parents' meals first, then each ledger's table."""

from flask_babel import lazy_gettext as _l

from ..models.hygiene import PREVENTIONS
from ..services import food_safety, purchasing
from ..services.compliance import parent_meals as count_parent_meals
from .ledgers import ledger_part, ledger_tables
from .parts import iso
from .tables import TABLES, Table, column, label, moment, name_of, register, yes_no


def build_food_safety(section, scope):
    school = scope.school
    tables = ledger_tables("food_safety", scope)
    cadence = food_safety.cadence(school, scope.first, scope.last)
    parent_meals = count_parent_meals(school, scope.last)
    flagged = [delivery for delivery in tables.standing("deliveries") if TABLES["deliveries"].flag(delivery)]
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


def _goods(delivery):
    def one(item):
        made = item.batch or iso(item.production_date) or ""
        return " ".join(part for part in (item.name, item.specification, f"{item.quantity}{item.unit}", made) if part)

    return "；".join(one(item) for item in delivery.items)


def _delivery_flags(delivery):
    return "；".join(str(text) for text in purchasing.flags(delivery))


register(
    Table(
        "accompanied_meals",
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
        loads=("leader",),
    )
)

register(
    Table(
        "parent_meals",
        "food_safety",
        (
            column(_l("Date"), lambda p: iso(p.day)),
            column(_l("Meal"), lambda p: label(p.meal)),
            column(_l("Parent"), lambda p: p.parent_name),
            column(_l("Class"), lambda p: p.class_name),
            column(_l("Feedback"), lambda p: p.feedback),
        ),
    )
)

register(
    Table(
        "survey_actions",
        "food_safety",
        (
            column(_l("Date"), lambda a: iso(a.day)),
            column(_l("Survey"), lambda a: a.survey.title),
            column(_l("What the canteen did"), lambda a: a.action),
            column(_l("The dish it concerns"), lambda a: a.dish),
            column(_l("Recorded by"), lambda a: name_of(a.recorded_by)),
        ),
        loads=("survey", "recorded_by"),
    )
)

register(
    Table(
        "room_disinfections",
        "food_safety",
        (
            column(_l("Date"), lambda r: iso(r.day)),
            column(_l("Room"), lambda r: r.room.name),
            column(_l("How"), lambda r: r.method),
            column(_l("Done by"), lambda r: name_of(r.done_by)),
        ),
        loads=("room", "done_by"),
    )
)

register(
    Table(
        "prevention_checks",
        "food_safety",
        (
            column(_l("Date"), lambda c: iso(c.day)),
            column(_l("Room"), lambda c: c.room.name),
            *(column(title, lambda c, key=key: yes_no(getattr(c, key))) for key, title in PREVENTIONS.items()),
            column(_l("Checker"), lambda c: name_of(c.checked_by)),
        ),
        flag=lambda c: c.problems,
        loads=("room", "checked_by"),
    )
)

register(
    Table(
        "deliveries",
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
        loads=("supplier", "acceptors", "items", "tickets"),
    )
)

register(
    Table(
        "risk_reports",
        "food_safety",
        (
            column(_l("Week of"), lambda r: iso(r.week_start)),
            column(_l("Risks found"), lambda r: r.risks_found),
            column(_l("Measures"), lambda r: r.measures),
            column(_l("Signed by"), lambda r: name_of(r.signed_by)),
            moment(_l("Signed at"), "signed_at"),
        ),
        loads=("signed_by",),
    )
)

register(
    Table(
        "dispatch_meetings",
        "food_safety",
        (
            column(_l("Held on"), lambda m: iso(m.held_on)),
            column(_l("Attendees"), lambda m: m.attendees),
            column(_l("Issues"), lambda m: m.issues),
            column(_l("Decisions"), lambda m: m.decisions),
            column(_l("Signed by"), lambda m: name_of(m.signed_by)),
            moment(_l("Signed at"), "signed_at"),
        ),
        loads=("signed_by",),
    )
)
