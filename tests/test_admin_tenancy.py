"""Cross-school probes on every admin view: a user of one school, with full rights in
their own school, tries to reach a record of another school through the list, the
details, the edit form, delete, export, bulk actions and the relationship pickers.
Every probe must come back empty or 404."""

import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.admin import all_views
from portal.extensions import db
from portal.models import CertificateKind, RectificationTask, Role, SchoolSettings
from tests import factories
from tests.conftest import login

# endpoint -> (role that can manage it in its own school, record maker, marker text in the record)
PROBES = {
    "rules": (Role.SCHOOL_ADMIN, lambda s: factories.create_rule(s, title="外校秘密制度"), "外校秘密制度"),
    "rule_versions": (
        Role.SCHOOL_ADMIN,
        lambda s: factories.create_rule(s, title="外校秘密制度").versions[0],
        "外校秘密制度",
    ),
    "rule_acknowledgements": (Role.SCHOOL_ADMIN, lambda s: _acknowledgement(s), "外校工友"),
    "training_sessions": (
        Role.SCHOOL_ADMIN,
        lambda s: factories.create_training(s, title="外校秘密培训"),
        "外校秘密培训",
    ),
    "certificates": (
        Role.SCHOOL_ADMIN,
        lambda s: factories.create_certificate(_staff(s), number="SECRET-42"),
        "SECRET-42",
    ),
    "certificate_kinds": (Role.SCHOOL_ADMIN, lambda s: _kind(s), "外校特种证"),
    "inspection_records": (
        Role.DIRECTOR,
        lambda s: factories.create_inspection(_staff(s, Role.DIRECTOR), finding=True),
        "外校工友",
    ),
    "users": (Role.SCHOOL_ADMIN, lambda s: _staff(s), "外校工友"),
    "school_settings": (Role.SCHOOL_ADMIN, lambda s: db.session.get(SchoolSettings, s.id), "第二中学"),
    "audit_events": (Role.SCHOOL_ADMIN, lambda s: _audit_event(s), "外校工友"),
    "menu_dishes": (Role.SCHOOL_ADMIN, lambda s: _dish(s), "外校秘密菜"),
    "food_samples": (
        Role.SCHOOL_ADMIN,
        lambda s: factories.create_sample(_dish(s), _staff(s), label="外校留样盒"),
        "外校留样盒",
    ),
    "tableware_disinfections": (Role.DIRECTOR, lambda s: _disinfection(s), "外校工友"),
    "morning_checks": (Role.DIRECTOR, lambda s: _morning_check(s), "外校工友"),
    "accompanied_meals": (Role.PRINCIPAL, lambda s: _accompanied(s), "外校工友"),
    "parent_meals": (Role.SCHOOL_ADMIN, lambda s: _parent_meal(s), "外校家长"),
    "canteen_rooms": (Role.SCHOOL_ADMIN, lambda s: factories.create_room(s, "外校秘密库房"), "外校秘密库房"),
    "cabinets": (Role.SCHOOL_ADMIN, lambda s: factories.create_cabinet(s, "外校秘密专柜"), "外校秘密专柜"),
    "room_disinfections": (
        Role.DIRECTOR,
        lambda s: factories.disinfect_room(factories.create_room(s, "外校秘密库房"), _staff(s)),
        "外校秘密库房",
    ),
    "prevention_checks": (
        Role.DIRECTOR,
        lambda s: factories.check_room(factories.create_room(s, "外校秘密库房"), _staff(s)),
        "外校秘密库房",
    ),
    "suppliers": (Role.SCHOOL_ADMIN, lambda s: factories.create_supplier(s, "外校秘密供应商"), "外校秘密供应商"),
    "ingredient_rules": (Role.SCHOOL_ADMIN, lambda s: _ingredient_rule(s), "外校秘密食材"),
    "deliveries": (
        Role.SCHOOL_ADMIN,
        lambda s: factories.accept_delivery(factories.create_supplier(s, "外校秘密供应商"), [_staff(s)]),
        "外校秘密供应商",
    ),
    "risk_reports": (Role.SCHOOL_ADMIN, lambda s: _risk_report(s), "外校秘密隐患"),
    "dispatch_meetings": (
        Role.SCHOOL_ADMIN,
        lambda s: factories.record_meeting(s, _staff(s, Role.DIRECTOR), attendees="外校秘密会议"),
        "外校秘密会议",
    ),
    "stock_items": (Role.SCHOOL_ADMIN, lambda s: _batch(s).item, "外校秘密米"),
    "stock_batches": (Role.SCHOOL_ADMIN, lambda s: _batch(s), "外校秘密米"),
    "stock_issues": (Role.DIRECTOR, lambda s: _issue(s), "外校秘密米"),
    "stock_disposals": (Role.DIRECTOR, lambda s: _disposal(s), "外校秘密销毁"),
    "stocktakes": (Role.SCHOOL_ADMIN, lambda s: _stocktake(s), "外校保管员"),
    "students": (Role.SCHOOL_ADMIN, lambda s: _enrolled(s).student, "外校学生"),
    "enrolment_changes": (Role.PRINCIPAL, lambda s: _enrolled(s), "外校学生"),
    "daily_reports": (Role.DIRECTOR, lambda s: factories.report_day(s, _enrolled(s).recorded_by), "YY-0001"),
    "reconciliations": (Role.SCHOOL_ADMIN, lambda s: _reconciliation(s), "外校秘密说明"),
    "subsidy_charges": (
        Role.PRINCIPAL,
        lambda s: factories.charge_subsidy(s, _staff(s, Role.SCHOOL_ADMIN), description="外校秘密牛奶"),
        "外校秘密牛奶",
    ),
    "school_classes": (Role.SCHOOL_ADMIN, lambda s: factories.add_class(s, "外校秘密班"), "外校秘密班"),
    "leftover_weighings": (
        Role.DIRECTOR,
        lambda s: _leftovers(s),
        "外校秘密光盘班",
    ),
    "committee_members": (Role.SCHOOL_ADMIN, lambda s: factories.committee_member(s, "外校秘密家长"), "外校秘密家长"),
    "committee_activities": (Role.DIRECTOR, lambda s: _committee_activity(s), "外校秘密发现"),
    "survey_actions": (
        Role.DIRECTOR,
        lambda s: _survey_action(s),
        "外校秘密措施",
    ),
    "dorm_rooms": (Role.DIRECTOR, lambda s: factories.dorm_room(s, "秘密999"), "秘密999"),
    "dorm_beds": (Role.DIRECTOR, lambda s: _dorm_bed(s), "外校秘密学生"),
    "dorm_standard_items": (Role.DIRECTOR, lambda s: _standard_item(s), "外校秘密标准"),
    "dorm_checks": (Role.DIRECTOR, lambda s: _dorm_check(s), "外校秘密备注"),
    "dorm_coachings": (Role.DIRECTOR, lambda s: _dorm_coaching(s), "外校秘密辅导"),
    "cold_units": (Role.SCHOOL_ADMIN, lambda s: factories.create_cold_unit(s, "外校秘密冰箱"), "外校秘密冰箱"),
    "temperature_readings": (
        Role.DIRECTOR,
        lambda s: factories.read_temperature(factories.create_cold_unit(s, "外校秘密冰箱"), _staff(s), "4.0"),
        "外校秘密冰箱",
    ),
    "core_temperatures": (Role.DIRECTOR, lambda s: factories.measure_core(_dish(s), _staff(s)), "外校秘密菜"),
    "pesticide_tests": (Role.DIRECTOR, lambda s: _pesticide_test(s), "外校秘密退货"),
    "additives": (
        Role.SCHOOL_ADMIN,
        lambda s: factories.create_additive(s, _staff(s), name="外校秘密添加剂"),
        "外校秘密添加剂",
    ),
    "additive_uses": (Role.DIRECTOR, lambda s: _additive_use(s), "外校秘密添加剂"),
    "food_incidents": (Role.PRINCIPAL, lambda s: _incident(s), "外校秘密事故"),
    "complaints": (Role.PRINCIPAL, lambda s: factories.complain(s, text="外校秘密投诉"), "外校秘密投诉"),
    "supplier_evaluations": (
        Role.DIRECTOR,
        lambda s: factories.evaluate_supplier(
            factories.create_supplier(s), _staff(s, Role.DIRECTOR), note="外校秘密评价"
        ),
        "外校秘密评价",
    ),
    "emergency_drills": (
        Role.PRINCIPAL,
        lambda s: factories.drill(s, _staff(s, Role.PRINCIPAL), findings="外校秘密演练问题", responsible=_staff(s)),
        "外校秘密演练问题",
    ),
    "terms": (Role.SCHOOL_ADMIN, lambda s: factories.add_term(s, name="外校秘密学期"), "外校秘密学期"),
    "calendar_days": (Role.SCHOOL_ADMIN, lambda s: _holiday(s), "外校秘密假日"),
    "cadence_rules": (Role.SCHOOL_ADMIN, lambda s: _secret_rule(s), "外校秘密巡查"),
    "assignments": (Role.DIRECTOR, lambda s: _assignment(s), "外校秘密巡查"),
    "checklist_templates": (Role.SCHOOL_ADMIN, lambda s: _secret_checklist(s), "外校秘密检查表"),
    "checklist_versions": (Role.SCHOOL_ADMIN, lambda s: _secret_checklist(s).versions[0], "外校秘密检查表"),
    "rectification_tasks": (Role.DIRECTOR, lambda s: _task(s), "外校秘密问题"),
}


