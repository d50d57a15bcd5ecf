"""A fridge's month of readings as a picture, drawn on the server: a line per reading of the day
and its allowed band dashed, with the same readings in a table beside it; nothing in the picture
loads from anywhere, another school's fridge is not found, a made-up month shows this month."""

import base64
import re
from datetime import date

import pytest

from portal.models import Role
from tests import factories
from tests.conftest import login


@pytest.fixture
def fridge(school, create_user):
    keeper = create_user(Role.STAFF, school, canteen_worker=True)
    unit = factories.create_cold_unit(school)
    factories.read_temperature(unit, keeper, "4.5", day=date(2026, 9, 16), round_=1)
    factories.read_temperature(
        unit, keeper, "9.5", day=date(2026, 9, 17), round_=1, action="调整温控，复测正常", responsible=keeper
    )
    return unit


def _svg(page):
    encoded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)
    return base64.b64decode(encoded).decode()


def test_the_month_as_a_chart_and_a_table(client, school, fridge, create_user):
    login(client, create_user(Role.PRINCIPAL, school))
    page = client.get(f"/storeroom/units/{fridge.id}/month?month=2026-09").get_data(as_text=True)
    svg = _svg(page)
    assert "4.5" in svg and "9.5" in svg  # the readings are drawn
    assert "最高（°C）" in svg and "第 1 次" in svg  # the band and the series, named in Chinese
    assert not re.search(r'(src|href)="https?:', svg) and "<script src" not in svg  # nothing loads
    assert re.search(r'text-danger[^"]*">9.5 ℃<div class="small">调整温控，复测正常', page)  # out of range
    assert "2026-09-16" in page and "2026-09-30" in page and "2026-10-01" not in page


def test_a_made_up_month_is_this_month_and_another_schools_fridge_is_not_found(
    client, school, other_school, fridge, create_user
):
    login(client, create_user(Role.PRINCIPAL, school))
    for month in ("2026-13", "abc", "99999-01"):
        response = client.get(f"/storeroom/units/{fridge.id}/month?month={month}")
        assert response.status_code == 200 and _svg(response.get_data(as_text=True))
    outsider = create_user(Role.PRINCIPAL, other_school)
    login(client, outsider)
    assert client.get(f"/storeroom/units/{fridge.id}/month").status_code == 404


def test_the_days_page_links_each_fridges_month(client, school, fridge, create_user):
    login(client, create_user(Role.STAFF, school, canteen_worker=True))
    page = client.get("/storeroom/2026-09-16/temperatures").get_data(as_text=True)
    assert f"/storeroom/units/{fridge.id}/month?month=2026-09" in page
