"""Meals, rooms, purchases and the food-safety meetings as a section of the period evidence:
the weekly and monthly cadence and the parents' meals first, then each ledger's table."""

from flask_babel import lazy_gettext as _l

from ..models.accompanied_meal import AccompaniedMeal, ParentMeal
from ..models.complaint import Complaint
from ..models.drill import EmergencyDrill
from ..models.food_safety import DispatchMeeting, RiskReport
from ..models.hygiene import PREVENTIONS, PreventionCheck, RoomDisinfection
from ..models.incident import FoodIncident
from ..models.pesticide import PesticideTest
from ..models.purchasing import Delivery
from ..models.supplier_review import SupplierEvaluation
from ..models.survey import SurveyAction
from ..services import food_safety, purchasing, subsidy_county, survey_requirement
from ..services.compliance import parent_meals as count_parent_meals
from .ledgers import ledger_part, ledger_tables
from .parts import iso, sheet
from .tables import TABLES, Table, column, flags, label, moment, name_of, register, yes_no


def build_food_safety(section, scope):
    school = scope.school
    tables = ledger_tables("food_safety", scope)
    cadence = food_safety.cadence(school, scope.first, scope.last)
    parent_meals = count_parent_meals(school, scope.last)
    flagged = [delivery for delivery in tables.standing("deliveries") if TABLES["deliveries"].flag(delivery)]
    director = subsidy_county.food_safety_director_check(school.id, scope.first, scope.last)
    terms = survey_requirement.terms_of_period(school.id, scope.first, scope.last)
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
        _pesticide_line(tables.standing("pesticide_tests")),
        (
            _l(
                "Most diners at a lunch: %(n)d; a food-safety director (食品安全总监) from %(least)d: %(state)s.",
                n=director.most_diners,
                least=subsidy_county.DIRECTOR_FROM_DINERS,
                state=director.state,
            ),
            str(director.state) if director.missing else "",
        ),
    ]
    summary += [_semester_surveys_line(school, term) for term in terms]
    surveys_sheet = sheet(
        _l("Surveys"),
        (_l("Term"), _l("Title"), _l("Asked"), _l("People asked"), _l("Answers"), _l("Closes on")),
        [_survey_row(survey, answers) for survey, answers in survey_requirement.surveys_with_answers(school.id, terms)],
    )
    return ledger_part(section, tables, summary, leading=[surveys_sheet])


def _pesticide_line(tests):
    positive = [test for test in tests if test.positive]
    return (
        _l("Pesticide rapid tests: %(n)d, positive %(positive)d.", n=len(tests), positive=len(positive)),
        "、".join(f"{iso(test.day)} {test.delivery_item.name}：{test.action}" for test in positive),
    )


def _survey_row(survey, answers):
    return [
        survey.term.name,
        survey.title,
        survey.audience_text,
        survey.audience_size,
        answers,
        iso(survey.closes_on),
    ]


def _semester_surveys_line(school, term):
    semester = survey_requirement.of_term(school, term)
    return (
        _l(
            "Surveys of %(term)s: %(held)d of %(wanted)d answered "
            "(of students and staff %(staff)d, of parents %(parents)d).",
            term=term.name,
            held=semester.held,
            wanted=semester.wanted,
            staff=semester.held_for("staff_and_students"),
            parents=semester.held_for("parents"),
        ),
        "、".join(str(group) for group in semester.missing_groups),
    )


def _goods(delivery):
    """An item a line, its batch or production date on a line of its own: a date inside
    wrapping Chinese text would break after any digit."""

    def one(item):
        made = item.batch or iso(item.production_date) or ""
        what = " ".join(part for part in (item.name, item.specification, f"{item.quantity}{item.unit}") if part)
        return f"{what}\n{made}" if made else what

    return "\n".join(one(item) for item in delivery.items)


def _delivery_flags(delivery):
    return flags(*purchasing.flags(delivery))


