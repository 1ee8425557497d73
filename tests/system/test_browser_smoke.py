"""The browser fixture itself: Debian's chromium opens the portal served by the live server."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_portal_home_in_a_phone_viewport(live_server, phone_page):
    phone_page.goto(live_server.url + "/")
    assert phone_page.locator("h1").inner_text() == "民生实事公开平台"
    # The skip link is the first thing the keyboard reaches.
    phone_page.keyboard.press("Tab")
    assert phone_page.evaluate("document.activeElement.textContent") == "跳到正文"
    # The stylesheet came from static/ (no CDN): the header has the brand colour.
    colour = phone_page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert colour == "rgb(179, 38, 30)"
    assert phone_page.js_errors == []
