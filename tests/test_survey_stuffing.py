"""Survey answers cannot be stuffed: the device cookie is the server's own (a made-up or altered
one is refused, with the typed answers kept), answers per network address and survey are
limited (behind a proxy, by the address PROXY_COUNT trusts), and a burst of answers from one
address is shown to the clerk on the results page."""

import secrets

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeSerializer

from portal import create_app
from portal.extensions import db, limiter
from portal.models import SurveyResponse
from tests.conftest import PortalClient, login
from tests.test_surveys import by_text, make_survey, people  # noqa: F401 - the fixture

MADE_UP = "请从问卷的链接或二维码打开"


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


def answers():
    return db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse))


def _post(client, survey, rating="4", address="198.51.100.7", **environ):
    return client.post(
        f"/s/{survey.token}",
        data={by_text(survey)["饭菜的口味"]: rating, by_text(survey)["你对食堂有什么建议？"]: "多一些青菜"},
        environ_base={"REMOTE_ADDR": address, **environ},
    )


def test_forty_posts_with_made_up_cookies_store_one_answer(client, people):  # noqa: F811
    survey = make_survey(people)
    client.get(f"/s/{survey.token}")
    assert _post(client, survey).status_code == 200
    forged = URLSafeSerializer("not the server's key", salt="survey-device")
    for n in range(40):
        value = secrets.token_hex(16) if n % 2 else forged.dumps(secrets.token_hex(16))
        client.set_cookie("survey_device", value)
        refused = _post(client, survey)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422 and MADE_UP in page
        assert "多一些青菜" in page  # what was typed stays
    assert answers() == 1


def test_a_phone_whose_cookie_was_lost_answers_after_one_more_tap(client, people):  # noqa: F811
    survey = make_survey(people)
    first = _post(client, survey)  # no cookie at all: refused, and the page gives one
    assert first.status_code == 422 and "survey_device" in first.headers.get("Set-Cookie", "")
    assert _post(client, survey).status_code == 200 and answers() == 1


def test_answers_from_one_address_are_limited_and_shown_to_the_clerk(app, client, people, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "SURVEY_ANSWERS_PER_ADDRESS", "5 per hour")
    monkeypatch.setitem(app.config, "SURVEY_BURST_ANSWERS", 5)
    survey = make_survey(people)
    statuses = []
    for _phone in range(8):  # a fresh phone each time, with a cookie the server really issued
        phone = app.test_client()
        phone.get(f"/s/{survey.token}")
        response = _post(phone, survey)
        statuses.append(response.status_code)
    assert statuses == [200] * 5 + [429] * 3
    page = response.get_data(as_text=True)
    assert "来自您所在网络的答卷太多" in page and "多一些青菜" in page
    elsewhere = app.test_client()
    elsewhere.get(f"/s/{survey.token}")
    assert _post(elsewhere, survey, address="203.0.113.20").status_code == 200  # another address answers
    assert answers() == 6

    login(client, people.clerk)
    results = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert 'id="survey-bursts"' in results and "5 份" in results.split('id="survey-bursts"')[1]


def test_answers_from_many_addresses_show_no_burst(app, client, people, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "SURVEY_BURST_ANSWERS", 3)
    survey = make_survey(people)
    for n in range(6):
        phone = app.test_client()
        phone.get(f"/s/{survey.token}")
        assert _post(phone, survey, address=f"198.51.100.{n}").status_code == 200
    login(client, people.clerk)
    assert 'id="survey-bursts"' not in client.get(f"/surveys/{survey.id}").get_data(as_text=True)


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_proxy_the_limit_counts_the_address_proxy_count_trusts(app, people, proxies):  # noqa: F811
    """Eight phones on eight networks through the county's nginx (10.0.0.1): with PROXY_COUNT=1
    each is its own address; without it they all share the proxy's and the limit stops them."""
    behind = create_app(dict(app.config) | {"PROXY_COUNT": proxies, "SURVEY_ANSWERS_PER_ADDRESS": "5 per hour"})
    behind.test_client_class = PortalClient
    survey = make_survey(people)
    statuses = []
    for n in range(8):
        phone = behind.test_client()
        forwarded = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        phone.get(f"/s/{survey.token}", environ_base={"REMOTE_ADDR": "10.0.0.1", **forwarded})
        statuses.append(_post(phone, survey, address="10.0.0.1", **forwarded).status_code)
    assert statuses == ([200] * 5 + [429] * 3 if proxies == 0 else [200] * 8)
