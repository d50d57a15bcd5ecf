"""Stations: a fridge's or a dormitory room's poster code, scanned by a logged-in phone, opens
that place's form with the place chosen; without a login it goes to the login and back; a person
who may not record there, a code of another school, a made-up or a replaced code get a clear page
and nothing else; the poster pack's QR codes decode to the stations' links on PORTAL_BASE_URL."""

import subprocess

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from portal.extensions import db
from portal.models import Role
from portal.models.audit import AuditEvent
from portal.timeutil import school_today
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


def test_the_poster_pack_decodes_to_the_stations_links(client, school, places, create_user, tmp_path, monkeypatch):
    monkeypatch.setitem(client.application.config, "PORTAL_BASE_URL", BASE)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.get("/stations/posters.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "posters.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S607
    assert "冷藏冰箱甲" in text and "男生1号楼305" in text and "每个开伙日测温 2 次" in text
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "qr")], check=True)  # noqa: S607
    decoded = {
        result.text
        for image in sorted(tmp_path.glob("qr-*.png"))
        for result in zxingcpp.read_barcodes(Image.open(image))
    }
    assert decoded == {f"{BASE}/at/{place.station_code}" for place in places}
    page = client.get("/stations").get_data(as_text=True)
    assert all(f"{BASE}/at/{place.station_code}" in page for place in places)