register(
    Table(
        "accompanied_meals",
        "food_safety",
        (
            column(AccompaniedMeal.day, lambda m: iso(m.day)),
            column(AccompaniedMeal.meal, lambda m: label(m.meal)),
            column(AccompaniedMeal.leader, lambda m: name_of(m.leader)),
            column(AccompaniedMeal.taste, lambda m: label(m.taste)),
            column(AccompaniedMeal.temperature, lambda m: label(m.temperature)),
            column(AccompaniedMeal.hygiene, lambda m: label(m.hygiene)),
            column(AccompaniedMeal.quantity, lambda m: label(m.quantity)),
            column(AccompaniedMeal.dishes_tasted, lambda m: m.dishes_tasted),
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
            column(ParentMeal.day, lambda p: iso(p.day)),
            column(ParentMeal.meal, lambda p: label(p.meal)),
            column(ParentMeal.parent_name, lambda p: p.parent_name),
            column(ParentMeal.class_name, lambda p: p.class_name),
            column(ParentMeal.feedback, lambda p: p.feedback),
        ),
    )
)

register(
    Table(
        "survey_actions",
        "food_safety",
        (
            column(SurveyAction.day, lambda a: iso(a.day)),
            column(SurveyAction.survey, lambda a: a.survey.title),
            column(SurveyAction.action, lambda a: a.action),
            column(SurveyAction.dish, lambda a: a.dish),
            column(SurveyAction.recorded_by, lambda a: name_of(a.recorded_by)),
        ),
        loads=("survey", "recorded_by"),
    )
)

register(
    Table(
        "room_disinfections",
        "food_safety",
        (
            column(RoomDisinfection.day, lambda r: iso(r.day)),
            column(RoomDisinfection.room, lambda r: r.room.name),
            column(_l("How"), lambda r: r.method),
            column(RoomDisinfection.done_by, lambda r: name_of(r.done_by)),
        ),
        loads=("room", "done_by"),
    )
)

register(
    Table(
        "prevention_checks",
        "food_safety",
        (
            column(PreventionCheck.day, lambda c: iso(c.day)),
            column(PreventionCheck.room, lambda c: c.room.name),
            *(column(title, lambda c, key=key: yes_no(getattr(c, key))) for key, title in PREVENTIONS.items()),
            column(PreventionCheck.checked_by, lambda c: name_of(c.checked_by)),
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
            column(Delivery.day, lambda d: iso(d.day)),
            column(Delivery.supplier, lambda d: d.supplier.name),
            column(_l("Licence number"), lambda d: d.supplier.licence_number),
            column(Delivery.bulk, lambda d: yes_no(d.bulk)),
            column(_l("Goods"), _goods),
            column(Delivery.acceptors, lambda d: "、".join(person.display_name for person in d.acceptors)),
            column(_l("Tickets"), lambda d: len(d.tickets)),
            column(Delivery.result, lambda d: label(d.result)),
        ),
        flag=_delivery_flags,
        loads=("supplier", "acceptors", "items", "tickets"),
    )
)

register(
    Table(
        "pesticide_tests",
        "food_safety",
        (
            column(PesticideTest.day, lambda t: iso(t.day)),
            column(_l("Supplier"), lambda t: t.delivery_item.delivery.supplier.name),
            column(PesticideTest.delivery_item, lambda t: t.delivery_item.name),
            column(PesticideTest.method, lambda t: label(t.method)),
            column(
                PesticideTest.inhibition_percent,
                lambda t: "" if t.inhibition_percent is None else t.inhibition_percent,
            ),
            column(PesticideTest.positive, lambda t: yes_no(t.positive)),
            column(PesticideTest.action, lambda t: t.action),
            column(PesticideTest.tested_by, lambda t: name_of(t.tested_by)),
        ),
        flag=lambda t: str(_l("positive")) if t.positive else "",
        loads=("delivery_item", "tested_by"),
    )
)

