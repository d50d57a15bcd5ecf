"""Login, logout, session revocation, safe redirects, throttling, freshness, CSRF."""

import re
import time
from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import Role, Rule, User
from portal.timeutil import utcnow
from tests import factories
from tests.conftest import login


def form_login(client, username, password=factories.PASSWORD, next_url="", remote_addr="127.0.0.1"):
    return client.post(
        "/login",
        data={"username": username, "password": password, "next": next_url},
        environ_base={"REMOTE_ADDR": remote_addr},
    )


def test_login_with_the_form_lands_on_home(client, school, create_user):
    user = create_user(Role.STAFF, school, username="zhangsan")
    response = form_login(client, "ZhangSan ")  # usernames are case- and space-insensitive
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert db.session.get(User, user.id).last_login_at is not None


def test_a_wrong_password_is_refused_in_chinese(client, school, create_user):
    create_user(Role.STAFF, school, username="zhangsan")
    response = form_login(client, "zhangsan", "wrong-password")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "用户名或密码错误" in page
    assert 'value="zhangsan"' in page  # what was typed is kept
    assert client.get("/").status_code == 302


def test_a_deactivated_user_cannot_log_in(client, school, create_user):
    create_user(Role.STAFF, school, username="gone", active=False)
    assert form_login(client, "gone").status_code == 200
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "/\r\nevil",
    ],
)
def test_next_never_leaves_the_site(client, school, create_user, target):
    create_user(Role.STAFF, school, username="zhangsan")
    response = form_login(client, "zhangsan", next_url=target)
    location = response.headers["Location"]
    assert response.status_code == 302
    assert "evil" not in location and location == "/"


def test_next_inside_the_site_is_followed(client, school, create_user):
    create_user(Role.STAFF, school, username="zhangsan")
    response = form_login(client, "zhangsan", next_url="/my/rules")
    assert response.headers["Location"] == "/my/rules"


