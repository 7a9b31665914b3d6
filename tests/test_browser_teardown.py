"""A browser test's pages stop asking the live server before its database is flushed.

A context left open outlived its test: the residents' service worker, installing itself,
fetched /lapor/ after the test had ended, on the connection the in-memory SQLite test
database shares with the live server's thread, so the flush failed and the next test met
the last one's rows (a CI run on SQLite, December 2026). tests/conftest.py closes every
page a browser test opened (tests/browser.close_opened_pages) before any fixture's
teardown; this checks the helper does what that relies on.
"""

import time

import pytest
from django.core.signals import request_started

from tests.browser import DESKTOP, close_opened_pages, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_closing_the_opened_pages_stops_their_requests_to_the_live_server(chromium, live_server):
    arrived = []

    def count(**kwargs):
        arrived.append(time.monotonic())

    request_started.connect(count)
    try:
        page = new_page(chromium, DESKTOP, service_workers="block")
        page.goto(f"{live_server.url}/kerja/masuk/")
        # A page that keeps asking, as a script or a service worker may after the test's
        # last step: one request every 50 ms.
        page.evaluate("setInterval(() => fetch('/kerja/masuk/').catch(() => {}), 50)")
        page.wait_for_timeout(300)
        assert len(arrived) > 2, "the page should have asked again and again before it was closed"

        close_opened_pages()
        closed = time.monotonic()
        time.sleep(0.5)

        assert page.is_closed()
        assert [at for at in arrived if at > closed] == []
    finally:
        request_started.disconnect(count)