register(
    Table(
        "supplier_evaluations",
        "food_safety",
        (
            column(SupplierEvaluation.day, lambda e: iso(e.day)),
            column(SupplierEvaluation.supplier, lambda e: e.supplier.name),
            column(SupplierEvaluation.total, lambda e: e.total),
            column(SupplierEvaluation.delivery_record, lambda e: e.delivery_record),
            column(SupplierEvaluation.note, lambda e: e.note),
            column(SupplierEvaluation.evaluated_by, lambda e: name_of(e.evaluated_by)),
        ),
        flag=lambda e: "" if e.passed else str(_l("did not pass")),
        loads=("supplier", "evaluated_by"),
    )
)

register(
    Table(
        "emergency_drills",
        "food_safety",
        (
            column(EmergencyDrill.day, lambda d: iso(d.day)),
            column(EmergencyDrill.plan, lambda d: d.plan.title),
            column(EmergencyDrill.scenario, lambda d: d.scenario),
            column(EmergencyDrill.participants, lambda d: d.participants),
            column(EmergencyDrill.participant_count, lambda d: d.participant_count),
            column(EmergencyDrill.findings, lambda d: d.findings),
            column(EmergencyDrill.recorded_by, lambda d: name_of(d.recorded_by)),
        ),
        flag=lambda d: d.findings,
        loads=("plan", "recorded_by"),
    )
)

register(
    Table(
        "food_incidents",
        "food_safety",
        (
            moment(FoodIncident.found_at, "found_at"),
            column(FoodIncident.ill_count, lambda i: i.ill_count),
            column(FoodIncident.what_happened, lambda i: i.what_happened),
            column(FoodIncident.actions, lambda i: i.actions),
            column(FoodIncident.sealed, lambda i: i.sealed),
            moment(FoodIncident.education_told_at, "education_told_at"),
            moment(FoodIncident.market_told_at, "market_told_at"),
            column(FoodIncident.follow_up, lambda i: i.follow_up),
            column(FoodIncident.signed_by, lambda i: name_of(i.signed_by)),
        ),
        flag=lambda i: flags(
            _l("offices told later than 2 hours") if i.late() else None,
            None if i.is_signed else _l("not signed"),
        ),
        loads=("signed_by",),
    )
)

register(
    Table(
        "complaints",
        "food_safety",
        (
            moment(Complaint.received_at, "received_at"),
            column(Complaint.text, lambda c: c.text),
            moment(Complaint.signed_at, "signed_at"),
            column(Complaint.answer, lambda c: c.answer),
            column(Complaint.problem, lambda c: c.problem),
            column(Complaint.signed_by, lambda c: name_of(c.signed_by)),
        ),
        flag=lambda c: flags(
            _l("answered later than 3 days") if c.late() else None,
            None if c.is_answered else _l("not answered"),
        ),
        loads=("signed_by",),
    )
)

register(
    Table(
        "risk_reports",
        "food_safety",
        (
            column(RiskReport.week_start, lambda r: iso(r.week_start)),
            column(RiskReport.risks_found, lambda r: r.risks_found),
            column(RiskReport.measures, lambda r: r.measures),
            column(RiskReport.signed_by, lambda r: name_of(r.signed_by)),
            moment(RiskReport.signed_at, "signed_at"),
        ),
        loads=("signed_by",),
    )
)

register(
    Table(
        "dispatch_meetings",
        "food_safety",
        (
            column(DispatchMeeting.held_on, lambda m: iso(m.held_on)),
            column(DispatchMeeting.attendees, lambda m: m.attendees),
            column(DispatchMeeting.issues, lambda m: m.issues),
            column(DispatchMeeting.decisions, lambda m: m.decisions),
            column(DispatchMeeting.signed_by, lambda m: name_of(m.signed_by)),
            moment(DispatchMeeting.signed_at, "signed_at"),
        ),
        loads=("signed_by",),
    )
)