def _incident(school):
    from portal.models import FoodIncident
    from portal.services import incidents

    incident = FoodIncident(
        found_at=factories.school_moment(factories.LEDGER_DAY, 12),
        ill_count=2,
        what_happened="外校秘密事故",
        actions="送医",
        sealed="留样已封存",
    )
    incidents.report(_staff(school, Role.PRINCIPAL), incident)
    db.session.commit()
    return incident


def _additive_use(school):
    additive = factories.create_additive(school, _staff(school), name="外校秘密添加剂")
    return factories.use_additive(additive, _dish(school))


def _pesticide_test(school):
    staff = _staff(school)
    delivery = factories.accept_delivery(factories.create_supplier(school, name="外校供应商"), [staff])
    return factories.test_pesticide(delivery, staff, rate="62.0", action="外校秘密退货")


def _holiday(school):
    from portal.models import DayKind

    return factories.add_day(school, factories.LEDGER_DAY, DayKind.HOLIDAY, note="外校秘密假日")


def _secret_rule(school):
    rule = factories.rule_for(school, Role.DIRECTOR)
    rule.name = "外校秘密巡查"
    db.session.commit()
    return rule


def _assignment(school):
    from portal.services import planning

    rule = _secret_rule(school)
    factories.add_term(school)
    day = factories.LEDGER_DAY
    planning.plan(None, school, day, day, day)
    db.session.commit()
    return factories.assignments(school, rule.role, day, day)[0]


