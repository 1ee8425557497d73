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


# issue 15 (web): the Content-Security-Policy breaks nothing. A refused inline script or style is reported
# on the console ("Refused to ... because it violates the following Content Security Policy directive").
CSP_PAGES = [
    (None, "/"),
    (None, "/login/"),
    (None, "/disclosure/"),
    ("leader", "/dashboard/"),
    ("staff", "/home/"),
    ("staff", "/api/docs/"),
    ("admin", "/admin/"),
    ("admin", "/admin/projects/project/"),
    ("admin", "/admin/projects/project/add/"),
]


def test_pages_run_under_the_content_security_policy(live_server, browser_page, org):
    from django.conf import settings

    from tests.clients import VerifiedClient as Client

    refused: list[str] = []
    browser_page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    sessions = {}
    for who, path in CSP_PAGES:
        browser_page.context.clear_cookies()
        if who:
            if who not in sessions:
                client = Client()
                client.force_login(getattr(org, who))
                sessions[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
            browser_page.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": sessions[who], "url": live_server.url}]
            )
        response = browser_page.goto(live_server.url + path)
        browser_page.wait_for_load_state("networkidle")
        assert response is not None
        assert response.status == 200, path
        assert response.headers.get("content-security-policy"), path
        assert refused == [], (path, refused)
    assert browser_page.js_errors == []
