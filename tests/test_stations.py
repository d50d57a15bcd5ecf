"""Stations: a fridge's, a canteen room's, a cabinet's or a dormitory room's poster code, scanned
by a logged-in phone, opens that place's form with the place chosen; without a login it goes to
the login and back; a person who may not record there, a code of another school, a made-up or a
replaced code get a clear page and nothing else; the poster pack's QR codes decode to the
stations' links on PORTAL_BASE_URL, and to the two public pages' links."""

import subprocess
from datetime import time

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from portal import station_kinds
from portal.extensions import db
from portal.models import CabinetPurpose, Meal, Role
from portal.models.audit import AuditEvent
from portal.services.stations import places_of as station_places_of
from portal.timeutil import school_now, school_today
from tests import factories
from tests.conftest import login

BASE = "https://houqin.example.cn"


@pytest.fixture
def places(school):
    fridge = factories.create_cold_unit(school, name="冷藏冰箱甲")
    other_fridge = factories.create_cold_unit(school, name="冷冻冰柜乙")
    room = factories.dorm_room(school)
    db.session.commit()
    return fridge, other_fridge, room


@pytest.fixture
def canteen_places(school):
    kitchen = factories.create_room(school, name="粗加工间")
    serving = factories.create_room(school, name="备餐间")
    samples = factories.create_cabinet(school, "留样柜")
    additives = factories.create_cabinet(school, "添加剂专柜", CabinetPurpose.ADDITIVES)
    return kitchen, samples, additives, serving


def test_a_scan_opens_the_places_form_with_the_place_chosen(client, school, places, create_user):
    fridge, other_fridge, room = places
    login(client, create_user(Role.STAFF, school, canteen_worker=True))
    response = client.get(f"/at/{fridge.station_code}")
    today = school_today(school).isoformat()
    assert response.status_code == 302 and response.location == f"/storeroom/{today}/temperatures?unit={fridge.id}"
    page = client.get(response.location).get_data(as_text=True)
    assert "冷藏冰箱甲" in page and "冷冻冰柜乙" not in page and "全部冰箱、冰柜" in page
    login(client, create_user(Role.DIRECTOR, school))
    response = client.get(f"/at/{room.station_code}")
    assert response.status_code == 302 and response.location == f"/dormitory/rooms/{room.id}/check"


def test_the_canteens_stations_open_their_forms(client, school, canteen_places, create_user):
    kitchen, samples, additives, _serving = canteen_places
    login(client, create_user(Role.STAFF, school, canteen_worker=True))
    today = school_today(school).isoformat()
    response = client.get(f"/at/{kitchen.station_code}")
    assert response.status_code == 302 and response.location == f"/canteen/{today}/rooms?room={kitchen.id}"
    page = client.get(response.location).get_data(as_text=True)
    assert "粗加工间" in page and "备餐间" not in page and "全部场所" in page
    meal = school.settings.meal_at(school_now(school).time())
    response = client.get(f"/at/{samples.station_code}")
    assert response.status_code == 302 and response.location == f"/canteen/{today}/{meal.value}"
    assert str(meal.label) in client.get(response.location).get_data(as_text=True)
    response = client.get(f"/at/{additives.station_code}")
    assert response.status_code == 302 and response.location == f"/canteen/{today}/additives"
    # Two kinds share the cabinets' table: each code opens its own cabinet's form, never the other's.
    samples.purpose = CabinetPurpose.ADDITIVES
    db.session.commit()
    assert client.get(f"/at/{samples.station_code}").location == f"/canteen/{today}/additives"


@pytest.mark.parametrize(
    ("clock", "dinner", "meal"),
    [
        (time(6, 0), True, Meal.LUNCH),
        (time(13, 0), True, Meal.LUNCH),
        (time(13, 1), True, Meal.DINNER),
        (time(23, 59), True, Meal.DINNER),
        (time(13, 1), False, Meal.LUNCH),
    ],
)
def test_the_sample_cabinet_opens_the_meal_being_served(school, clock, dinner, meal):
    school.settings.serves_breakfast, school.settings.serves_dinner = False, dinner
    assert school.settings.lunch_ends == time(13, 0)
    assert school.settings.meal_at(clock) is meal


def test_a_scan_without_a_login_goes_to_the_login_and_back(client, school, places, create_user):
    fridge = places[0]
    create_user(Role.STAFF, school, username="cook", canteen_worker=True)
    response = client.get(f"/at/{fridge.station_code}")
    assert response.status_code == 302 and "/login" in response.location
    assert fridge.station_code not in client.get(response.location).get_data(as_text=True).split("next=")[0]
    signed_in = client.post(
        response.location, data={"username": "cook", "password": factories.PASSWORD}, follow_redirects=False
    )
    assert signed_in.status_code == 302 and signed_in.location.endswith(f"/at/{fridge.station_code}")