def _secret_checklist(school):
    from portal.services import checklists

    template = checklists.default_template(school.id)
    template.name = "外校秘密检查表"
    db.session.commit()
    return template


def _task(school):
    factories.add_term(school)
    meal = factories.accompany(
        school, _staff(school, Role.PRINCIPAL), problems="外校秘密问题", responsible=_staff(school, Role.DIRECTOR)
    )
    return db.session.scalar(sa.select(RectificationTask).where(RectificationTask.ledger_record_id == meal.id))


def test_every_school_scoped_admin_view_has_a_probe(app):
    """Generated from the admin's registry: a view of a school's records without a probe here
    would never be checked for what it shows of another school."""
    from portal.admin import all_views
    from portal.models.tenancy import SchoolOwned

    unprobed = [endpoint for _view, model, endpoint, _name in all_views() if issubclass(model, SchoolOwned)]
    assert sorted(set(unprobed) - set(PROBES)) == []


def _committee_activity(school):
    member = factories.committee_member(school, "外校家长")
    worker = _staff(school)
    return factories.committee_activity(
        school, _staff(school, Role.DIRECTOR), [member], findings="外校秘密发现", responsible=worker
    )


def _survey_action(school):
    factories.add_term(school)
    return factories.survey_action(school, _staff(school, Role.SCHOOL_ADMIN), "外校秘密措施")


