"""Helpers for the Playwright tests: Debian's Chromium, page sizes, screenshots, log-in.

Playwright's own browser download is never used: Debian's /usr/bin/chromium is launched
headless with everything that would phone home switched off.
"""

import os
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PHONE = {"width": 390, "height": 844}
PHONE_360 = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# The password of the staff the browser tests log in as.
PASSWORD = "rahasia-demo-123"

# Screenshots land in tests/screenshots (ignored by git); SCREENSHOT_DIR=docs/screenshots
# refreshes the ones the README and the guides show.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(__file__).resolve().parent / "screenshots")

# Every wait is short: the live server answers from the same machine, and a hung page
# should fail the test in seconds, not minutes. A navigation (a form posted, the next page
# and its files loaded) gets longer: on a loaded two-core CI machine, beside the other
# suite's worker and a second Chromium, a post and the page after it once took over 5 s.
TIMEOUT_MS = 5_000
NAVIGATION_TIMEOUT_MS = 15_000


def in_both_languages_on_a_phone_and_a_desktop(test):
    """Run ``test`` (taking ``language`` and ``viewport``) in Indonesian and English, each on
    a 360 px phone and a desktop."""
    test = pytest.mark.parametrize("viewport", [PHONE_360, DESKTOP], ids=["360px", "desktop"])(test)
    return pytest.mark.parametrize("language", ["id", "en"])(test)


def launch(playwright, *args):
    """Debian's Chromium, headless, with CHROMIUM_ARGS and ``args``."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *args])


def module_chromium(*args):
    """What a module-scoped ``chromium`` fixture yields from: Chromium launched with ``args``
    (see launch), closed when the module's tests are done. Playwright's sync API keeps an
    event loop in this thread, which Django would take for async code; the live server
    thread and the test never touch the ORM at once."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = launch(playwright, *args)
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Every page reports what the Content-Security-Policy refused: the browser's
# securitypolicyviolation event (added before any script of the page runs) and its console
# message ("Refused to ..."). The tests run with the policy on, as production does.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.aduanCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} on ${e.documentURI}`
    + (e.sample ? ` (${e.sample})` : ""));
});
"""

# Pages opened during the current test (conftest.py checks them for CSP violations at its end).
opened_pages = []


def new_page(browser, viewport, *, mobile=False, **context_options):
    """A page in a fresh context (its own cookies), which records every failed request and
    every CSP violation, so a missing stylesheet, a server error or a refused inline script
    cannot slip by unnoticed (page.failures; CSP violations also in page.csp_violations).
    ``context_options`` go to Playwright's new_context (e.g. service_workers="block")."""
    context = browser.new_context(
        viewport=viewport, is_mobile=mobile, has_touch=mobile, locale="id-ID", **context_options
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    page = context.new_page()
    page.failures = []
    page.csp_violations = []

    def violation(message):
        page.csp_violations.append(message)
        page.failures.append(f"csp {message}")

    context.expose_function("aduanCspViolation", violation)
    context.add_init_script(_REPORT_VIOLATIONS)
    page.on("response", lambda r: r.status >= 400 and page.failures.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: _aborted(r) or page.failures.append(f"failed {r.url}"))
    page.on("pageerror", lambda error: page.failures.append(f"js error {error}"))
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.csp_violations.append(f"console {m.text}"),
    )
    opened_pages.append(page)
    return page


def close_opened_pages():
    """Close the contexts of the pages the test opened, and wait (up to NAVIGATION_TIMEOUT_MS)
    until the live server has answered every request already sent. A context outlives its
    test otherwise: a page's scripts, and the residents' service worker installing itself
    (it fetches the form, /lapor/, after the page has loaded), went on asking the live
    server while the test's database was flushed; on in-memory SQLite the server's thread
    shares the test's connection, so the flush failed and the next test found the last
    one's rows. Run before any fixture's teardown (tests/conftest.py)."""
    for context in {id(page.context): page.context for page in opened_pages}.values():
        context.close()
    deadline = time.monotonic() + NAVIGATION_TIMEOUT_MS / 1000
    while time.monotonic() < deadline and any(
        thread.name.endswith("(process_request_thread)") for thread in threading.enumerate()
    ):
        time.sleep(0.05)


def _aborted(request):
    """A request the browser cancelled itself because the page moved on (a favicon or a map
    tile still loading when the next page was opened): net::ERR_ABORTED. A file that is
    missing or refused still counts: it answers 4xx/5xx, or fails with another error."""
    return (request.failure or "").startswith("net::ERR_ABORTED")


def csp_violations_of_opened_pages():
    """The CSP violations of every page opened since the last call, which forgets them."""
    found = [v for page in opened_pages for v in page.csp_violations]
    opened_pages.clear()
    return found


def shoot(page, name):
    """A full-page screenshot of the step (see SCREENSHOTS)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def assert_styled(page):
    """The page's stylesheets and htmx arrived: app.css gives the top bar its brand colour,
    which an unstyled page would not have."""
    assert page.failures == [], page.failures
    loaded = page.evaluate("Array.from(document.styleSheets).map(s => s.cssRules.length)")
    assert loaded and all(loaded), f"empty or missing stylesheets: {loaded}"
    background = page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    assert page.evaluate("typeof window.htmx") == "object"


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/kerja/masuk/")
    assert_styled(page)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Masuk')")


def logged_in(browser, viewport, base_url, username, language, password=PASSWORD):
    """A new page logged in as ``username``, reading ``language`` (the language cookie),
    on a phone's context when ``viewport`` is PHONE_360."""
    page = new_page(browser, viewport, mobile=viewport is PHONE_360)
    log_in(page, base_url, username, password)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])
    return page


def open_box(box):
    """Open an action box (the first one on the page is open already: a click would close it)."""
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    expect(box).to_have_attribute("open", "")


def assert_fits(page, viewport):
    """The page does not scroll sideways at ``viewport``'s width."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} scrolls sideways: {width}px"