def test_who_may_not_record_there_gets_a_clear_page(client, school, places, create_user):
    fridge, _other, room = places
    login(client, create_user(Role.STAFF, school))  # a cook: fridges, not dormitory rooms
    assert client.get(f"/at/{fridge.station_code}").status_code == 302
    response = client.get(f"/at/{room.station_code}")
    assert response.status_code == 403 and "没有在此记录的权限" in response.get_data(as_text=True)
    assert "男生1号楼305" in response.get_data(as_text=True)  # it says which poster it was


@pytest.mark.parametrize("code", ["made-up-code", "x" * 33, "%00", "a%27--", ""])
def test_a_made_up_code_opens_nothing(client, school, places, create_user, code):
    login(client, create_user(Role.STAFF, school, canteen_worker=True))
    response = client.get(f"/at/{code}")
    assert response.status_code == 404


def test_another_schools_code_opens_nothing(client, school, other_school, places, create_user):
    login(client, create_user(Role.STAFF, other_school, canteen_worker=True))
    response = client.get(f"/at/{places[0].station_code}")
    assert response.status_code == 404 and "此码无法打开" in response.get_data(as_text=True)
    assert "冷藏冰箱甲" not in response.get_data(as_text=True)


def test_a_replaced_code_opens_nothing_and_only_the_school_admin_replaces(client, school, places, create_user):
    fridge = places[0]
    old = fridge.station_code
    login(client, create_user(Role.PRINCIPAL, school))
    assert client.post(f"/stations/cold_unit/{fridge.id}/replace").status_code == 403
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    assert client.post(f"/stations/cold_unit/{fridge.id}/replace").status_code == 302
    db.session.refresh(fridge)
    assert fridge.station_code != old
    assert client.get(f"/at/{old}").status_code == 404
    assert client.get(f"/at/{fridge.station_code}").status_code in (302, 403)  # the admin records no readings
    replaced = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "cold_unit.code_replaced"))
    assert replaced is not None and replaced.object_id == str(fridge.id)
    assert client.post(f"/stations/nothing/{fridge.id}/replace").status_code == 404


def test_the_public_pages_code_is_replaced_for_both_posters(client, school, create_user):
    old = school.public_token
    assert client.get(f"/p/{old}/complaint").status_code == 200
    login(client, create_user(Role.PRINCIPAL, school))
    assert client.post(f"/stations/public_notice/{school.id}/replace").status_code == 403
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post(f"/stations/public_complaint/{school.id}/replace", follow_redirects=True)
    assert "公示和食安码的链接已更换" in response.get_data(as_text=True)
    db.session.refresh(school)
    assert school.public_token != old
    assert client.get(f"/p/{old}/complaint").status_code == 404 and client.get(f"/p/{old}").status_code == 404
    assert client.get(f"/p/{school.public_token}/complaint").status_code == 200
    replaced = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "school.code_replaced"))
    assert replaced is not None and replaced.school_id == school.id and old not in str(replaced.after)


def test_another_schools_public_code_is_not_replaced(client, school, other_school, create_user):
    old = other_school.public_token
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    assert client.post(f"/stations/public_notice/{other_school.id}/replace").status_code == 404
    db.session.refresh(other_school)
    assert other_school.public_token == old


def test_the_poster_pack_decodes_to_the_stations_links(
    client, school, places, canteen_places, create_user, tmp_path, monkeypatch
):
    monkeypatch.setitem(client.application.config, "PORTAL_BASE_URL", BASE)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.get("/stations/posters.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "posters.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S607
    assert "冷藏冰箱甲" in text and "男生1号楼305" in text and "每个开伙日测温 2 次" in text
    assert "粗加工间" in text and "留样柜" in text and "添加剂专柜" in text and "不少于 125 克" in text
    assert "食堂公示" in text and "校园食安码" in text
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "qr")], check=True)  # noqa: S607
    decoded = {
        result.text
        for image in sorted(tmp_path.glob("qr-*.png"))
        for result in zxingcpp.read_barcodes(Image.open(image))
    }
    stations = {f"{BASE}/at/{place.station_code}" for place in (*places, *canteen_places)}
    public = {f"{BASE}/p/{school.public_token}", f"{BASE}/p/{school.public_token}/complaint"}
    assert decoded == stations | public
    # Every kind registered has its poster here: a new kind fails this test until it has a place.
    assert {kind.key for kind, _place in station_places_of(school.id)} == set(station_kinds.KINDS)
    page = client.get("/stations").get_data(as_text=True)
    assert all(link in page for link in stations | public)
    assert "以下还没有海报" not in page
