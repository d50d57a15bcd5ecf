"""The canteen's daily ledgers: every rule at its boundary, the board's gaps, and the
quick-entry pages with their bad input."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import (
    DisinfectionMethod,
    FoodSample,
    Meal,
    MenuDish,
    MorningCheck,
    Role,
    SchoolSettings,
    TablewareDisinfection,
)
from portal.services import canteen, canteen_board, morning_checks
from portal.timeutil import utcnow
from tests import factories
from tests.conftest import login, refused
from tests.factories import LEDGER_DAY, school_moment

LUNCH_OVER = school_moment(LEDGER_DAY, 14)


@pytest.fixture
def kitchen(school, create_user):
    factories.add_term(school)
    cook = create_user(Role.STAFF, school, display_name="赵工友", canteen_worker=True)
    return SimpleNamespace(
        school=school,
        cook=cook,
        helper=create_user(Role.STAFF, school, display_name="钱工友", canteen_worker=True),
        gardener=create_user(Role.STAFF, school, display_name="孙园丁"),
        director=create_user(Role.DIRECTOR, school, display_name="陈主任"),
        principal=create_user(Role.PRINCIPAL, school, display_name="刘校长"),
        dish=factories.create_dish(school, "红烧肉"),
        kind=factories.certificate_kind(school),
    )


# --- food samples -------------------------------------------------------------------------


def test_125_grams_is_kept_and_124_is_refused_with_the_minimum(kitchen):
    refusal = refused(lambda: factories.create_sample(kitchen.dish, kitchen.cook, grams=124), "125")
    assert refusal.field == "grams"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FoodSample)) == 0
    sample = factories.create_sample(kitchen.dish, kitchen.cook, grams=125)
    assert sample.grams == 125 and sample.retained_by == kitchen.cook


def test_the_minimum_weight_is_the_schools_setting(kitchen):
    db.session.get(SchoolSettings, kitchen.school.id).sample_min_grams = 150
    db.session.commit()
    refused(lambda: factories.create_sample(kitchen.dish, kitchen.cook, grams=149), "150")
    assert factories.create_sample(kitchen.dish, kitchen.cook, grams=150)


def test_a_sample_is_discarded_after_48_hours_and_not_a_minute_before(kitchen):
    sample = factories.create_sample(kitchen.dish, kitchen.cook)
    kept = sample.retained_at
    now = kept + timedelta(days=3)
    refused(
        lambda: canteen.discard_sample(kitchen.cook, sample, kept + timedelta(hours=47, minutes=59), now=now),
        "48",
    )
    canteen.discard_sample(kitchen.cook, sample, kept + timedelta(hours=48), now=now)
    db.session.commit()
    assert sample.discarded_by == kitchen.cook
    refused(lambda: canteen.discard_sample(kitchen.cook, sample, now, now=now))  # twice


def test_a_discard_in_the_future_is_refused(kitchen):
    sample = factories.create_sample(kitchen.dish, kitchen.cook)
    now = sample.retained_at + timedelta(hours=50)
    refused(lambda: canteen.discard_sample(kitchen.cook, sample, now + timedelta(minutes=1), now=now))


def test_a_sample_in_the_future_or_on_another_day_is_refused(kitchen):
    noon = school_moment(LEDGER_DAY, 12)
    refused(
        lambda: canteen.record_sample(kitchen.cook, kitchen.dish, 150, retained_at=noon + timedelta(hours=1), now=noon)
    )
    next_morning = school_moment(LEDGER_DAY + timedelta(days=1), 8)
    refused(lambda: canteen.record_sample(kitchen.cook, kitchen.dish, 150, retained_at=next_morning))


def test_one_sample_per_dish(kitchen):
    factories.create_sample(kitchen.dish, kitchen.cook)
    refused(lambda: factories.create_sample(kitchen.dish, kitchen.cook))


def test_a_meal_that_is_not_served_has_no_menu_and_no_sample(kitchen):
    refused(lambda: factories.create_dish(kitchen.school, "粥", meal=Meal.DINNER), "不供应")
    saturday = date(2026, 9, 19)
    refused(lambda: factories.create_dish(kitchen.school, "面条", day=saturday), "不开")
    db.session.get(SchoolSettings, kitchen.school.id).serves_dinner = True
    db.session.commit()
    assert factories.create_dish(kitchen.school, "粥", meal=Meal.DINNER)


def test_a_dish_with_a_sample_can_no_longer_be_changed_or_deleted(kitchen):
    from portal.services import audit

    dish = factories.create_dish(kitchen.school, "清蒸鱼", day=factories.open_day(kitchen.school))
    factories.create_sample(dish, kitchen.cook)
    before = audit.snapshot(dish)
    dish.name = "红烧鱼"
    refused(lambda: canteen.save_dish(None, dish, before), "留样")
    refused(lambda: canteen.delete_dish(None, dish), "留样")
    assert db.session.get(MenuDish, dish.id).name == "清蒸鱼"


# --- tableware disinfection ---------------------------------------------------------------

BOUNDARIES = [
    # method, measure at the minimum, seconds at the minimum, words of the message
    (DisinfectionMethod.STEAM, 100, 600, ("100", "10")),
    (DisinfectionMethod.INFRARED, 120, 600, ("120", "10")),
    (DisinfectionMethod.DISHWASHER, 85, 40, ("85", "40")),
    (DisinfectionMethod.CHLORINE, 250, 300, ("250", "5")),
]


def disinfection(kitchen, method, measure, seconds, day=LEDGER_DAY):
    record = TablewareDisinfection(
        school_id=kitchen.school.id, day=day, meal=Meal.LUNCH, method=method, duration_seconds=seconds
    )
    setattr(record, method.measure_field, measure)
    canteen.save_disinfection(kitchen.cook, record, None, now=min(school_moment(day, 13), utcnow()))
    db.session.commit()
    return record


@pytest.mark.parametrize(("method", "least", "seconds", "words"), BOUNDARIES, ids=[b[0].value for b in BOUNDARIES])
def test_disinfection_at_the_minimum_passes_and_below_is_refused(kitchen, method, least, seconds, words):
    assert refused(lambda: disinfection(kitchen, method, least - 1, seconds), *words).field == method.measure_field
    assert refused(lambda: disinfection(kitchen, method, least, seconds - 1), *words).field == "duration_seconds"
    record = disinfection(kitchen, method, least, seconds)
    assert record.done_by == kitchen.cook


def test_disinfection_for_a_day_in_the_future_is_refused(kitchen):
    from portal.timeutil import school_today

    tomorrow = school_today(kitchen.school) + timedelta(days=1)
    refused(lambda: disinfection(kitchen, DisinfectionMethod.STEAM, 100, 600, day=tomorrow), "未来")


# --- morning checks -----------------------------------------------------------------------


def morning(kitchen, worker, temperature=36.5, symptoms="", fit=True, on_duty=True, action="", day=LEDGER_DAY):
    check = MorningCheck(
        school_id=kitchen.school.id,
        day=day,
        worker=worker,
        temperature_c=temperature,
        symptoms=symptoms,
        fit=fit,
        on_duty=on_duty,
        action_taken=action,
    )
    morning_checks.save_morning_check(kitchen.director, check, None, now=min(school_moment(day, 7), utcnow()))
    db.session.commit()
    return check


def with_health_certificate(kitchen, worker, expires_on=date(2026, 12, 31)):
    """Valid through ``expires_on``, issued a year before (or today, if that is earlier)."""
    factories.create_certificate(worker, expires_on=expires_on)


def test_a_fit_worker_with_a_valid_health_certificate_goes_on_duty(kitchen):
    with_health_certificate(kitchen, kitchen.cook)
    check = morning(kitchen, kitchen.cook)
    assert check.on_duty and check.checked_by == kitchen.director


def test_an_expired_health_certificate_keeps_the_worker_off_duty(kitchen):
    with_health_certificate(kitchen, kitchen.cook, expires_on=LEDGER_DAY - timedelta(days=1))
    refusal = refused(lambda: morning(kitchen, kitchen.cook), "赵工友", "健康证")
    assert refusal.field == "on_duty"
    with_health_certificate(kitchen, kitchen.helper, expires_on=LEDGER_DAY)  # valid through that day
    assert morning(kitchen, kitchen.helper).on_duty


def test_a_worker_with_no_health_certificate_at_all_is_refused_on_duty(kitchen):
    refused(lambda: morning(kitchen, kitchen.cook), "健康证")


def test_fever_or_a_symptom_makes_the_worker_unfit(kitchen):
    with_health_certificate(kitchen, kitchen.cook)
    refused(lambda: morning(kitchen, kitchen.cook, temperature=37.3, on_duty=False), "发热")
    refused(lambda: morning(kitchen, kitchen.cook, symptoms="diarrhoea", on_duty=False), "腹泻")
    refused(lambda: morning(kitchen, kitchen.cook, fit=False, on_duty=True, action="回家"), "不能上岗")
    refused(lambda: morning(kitchen, kitchen.cook, temperature=37.5, fit=False, on_duty=False), "处理")
    check = morning(kitchen, kitchen.cook, temperature=37.5, fit=False, on_duty=False, action="回家休息，就医")
    assert check.symptom_keys == ["fever"] and not check.on_duty
    assert morning(kitchen, kitchen.helper, temperature=37.2, on_duty=False).fit  # 37.2 is no fever


def test_only_canteen_workers_are_checked_once_a_day_and_never_in_the_future(kitchen, other_school, create_user):
    refused(lambda: morning(kitchen, kitchen.gardener, on_duty=False), "食堂")
    outsider = create_user(Role.STAFF, other_school, canteen_worker=True)
    refused(lambda: morning(kitchen, outsider, on_duty=False))
    morning(kitchen, kitchen.cook, on_duty=False)
    refused(lambda: morning(kitchen, kitchen.cook, on_duty=False), "已")
    refused(lambda: morning(kitchen, kitchen.helper, on_duty=False, day=date(2099, 1, 1)), "未来")


# --- the board ----------------------------------------------------------------------------


def test_the_board_shows_a_real_days_gaps(kitchen):
    rice = factories.create_dish(kitchen.school, "米饭")
    factories.create_sample(kitchen.dish, kitchen.cook)
    with_health_certificate(kitchen, kitchen.cook)
    morning(kitchen, kitchen.cook)

    during_lunch = canteen_board.board(kitchen.school, LEDGER_DAY, now=school_moment(LEDGER_DAY, 12))
    [lunch] = during_lunch.meals
    assert lunch.gaps == []  # not over yet: nothing is late
    assert [row.worker for row in during_lunch.unchecked] == [kitchen.helper]

    after = canteen_board.board(kitchen.school, LEDGER_DAY, now=LUNCH_OVER)
    [lunch] = after.meals
    assert lunch.dishes_without_sample == [rice]
    assert lunch.gaps == ["samples", "disinfection", "accompanied"]
    assert after.has_gaps

    factories.create_sample(rice, kitchen.cook, reviewed_by=kitchen.helper)
    disinfection(kitchen, DisinfectionMethod.STEAM, 100, 600)
    factories.accompany(kitchen.school, kitchen.principal)
    morning(kitchen, kitchen.helper, on_duty=False)
    complete = canteen_board.board(kitchen.school, LEDGER_DAY, now=LUNCH_OVER)
    assert complete.meals[0].samples_complete and not complete.has_gaps
    assert [row.worker for row in complete.workers] == [kitchen.helper, kitchen.cook]  # qian, zhao: pinyin
    assert [row.lacks_certificate for row in complete.workers] == [[kitchen.kind], []]  # 钱工友 has none


def test_a_closed_day_has_no_board(kitchen):
    assert not canteen_board.board(kitchen.school, date(2026, 9, 19)).canteen_open


# --- the pages ----------------------------------------------------------------------------


def test_a_cook_keeps_samples_on_the_meal_page(client, kitchen):
    day = factories.open_day(kitchen.school, days_ago=1)  # yesterday, its ledger still open
    dish = factories.create_dish(kitchen.school, "清蒸鱼", day=day)
    login(client, kitchen.cook)
    page = client.get(f"/canteen/{day.isoformat()}/lunch").get_data(as_text=True)
    assert "清蒸鱼" in page and "125" in page
    field = f"dish{dish.id}"
    light = client.post(f"/canteen/dishes/{dish.id}/sample", data={f"{field}-grams": "124.9"})
    assert light.status_code == 422
    text = light.get_data(as_text=True)
    assert "125" in text and 'value="124.9"' in text  # why, and what was typed is still there
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FoodSample)) == 0
    late = {f"{field}-grams": "125.5", f"{field}-container_label": "A3"}
    next_day = client.post(f"/canteen/dishes/{dish.id}/sample", data=late)
    assert next_day.status_code == 422 and "当天" in next_day.get_data(as_text=True)  # "now" is another day
    kept = client.post(f"/canteen/dishes/{dish.id}/sample", data=late | {f"{field}-retained_at": f"{day}T12:10"})
    assert kept.status_code == 302
    sample = db.session.scalar(sa.select(FoodSample))
    assert sample.grams == 125.5 and sample.retained_at == school_moment(day, 12, 10)
    assert "125.5 g" in client.get(f"/canteen/{day.isoformat()}/lunch").get_data(as_text=True)


def test_a_dish_is_added_and_disinfection_recorded_on_the_meal_page(client, kitchen):
    day = factories.open_day(kitchen.school)
    login(client, kitchen.cook)
    base = f"/canteen/{day.isoformat()}/lunch"
    assert client.post(f"{base}/dishes", data={"name": "炒青菜"}).status_code == 302
    short = client.post(f"{base}/disinfection", data={"method": "steam", "measure": "100", "minutes": "9.5"})
    assert short.status_code == 422 and "10" in short.get_data(as_text=True)
    assert 'value="9.5"' in short.get_data(as_text=True)
    done = client.post(f"{base}/disinfection", data={"method": "steam", "measure": "100", "minutes": "10"})
    assert done.status_code == 302
    record = db.session.scalar(sa.select(TablewareDisinfection))
    assert record.duration_seconds == 600 and record.temperature_c == 100 and record.concentration_mg_l is None


def test_the_same_dish_twice_is_refused_in_words_and_the_name_is_kept(client, kitchen):
    day = factories.open_day(kitchen.school)
    login(client, kitchen.cook)
    base = f"/canteen/{day.isoformat()}/lunch"
    assert client.post(f"{base}/dishes", data={"name": "炒青菜"}).status_code == 302
    again = client.post(f"{base}/dishes", data={"name": "炒青菜"})
    page = again.get_data(as_text=True)
    assert again.status_code == 422 and "炒青菜已在这一餐的菜单上" in page and 'value="炒青菜"' in page


def test_a_unique_rule_no_service_foresaw_is_a_message_not_a_500(kitchen):
    """Two cooks adding the same dish at the same moment: the database's unique index
    decides, and the view hears it in words."""
    from portal.models import MenuDish
    from portal.outcome import attempt

    day = factories.open_day(kitchen.school)
    factories.create_dish(kitchen.school, "番茄炒蛋", day=day)

    def race():
        db.session.add(MenuDish(school_id=kitchen.school.id, day=day, meal=Meal.LUNCH, name="番茄炒蛋"))
        db.session.flush()

    assert str(attempt(race)) == "该记录与已有记录冲突，或仍在使用中。"


def test_bad_addresses_are_404_not_500(client, kitchen):
    login(client, kitchen.cook)
    assert client.get("/canteen/2026-13-45/lunch").status_code == 404
    assert client.get(f"/canteen/{LEDGER_DAY.isoformat()}/supper").status_code == 404
    assert client.get("/canteen?day=yesterday").status_code == 404


def test_a_meal_not_served_says_so(client, kitchen):
    login(client, kitchen.cook)
    page = client.get(f"/canteen/{LEDGER_DAY.isoformat()}/dinner").get_data(as_text=True)
    assert "不供应" in page
    refused_dish = client.post(f"/canteen/{LEDGER_DAY.isoformat()}/dinner/dishes", data={"name": "粥"})
    assert refused_dish.status_code == 422


def test_morning_checks_on_the_page(client, kitchen):
    today = factories.open_day(kitchen.school)
    with_health_certificate(kitchen, kitchen.cook, expires_on=today + timedelta(days=30))
    login(client, kitchen.director)
    day = today.isoformat()
    page = client.get(f"/canteen/{day}/morning").get_data(as_text=True)
    assert "赵工友" in page and "钱工友" in page and "孙园丁" not in page
    prefix = f"worker{kitchen.helper.id}"
    no_certificate = client.post(
        f"/canteen/{day}/morning/{kitchen.helper.id}",
        data={f"{prefix}-temperature_c": "36.6", f"{prefix}-fit": "y", f"{prefix}-on_duty": "y"},
    )
    assert no_certificate.status_code == 422 and "健康证" in no_certificate.get_data(as_text=True)
    assert 'value="36.6"' in no_certificate.get_data(as_text=True)
    prefix = f"worker{kitchen.cook.id}"
    ok = client.post(
        f"/canteen/{day}/morning/{kitchen.cook.id}",
        data={f"{prefix}-temperature_c": "36.6", f"{prefix}-fit": "y", f"{prefix}-on_duty": "y"},
    )
    assert ok.status_code == 302
    gardener = client.post(f"/canteen/{day}/morning/{kitchen.gardener.id}", data={})
    assert gardener.status_code == 422


def test_another_schools_dish_is_404(client, kitchen, other_school, create_user):
    factories.add_term(other_school)
    theirs = factories.create_dish(other_school, "外校的菜")
    login(client, kitchen.cook)
    response = client.post(f"/canteen/dishes/{theirs.id}/sample", data={f"dish{theirs.id}-grams": "150"})
    assert response.status_code == 404
    outsider = create_user(Role.STAFF, other_school, canteen_worker=True)
    response = client.post(f"/canteen/{LEDGER_DAY.isoformat()}/morning/{outsider.id}", data={})
    assert response.status_code == 404


def test_the_board_page_shows_gaps_in_red_and_county_users_choose_a_school(client, kitchen, create_user):
    factories.create_dish(kitchen.school, "米饭")
    login(client, kitchen.director)
    assert 'href="/canteen"' in client.get("/").get_data(as_text=True)  # linked from the home page
    page = client.get(f"/canteen?day={LEDGER_DAY.isoformat()}").get_data(as_text=True)
    assert "红烧肉" in page and "米饭" in page
    assert "text-danger" in page  # the day is over: no samples, no disinfection, nobody checked
    login(client, create_user(Role.COUNTY_AUDITOR))
    assert kitchen.school.name in client.get("/canteen").get_data(as_text=True)
    county = client.get(f"/canteen?school={kitchen.school.id}&day={LEDGER_DAY.isoformat()}")
    assert county.status_code == 200 and "红烧肉" in county.get_data(as_text=True)
    assert client.get("/canteen?school=99999").status_code == 404


def test_the_history_calendar_agrees_with_the_board(client, kitchen):
    """The 16th complete, the 17th with a dish without sample, the 19th a Saturday."""
    complete_day, gap_day = LEDGER_DAY, LEDGER_DAY + timedelta(days=1)
    for worker in (kitchen.cook, kitchen.helper):
        with_health_certificate(kitchen, worker)
        morning(kitchen, worker)
        morning(kitchen, worker, day=gap_day)
    factories.create_sample(kitchen.dish, kitchen.cook, reviewed_by=kitchen.helper)
    disinfection(kitchen, DisinfectionMethod.STEAM, 100, 600)
    factories.accompany(kitchen.school, kitchen.principal)
    factories.create_dish(kitchen.school, "米饭", day=gap_day)
    disinfection(kitchen, DisinfectionMethod.STEAM, 100, 600, day=gap_day)

    days = {d.day: d for d in canteen_board.month(kitchen.school, date(2026, 9, 1), date(2026, 9, 30))}
    assert len(days) == 30
    for day in (complete_day, gap_day):
        assert days[day].has_gaps == canteen_board.board(kitchen.school, day).has_gaps
    assert not days[complete_day].has_gaps and days[gap_day].has_gaps
    assert not days[date(2026, 9, 19)].canteen_open
    assert days[date(2026, 9, 15)].has_gaps  # nothing at all was recorded that day

    login(client, kitchen.director)
    page = client.get("/canteen/calendar?month=2026-09").get_data(as_text=True)
    assert f'href="/canteen?day={complete_day.isoformat()}"' in page
    assert page.count("table-danger") >= 1 and page.count("table-success") == 1
    assert client.get("/canteen/calendar?month=garbage").status_code == 200  # this month instead


def test_the_thresholds_are_school_settings_with_their_sources(client, kitchen, create_user):
    from tests.test_training_and_certificates import settings_form

    login(client, create_user(Role.SCHOOL_ADMIN, kitchen.school))
    url = f"/admin/school_settings/edit/?id={kitchen.school.id}"
    form = client.get(url).get_data(as_text=True)
    assert "《餐饮服务食品安全操作规范》" in form and "125" in form
    no_meal = settings_form()
    del no_meal["serves_lunch"]
    refused_page = client.post(url, data=no_meal)
    assert refused_page.status_code == 200 and "至少供应一餐" in refused_page.get_data(as_text=True)
    assert client.post(url, data=settings_form(sample_min_grams="150")).status_code == 302
    db.session.expire_all()
    refused(lambda: factories.create_sample(kitchen.dish, kitchen.cook, grams=149), "150")