def test_logout_is_post_only(client, school, create_user):
    login(client, create_user(Role.STAFF, school))
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def _copied_session(app, client):
    """A second browser holding a copy of the first one's session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def test_a_copied_session_cookie_dies_with_logout(app, client, school, create_user):
    create_user(Role.STAFF, school, username="zhangsan")
    form_login(client, "zhangsan")
    thief = _copied_session(app, client)
    assert thief.get("/").status_code == 200
    client.post("/logout")
    assert thief.get("/").status_code == 302
    assert "/login" in thief.get("/").headers["Location"]


def test_a_copied_session_cookie_dies_with_a_password_change(app, client, school, create_user):
    create_user(Role.STAFF, school, username="zhangsan")
    form_login(client, "zhangsan")
    thief = _copied_session(app, client)
    response = client.post(
        "/password",
        data={
            "current_password": factories.PASSWORD,
            "password": "a-brand-new-secret",
            "confirm": "a-brand-new-secret",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # the session that changed it continues
    assert thief.get("/").status_code == 302  # every other session has ended
    client.post("/logout")
    assert form_login(client, "zhangsan", "a-brand-new-secret").status_code == 302


def test_a_copied_session_cookie_dies_with_deactivation(app, client, school, create_user):
    from portal.services import users

    user = create_user(Role.STAFF, school, username="zhangsan")
    form_login(client, "zhangsan")
    users.deactivate(None, user)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_changing_the_password_needs_the_current_one(client, school, create_user):
    user = create_user(Role.STAFF, school)
    login(client, user)
    response = client.post(
        "/password",
        data={"current_password": "not-it", "password": "a-brand-new-secret", "confirm": "a-brand-new-secret"},
    )
    assert response.status_code == 200
    assert "当前密码不正确" in response.get_data(as_text=True)


def test_a_short_new_password_is_refused(client, school, create_user):
    user = create_user(Role.STAFF, school)
    login(client, user)
    response = client.post(
        "/password", data={"current_password": factories.PASSWORD, "password": "short", "confirm": "short"}
    )
    assert response.status_code == 200
    assert "密码至少需要" in response.get_data(as_text=True)


# --- throttling ----------------------------------------------------------------------


@pytest.fixture
def quick_limits(app, monkeypatch):
    """(attempts, seconds): small numbers and a short window, so a test sees a lock lift."""
    monkeypatch.setitem(app.config, "PASSWORD_LIMIT_DEVICE", (3, 2))
    monkeypatch.setitem(app.config, "PASSWORD_LIMIT_ACCOUNT_AND_ADDRESS", (3, 2))
    monkeypatch.setitem(app.config, "PASSWORD_LIMIT_ACCOUNT", (6, 2))
    monkeypatch.setitem(app.config, "PASSWORD_LIMIT_ADDRESS", (9, 2))


def test_failed_logins_are_throttled_per_account_and_address(client, school, create_user, quick_limits):
    create_user(Role.STAFF, school, username="zhangsan")
    for _ in range(3):
        assert form_login(client, "zhangsan", "guess").status_code == 200
    blocked = form_login(client, "zhangsan")  # even the right password waits
    assert blocked.status_code == 429
    text = blocked.get_data(as_text=True)
    assert "之后再试" in text and "以前登录过的浏览器" in text  # when, and that the owner is not affected
    assert 'value="zhangsan"' in text  # what was typed is kept


def test_the_real_user_from_another_address_still_gets_in(client, school, create_user, quick_limits):
    create_user(Role.STAFF, school, username="zhangsan")
    for _ in range(3):
        form_login(client, "zhangsan", "guess", remote_addr="10.0.0.66")
    assert form_login(client, "zhangsan", remote_addr="10.0.0.66").status_code == 429
    assert form_login(client, "zhangsan", remote_addr="10.0.0.7").status_code == 302


def test_an_account_is_throttled_across_addresses(client, school, create_user, quick_limits):
    create_user(Role.STAFF, school, username="zhangsan")
    for n in range(6):
        form_login(client, "zhangsan", "guess", remote_addr=f"10.0.1.{n}")
    assert form_login(client, "zhangsan", remote_addr="10.0.2.1").status_code == 429


def test_one_address_is_throttled_across_accounts(client, school, create_user, quick_limits):
    for n in range(9):
        form_login(client, f"nobody{n}", "guess", remote_addr="10.0.3.3")
    create_user(Role.STAFF, school, username="zhangsan")
    assert form_login(client, "zhangsan", remote_addr="10.0.3.3").status_code == 429


def test_the_owner_on_a_known_browser_is_never_locked_out_by_someone_elses_guesses(
    app, school, create_user, quick_limits
):
    create_user(Role.PRINCIPAL, school, username="zhangsan")
    owner, attacker = app.test_client(), app.test_client()
    assert form_login(owner, "zhangsan", remote_addr="10.0.0.7").status_code == 302  # the owner's own browser
    owner.post("/logout")
    for n in range(30):  # from many addresses, and on after being refused
        form_login(attacker, "zhangsan", "guess", remote_addr=f"10.0.9.{n}")
    assert form_login(attacker, "zhangsan", remote_addr="10.0.9.99").status_code == 429
    assert form_login(owner, "zhangsan", remote_addr="10.0.0.7").status_code == 302


def test_a_known_browser_has_its_own_allowance(app, school, create_user, quick_limits):
    create_user(Role.STAFF, school, username="zhangsan")
    browser = app.test_client()
    assert form_login(browser, "zhangsan").status_code == 302
    browser.post("/logout")
    for _ in range(3):
        assert form_login(browser, "zhangsan", "typo").status_code == 200
    assert form_login(browser, "zhangsan").status_code == 429  # the browser's own allowance is used up
    assert form_login(app.test_client(), "zhangsan", remote_addr="10.0.0.8").status_code == 302  # not the account's


def test_refused_attempts_are_not_counted_and_the_lock_lifts_by_itself(
    client, school, create_user, quick_limits, monkeypatch
):
    """On the throttle's own clock: the real one made the test depend on the machine's load."""
    from portal import throttle

    clock = [utcnow()]
    monkeypatch.setattr(throttle, "utcnow", lambda: clock[0])
    create_user(Role.STAFF, school, username="zhangsan")
    for _ in range(3):
        form_login(client, "zhangsan", "guess")
    for _ in range(19):  # someone keeps trying while locked out, up to the end of the window
        clock[0] += timedelta(seconds=0.1)
        assert form_login(client, "zhangsan", "guess").status_code == 429
    clock[0] += timedelta(seconds=0.2)
    assert form_login(client, "zhangsan").status_code == 302


def test_successful_logins_do_not_count(client, school, create_user, quick_limits):
    create_user(Role.STAFF, school, username="zhangsan")
    for _ in range(5):
        assert form_login(client, "zhangsan").status_code == 302
        client.post("/logout")


def test_every_worker_sees_the_same_counters(app, school, create_user, quick_limits):
    """A second app on the same database stands for a second gunicorn worker."""
    from portal import create_app
    from tests.conftest import PortalClient

    create_user(Role.STAFF, school, username="zhangsan")
    other_worker = create_app(dict(app.config) | {"PASSWORD_LIMIT_ACCOUNT_AND_ADDRESS": (3, 2)})
    other_worker.test_client_class = PortalClient
    for _ in range(3):
        form_login(app.test_client(), "zhangsan", "guess")
    assert form_login(other_worker.test_client(), "zhangsan").status_code == 429


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_proxy_the_forwarded_address_counts_only_when_configured(app, school, create_user, proxies):
    """50 wrong logins under invented names through the county's nginx (10.0.0.1). Without
    PROXY_COUNT every client has the proxy's address: a real user on a browser they never
    used waits (on their own browser they do not); with PROXY_COUNT=1 the attacker's own
    address is counted and the real user gets in."""
    from portal import create_app
    from tests.conftest import PortalClient

    create_user(Role.STAFF, school, username="zhangsan")
    behind = create_app(dict(app.config) | {"PROXY_COUNT": proxies})
    behind.test_client_class = PortalClient
    attacker = behind.test_client()
    for n in range(50):
        attacker.post(
            "/login",
            data={"username": f"invented{n}", "password": "guess"},
            environ_base={"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        )
    real_user = behind.test_client().post(
        "/login",
        data={"username": "zhangsan", "password": factories.PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.4"},
    )
    assert real_user.status_code == (429 if proxies == 0 else 302)


# --- fresh login for user management ---------------------------------------------------


def test_user_management_needs_a_fresh_login(client, school, create_user):
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    login(client, clerk, fresh=False)
    assert client.get("/admin/users/").status_code == 200  # reading is fine
    response = client.get("/admin/users/new/")
    assert response.status_code == 302 and "/reauthenticate" in response.headers["Location"]
    wrong = client.post(
        "/reauthenticate?next=/admin/users/new/", data={"password": "nope", "next": "/admin/users/new/"}
    )
    assert "密码不正确" in wrong.get_data(as_text=True)
    right = client.post(
        "/reauthenticate?next=/admin/users/new/", data={"password": factories.PASSWORD, "next": "/admin/users/new/"}
    )
    assert right.headers["Location"] == "/admin/users/new/"
    assert client.get("/admin/users/new/").status_code == 200


def test_freshness_expires(app, client, school, create_user, monkeypatch):
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    login(client, clerk, fresh=True)
    assert client.get("/admin/users/new/").status_code == 200
    monkeypatch.setitem(app.config, "FRESH_LOGIN_MINUTES", 0)
    time.sleep(0.01)
    assert client.get("/admin/users/new/").status_code == 302


# --- CSRF -----------------------------------------------------------------------------


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _token(client, url):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_a_forged_admin_post_is_refused(client, school, create_user, csrf_on):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    data = {"title": "伪造的制度", "category": "food_safety", "body": "正文", "posted_locations": "kitchen"}
    forged = client.post("/admin/rules/new/", data=data)
    assert forged.status_code == 400
    assert "表单已过期" in forged.get_data(as_text=True)
    assert db.session.scalar(db.select(Rule).where(Rule.title == "伪造的制度")) is None
    genuine = client.post("/admin/rules/new/", data=data | {"csrf_token": _token(client, "/admin/rules/new/")})
    assert genuine.status_code == 302
    assert db.session.scalar(db.select(Rule).where(Rule.title == "伪造的制度")) is not None


def test_a_forged_workflow_post_is_refused(client, school, create_user, csrf_on):
    from portal.models import RuleAcknowledgement

    rule = factories.create_rule(school)
    staff = create_user(Role.STAFF, school)
    login(client, staff)
    assert client.post(f"/my/rules/{rule.id}/acknowledge").status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(RuleAcknowledgement)) == 0
    token = _token(client, f"/my/rules/{rule.id}")
    assert client.post(f"/my/rules/{rule.id}/acknowledge", data={"csrf_token": token}).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(RuleAcknowledgement)) == 1


def test_a_forged_logout_is_refused(client, school, create_user, csrf_on):
    login(client, create_user(Role.STAFF, school))
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_a_forged_login_is_refused(client, school, create_user, csrf_on):
    create_user(Role.STAFF, school, username="zhangsan")
    assert form_login(client, "zhangsan").status_code == 400
