"""A county's second app server, as the README's recipe sets it up: two gunicorn instances and two
queue workers on one PostgreSQL and one Redis, the uploads and the evidence in one folder both
hosts mount. A session begun on one server is the session on the other; a logout on one ends it
on both; a sign-off on one is frozen by whichever worker takes it and its evidence downloads from
the other; an export asked for on one downloads from the other. PostgreSQL only: a school PC is
one server."""

import json
import re
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
import sqlalchemy as sa

from portal.demo import DEMO_PASSWORD
from tests.conftest import TEST_DATABASE_URL
from tests.test_production_recipe import _flask, _free_port, _gunicorn, _queue_worker, _serving, site  # noqa: F401

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="two app servers share PostgreSQL; a school PC is one server"),
]


class Browser:
    """One person's browser: one cookie jar, whichever server it asks."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, url):
        with self.opener.open(url, timeout=60) as response:
            return response.url, response.read()

    def post(self, url, form_page, fields):
        _url, page = self.get(form_page)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.decode()).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}, doseq=True).encode()
        with self.opener.open(url, data=data, timeout=60) as response:
            return response.url, response.read()


def _until(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"not within {seconds} s: {what}")


def test_two_app_servers_and_two_workers_share_everything(site):  # noqa: F811
    environment, database, processes, _folder = site
    _flask(environment, "db", "upgrade")
    _flask(environment, "seed-demo")
    first, second = (f"http://{environment['PORTAL_BIND']}", f"http://127.0.0.1:{_free_port()}")
    _gunicorn(environment, processes)
    _gunicorn(environment | {"PORTAL_BIND": second.removeprefix("http://")}, processes)
    for _worker in range(2):
        _queue_worker(environment, processes)
    assert _serving(first) and _serving(second), processes.logs()

    principal = Browser()
    landed, _page = principal.post(
        f"{first}/login", f"{first}/login", {"username": "xx-principal", "password": DEMO_PASSWORD}
    )
    assert landed.rstrip("/") == first
    landed, page = principal.get(f"{second}/sign-off")  # the session is the other server's too
    assert landed == f"{second}/sign-off", landed
    ready = sorted(set(re.findall(r'name="inspection_id" value="(\d+)"', page.decode())))
    assert ready, "the demo has inspections waiting for the principal"
    principal.post(
        f"{second}/sign-off",
        f"{second}/sign-off",
        {"inspection_id": ready, "password": DEMO_PASSWORD, "comment": ""},
    )
    engine = sa.create_engine(database)

    def frozen():
        with engine.connect() as connection:
            return connection.scalar(
                sa.text(
                    "SELECT count(DISTINCT inspection_id) FROM inspection_evidence WHERE inspection_id = ANY(:ids)"
                ),
                {"ids": [int(i) for i in ready]},
            ) == len(ready)

    _until(frozen, 120, "the workers froze what was signed on the second server")
    _url, pdf = principal.get(f"{first}/inspections/{ready[0]}/evidence")
    assert pdf.startswith(b"%PDF")

    _url, _page = principal.post(
        f"{first}/evidence",
        f"{first}/evidence",
        {"period": "custom", "first": "2026-09-01", "last": "2026-09-07", "sections": ["compliance"], "format": "pdf"},
    )
    export_id = re.search(r"/evidence/(\d+)", _url).group(1)

    def done():
        _url, body = principal.get(f"{second}/evidence/{export_id}/progress")
        return json.loads(body)["status"] == "done"

    _until(done, 180, "an export asked for on the first server was made by a worker")
    _url, bundle = principal.get(f"{second}/evidence/{export_id}/download")
    assert bundle.startswith(b"%PDF")

    principal.post(f"{second}/logout", f"{second}/", {})
    landed, _page = principal.get(f"{first}/sign-off")  # logged out on one: on both
    assert "/login" in landed, landed
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM job_failure")) == 0
    engine.dispose()