def _leftovers(school):
    factories.add_term(school)
    return factories.weigh_leftovers(school, _staff(school), school_class=factories.add_class(school, "外校秘密光盘班"))


def _dorm_bed(school):
    factories.add_term(school)
    return factories.dorm_bed(factories.dorm_room(school), factories.add_class(school, "一班"), "外校秘密学生")


def _standard_item(school):
    from portal.services import dormitory

    item = dormitory.standard_of(school.id)[0]
    item.text = "外校秘密标准"
    db.session.commit()
    return item


def _dorm_check(school):
    from portal.services import dormitory

    factories.add_term(school)
    room = factories.dorm_room(school)
    day = factories.LEDGER_DAY
    check = dormitory.record_check(
        _staff(school, Role.DIRECTOR), room, day, {}, note="外校秘密备注", now=factories.school_moment(day, 21)
    )
    db.session.commit()
    return check


def _dorm_coaching(school):
    from portal.services import dormitory

    room = factories.dorm_room(school)
    day = factories.LEDGER_DAY
    coaching = dormitory.record_coaching(
        _staff(school, Role.DIRECTOR), room, day, "外校秘密辅导", now=factories.school_moment(day, 21)
    )
    db.session.commit()
    return coaching


def _enrolled(school):
    factories.add_term(school)
    return factories.enrol(school, _staff(school, Role.SCHOOL_ADMIN), name="外校学生")


def _reconciliation(school):
    from portal.services import subsidy

    clerk = _enrolled(school).recorded_by
    subsidy.explain(clerk, date(2026, 9, 1), "外校秘密说明")
    db.session.commit()
    return subsidy.reconciliation_of(school.id, date(2026, 9, 1))


def _batch(school):
    factories.add_term(school)
    return factories.stock(school, _staff(school), name="外校秘密米")


def _issue(school):
    batch = _batch(school)
    return factories.issue(batch.put_away_by, batch.item, 1)[0]


def _disposal(school):
    from portal.services import storeroom

    batch = _batch(school)
    witness = _staff(school, Role.DIRECTOR)
    record = storeroom.dispose(
        batch.put_away_by, batch, Decimal(1), "外校秘密销毁", witness, now=factories.school_moment(batch.day, 18)
    )
    db.session.commit()
    return record


def _stocktake(school):
    from portal.services import stocktakes

    keeper = factories.create_user(Role.STAFF, school, display_name="外校保管员", username="outsider-keeper")
    factories.stock(school, keeper)
    stocktake = stocktakes.start(keeper, date(2026, 9, 1), now=factories.school_moment(factories.LEDGER_DAY, 18))
    db.session.commit()
    return stocktake


def _accompanied(school):
    factories.add_term(school)
    return factories.accompany(school, _staff(school, Role.PRINCIPAL))


def _parent_meal(school):
    from portal.models import Meal, ParentMeal
    from portal.services import accompanied_meals

    factories.add_term(school)
    record = ParentMeal(
        school_id=school.id, day=factories.LEDGER_DAY, meal=Meal.LUNCH, parent_name="外校家长", class_name="一(1)班"
    )
    accompanied_meals.save_parent_meal(_staff(school), record, None, now=factories.school_moment(record.day, 13))
    db.session.commit()
    return record


def _ingredient_rule(school):
    from portal.models import IngredientKind, IngredientRule
    from portal.services import ingredients

    rule = IngredientRule(
        school_id=school.id, kind=IngredientKind.BANNED, name="外校秘密食材", keywords="秘密", reason="外校自定"
    )
    ingredients.save_rule(None, rule, None)
    db.session.commit()
    return rule


def _risk_report(school):
    from portal.services import food_safety

    manager = _staff(school)
    manager.food_safety_manager = True
    report = food_safety.report_for_week(school, date(2026, 9, 14))
    report.risks_found, report.measures = "外校秘密隐患", "无"
    food_safety.save_report(manager, report, None)
    db.session.commit()
    return report


