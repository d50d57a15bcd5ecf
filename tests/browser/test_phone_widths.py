"""Nothing scrolls sideways on a 360 px phone, whoever is logged in: every page a phone user
reaches from the home page and the navigation, and the pages one tap further (a record, a
form), fits the screen. A wide table scrolls inside its own box, never the page."""

from urllib.parse import urlsplit

import pytest

from portal.demo import DEMO_PASSWORD
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

USERS = ("county", "auditor", "xx-clerk", "xx-principal", "xx-director", "xx-cook1")
# Links that leave the page for a file, or change something on a GET.
SKIP = ("/logout", "/files/", "/export/", "/download", "/evidence/verify", "javascript:")
PER_ROLE = 80
# Pages whose widest form no link opens: a term's compliance draws a chart, or a sparkline a school.
ALSO = ["/compliance?range=term"]


def _links(page, selector):
    hrefs = page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")
    return [href for href in hrefs if href and href.startswith("/") and not any(s in href for s in SKIP)]


def _width(page):
    return page.evaluate("document.documentElement.scrollWidth")


# Table cells squeezed to a character per line: text of two or more characters in a cell
# narrower than two Chinese characters.
SQUEEZED_CELLS = """() => [...document.querySelectorAll('main td, main th')]
  .filter(cell => cell.offsetParent !== null && cell.innerText.trim().length >= 2 && cell.clientWidth < 30
                  && cell.getBoundingClientRect().height > 2.5 * parseFloat(getComputedStyle(cell).lineHeight || 20))
  .map(cell => cell.innerText.trim().slice(0, 12))"""


@pytest.mark.timeout(900)
def test_no_page_scrolls_sideways_on_a_phone(demo_county, open_page, live_server):
    too_wide = []
    for username in USERS:
        page = open_page(phone=True)
        log_in(page, live_server, username, DEMO_PASSWORD)
        seen, queue = set(), ["/", *ALSO]
        queue += _links(page, "#portal-nav a.dropdown-item, #portal-nav a.nav-link")
        queue += _links(page, "main a")
        while queue and len(seen) < PER_ROLE:
            url = queue.pop(0)
            path = urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
            if path in seen:
                continue
            seen.add(path)
            response = page.goto(live_server + path)
            if response is None or response.status >= 400:
                continue
            if _width(page) > 360:
                too_wide.append(f"{username} {path}: {_width(page)} px")
            if squeezed := page.evaluate(SQUEEZED_CELLS):
                too_wide.append(f"{username} {path}: a character per line in {squeezed[:3]}")
            if len(seen) < 30:  # one tap further from the first pages: a record, a form
                queue += [href for href in _links(page, "main a") if href not in seen][:4]
        page.context.close()
    assert too_wide == [], "\n".join(too_wide)


def test_the_navigation_is_one_line_on_a_1280_px_screen(demo_county, open_page, live_server):
    """The clerk has the most menus; none of them wraps to a second line on an office PC."""
    for username in USERS:
        page = open_page()
        log_in(page, live_server, username, DEMO_PASSWORD)
        tops = page.eval_on_selector_all(
            "#portal-nav .nav-link", "links => links.map(a => a.getBoundingClientRect().top)"
        )
        assert len(tops) > 3 and max(tops) - min(tops) < 20, f"{username}: the navigation wraps ({sorted(tops)})"
        page.context.close()
