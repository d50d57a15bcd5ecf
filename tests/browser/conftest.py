"""A live server and Debian's Chromium, driven by Playwright.

Playwright cannot download its own browsers here; it drives /usr/bin/chromium
(`make test` installs the package when it is missing). A missing browser fails the
run: browser tests are never skipped.

Nothing here may block for long: a browser that does not close within CLOSE_SECONDS is
killed (the test then fails and says so), and the next test gets a fresh one; the live
server stops without waiting for a request that never ends.
"""

import os
import shutil
import signal
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import DayKind
from portal.timeutil import school_today
from tests import factories

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
CLOSE_SECONDS = 15


@pytest.fixture(scope="session")
def playwright():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-packages` (Debian package chromium)")
    with sync_playwright() as playwright:
        yield playwright


class Browser:
    """One Chromium for the whole run, launched again if it had to be killed."""

    def __init__(self, playwright):
        self.playwright, self.chromium = playwright, None

    def new_context(self, **options):
        if self.chromium is None or not self.chromium.is_connected():
            self.chromium = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self.chromium.new_context(**options)

    def close(self):
        if self.chromium is not None and self.chromium.is_connected():
            with killed_after(CLOSE_SECONDS):
                self.chromium.close()


@pytest.fixture(scope="session")
def browser(playwright):
    browser = Browser(playwright)
    yield browser
    browser.close()


@contextmanager
def killed_after(seconds):
    """Runs the block; if it has not ended after ``seconds``, kills every Chromium this
    process started, which ends whatever the block waited for, and fails the test."""
    expired = threading.Event()

    def kill():
        expired.set()
        for pid in _chromium_processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    timer = threading.Timer(seconds, kill)
    timer.daemon = True
    timer.start()
    try:
        yield
    except PlaywrightError:
        if not expired.is_set():
            raise
    finally:
        timer.cancel()
    if expired.is_set():
        pytest.fail(f"the browser did not close within {seconds} s and was killed")


def _chromium_processes():
    """Chromium processes descended from this one (through Playwright's driver)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" (", 1)
            name, fields = rest.rsplit(") ", 1)
            parents[int(pid)] = (int(fields.split()[1]), name)
        except (OSError, ValueError):
            continue
    found, ours = [], {os.getpid()}
    changed = True
    while changed:
        changed = False
        for pid, (parent, name) in parents.items():
            if parent in ours and pid not in ours:
                ours.add(pid)
                changed = True
                if "chrom" in name:
                    found.append(pid)
    return found


@pytest.fixture
def live_server(app, monkeypatch):
    """The test app served on a free port, with CSRF protection on as in production. Its
    request threads are daemons: stopping it never waits for one."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads, server.block_on_close = True, False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(CLOSE_SECONDS)


@pytest.fixture
def open_page(browser, live_server):
    """open_page(phone=True) -> a page whose requests are all recorded, to prove that
    nothing is loaded from outside the portal, that no asset the pages ask for (the
    favicon included) is missing, and that no page breaks the Content-Security-Policy."""
    contexts, requested, missing, violations = [], [], [], []

    def open_page(phone=False):
        context = browser.new_context(
            **(PHONE if phone else {"viewport": {"width": 1280, "height": 900}}), locale="zh-CN"
        )
        context.on("request", lambda request: requested.append(request.url))
        context.on("response", lambda response: missing.append(response.url) if _missing_asset(response) else None)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
        )
        page.set_default_timeout(10_000)
        return page

    yield open_page
    with killed_after(CLOSE_SECONDS):
        for context in contexts:
            context.close()
    outside = [url for url in requested if not url.startswith(live_server) and not url.startswith("data:")]
    assert outside == [], "pages loaded something from outside the portal"
    assert missing == [], "pages asked for assets that are not there"
    assert violations == [], "pages broke the Content-Security-Policy"


def _missing_asset(response):
    path = urlsplit(response.url).path
    return response.status == 404 and (path.startswith(("/static/", "/admin/static/")) or path == "/favicon.ico")


def log_in(page, base_url, username, password):
    page.goto(base_url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(base_url + "/")


WIDER_THAN_THE_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > width + 1)
        .slice(0, 5)
        .map((element) => {
            const right = Math.round(element.getBoundingClientRect().right);
            return `${element.tagName.toLowerCase()}#${element.id}.${element.className}: ${right}px`;
        });
}"""


def assert_no_sideways_scroll(page, width=360):
    """The page, laid out with its fonts, fits the phone's width; else the elements that stick out."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (scroll_width, page.url, page.evaluate(WIDER_THAN_THE_SCREEN))


@pytest.fixture
def open_today(school):
    """The school's today, a canteen day: inside a term, a make-up day if it falls on a weekend."""
    today = school_today(school)
    factories.add_term(school, today - timedelta(days=30), today + timedelta(days=30))
    if today.weekday() >= 5:
        factories.add_day(school, today, DayKind.MAKEUP_DAY, "调休")
    return today