def _staff(school, role=Role.STAFF):
    return factories.create_user(role, school, display_name="外校工友", username=f"outsider-{role.value}")


def _acknowledgement(school):
    from portal.services import rules

    rule = factories.create_rule(school, title="外校秘密制度")
    acknowledgement = rules.acknowledge(_staff(school), rule)
    db.session.commit()
    return acknowledgement


def _kind(school):
    kind = CertificateKind(school_id=school.id, name="外校特种证")
    db.session.add(kind)
    db.session.commit()
    return kind


def _audit_event(school):
    from portal.services import audit

    outsider = _staff(school)
    event = audit.record(outsider, "user.login", outsider)
    db.session.commit()
    return event


def _dish(school):
    factories.add_term(school)
    return factories.create_dish(school, "外校秘密菜")


def _disinfection(school):
    from portal.models import DisinfectionMethod, Meal, TablewareDisinfection
    from portal.services import canteen

    factories.add_term(school)
    record = TablewareDisinfection(
        school_id=school.id,
        day=factories.LEDGER_DAY,
        meal=Meal.LUNCH,
        method=DisinfectionMethod.STEAM,
        temperature_c=100,
        duration_seconds=600,
    )
    canteen.save_disinfection(_staff(school), record, None, now=factories.school_moment(record.day, 13))
    db.session.commit()
    return record


def _morning_check(school):
    from portal.models import MorningCheck
    from portal.services import morning_checks

    worker = _staff(school)
    worker.canteen_worker = True
    check = MorningCheck(
        school_id=school.id,
        day=factories.LEDGER_DAY,
        worker=worker,
        temperature_c=36.5,
        fit=True,
        on_duty=False,
        action_taken="",
    )
    morning_checks.save_morning_check(
        _staff(school, Role.DIRECTOR), check, None, now=factories.school_moment(check.day, 7)
    )
    db.session.commit()
    return check


def _pk(record):
    return sa.inspect(record).identity[0]


@pytest.fixture(params=sorted(PROBES), ids=sorted(PROBES))
def probe(request, school, other_school, create_user, client):
    endpoint = request.param
    role, make, marker = PROBES[endpoint]
    record = make(other_school)
    record_id = _pk(record)
    insider = create_user(role, school)
    login(client, insider)
    return endpoint, record_id, marker


def test_list_hides_the_other_school(client, probe):
    endpoint, _record_id, marker = probe
    response = client.get(f"/admin/{endpoint}/")
    assert response.status_code == 200
    assert marker not in response.get_data(as_text=True)


def test_list_search_does_not_reach_the_other_school(client, probe):
    endpoint, _record_id, marker = probe
    response = client.get(f"/admin/{endpoint}/?search={marker}")
    # The page echoes the search term (search box, links); the rows must not contain it.
    tables = re.findall(r"<table[^>]*model-list.*?</table>", response.get_data(as_text=True), re.S)
    assert len(tables) == 1
    assert marker not in re.sub(r'href="[^"]*"', "", tables[0])


def test_details_of_the_other_school_is_404(client, probe):
    endpoint, record_id, marker = probe
    response = client.get(f"/admin/{endpoint}/details/?id={record_id}")
    assert response.status_code == 404
    assert marker not in response.get_data(as_text=True)


def test_edit_of_the_other_school_is_404_or_refused(client, probe):
    endpoint, record_id, marker = probe
    get = client.get(f"/admin/{endpoint}/edit/?id={record_id}")
    post = client.post(f"/admin/{endpoint}/edit/?id={record_id}", data={"title": "hijacked", "name": "hijacked"})
    # Read-only views refuse every edit (403); the others do not admit the row exists (404).
    assert get.status_code in (403, 404) and post.status_code in (403, 404)
    assert marker not in get.get_data(as_text=True)


def test_delete_of_the_other_school_is_404_or_refused(client, probe):
    endpoint, record_id, _marker = probe
    response = client.post(f"/admin/{endpoint}/delete/", data={"id": record_id})
    assert response.status_code in (403, 404)


def test_bulk_action_on_the_other_school_is_404_or_refused(client, probe):
    endpoint, record_id, _marker = probe
    response = client.post(f"/admin/{endpoint}/action/", data={"action": "delete", "rowid": [record_id]})
    assert response.status_code in (403, 404)


def test_inline_update_is_refused(client, probe):
    endpoint, record_id, _marker = probe
    response = client.post(f"/admin/{endpoint}/ajax/update/", data={"list_form_pk": record_id, "title": "x"})
    assert response.status_code in (403, 404)


def test_export_leaves_out_the_other_school(client, probe):
    endpoint, _record_id, marker = probe
    for export_type in ("csv", "xlsx"):
        response = client.get(f"/admin/{endpoint}/export/{export_type}/")
        if response.status_code == 302:  # a view without export
            continue
        assert response.status_code == 200
        assert marker.encode() not in response.data


def test_the_record_survived_every_probe(client, probe):
    endpoint, record_id, _marker = probe
    client.post(f"/admin/{endpoint}/delete/", data={"id": record_id})
    client.post(f"/admin/{endpoint}/action/", data={"action": "delete", "rowid": [record_id]})
    model = next(m for _view, m, name, _label in all_views() if name == endpoint)
    assert db.session.get(model, record_id) is not None


@pytest.mark.parametrize("endpoint", sorted(set(PROBES) - {"school_settings"}))
def test_a_county_auditor_reads_across_schools(endpoint, other_school, create_user, client):
    """The control for the probes above: the marker does show where reading across
    schools is allowed, so its absence above means scoping, not a broken probe."""
    _role, make, marker = PROBES[endpoint]
    make(other_school)
    login(client, create_user(Role.COUNTY_AUDITOR))
    response = client.get(f"/admin/{endpoint}/")
    assert response.status_code == 200
    assert marker in response.get_data(as_text=True)


def _options(html, field_name):
    select = re.search(rf'<select[^>]*name="{field_name}".*?</select>', html, re.S)
    assert select, f"no picker named {field_name}"
    return select.group(0)


def test_pickers_offer_only_the_own_school(school, other_school, create_user, client):
    outsider = create_user(Role.STAFF, other_school, display_name="外校工友")
    factories.create_rule(other_school, title="外校秘密制度")
    insider = create_user(Role.STAFF, school, display_name="本校工友")
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    login(client, clerk)

    certificate_form = client.get("/admin/certificates/new/").get_data(as_text=True)
    holders = _options(certificate_form, "holder")
    assert insider.display_name in holders and outsider.display_name not in holders
    kinds = _options(certificate_form, "kind")
    assert kinds.count("健康证") == 1  # each school has its own list; only ours is offered

    training_form = client.get("/admin/training_sessions/new/").get_data(as_text=True)
    assert "外校秘密制度" not in _options(training_form, "rules")
    assert outsider.display_name not in training_form


def test_a_forged_picker_value_of_another_school_is_refused(school, other_school, create_user, client):
    outsider = create_user(Role.STAFF, other_school)
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    kind = factories.certificate_kind(school)
    login(client, clerk)
    response = client.post(
        "/admin/certificates/new/",
        data={"holder": outsider.id, "kind": kind.id, "number": "FORGED-1", "issued_on": "2026-01-01"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert "FORGED-1" in response.get_data(as_text=True)  # what was typed is kept
    from portal.models import Certificate

    assert db.session.scalar(sa.select(Certificate).where(Certificate.number == "FORGED-1")) is None


def test_a_forged_attendee_of_another_school_is_refused(school, other_school, create_user, client):
    from portal.models import TrainingSession

    outsider = create_user(Role.STAFF, other_school)
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    login(client, clerk)
    response = client.post(
        "/admin/training_sessions/new/",
        data={
            "title": "伪造的培训",
            "kind": "school_training",
            "starts_at": "2026-10-10T14:00",
            "hours": "2",
            "attendances-0-user": outsider.id,
            "attendances-0-status": "present",
        },
    )
    assert response.status_code == 200
    assert "伪造的培训" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(TrainingSession).where(TrainingSession.title == "伪造的培训")) is None
