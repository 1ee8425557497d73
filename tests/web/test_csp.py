"""Content-Security-Policy on every page, strict where we write the page, and no inline code in our
templates (issue 15, transport and browser)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import PASSWORD

REPO = Path(__file__).resolve().parents[2]
# Rendered for WeasyPrint, never served as a page of ours: its preview has its own narrow policy
# (minsheng/csp.py standalone_document; test_bulletin_preview_has_a_narrow_policy_of_its_own).
PDF_TEMPLATES = {"templates/bulletins/bulletin.html"}

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))[^>]*>\s*\S", re.I
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+=\"", re.I)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def our_templates() -> list[Path]:
    folders = [REPO / "templates", *sorted(REPO.glob("*/templates"))]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_no_template_of_ours_carries_inline_script_style_or_handlers():
    offenders = []
    templates = our_templates()
    assert len(templates) > 40  # the glob finds the templates (a test that finds none cannot fail)
    for path in templates:
        name = str(path.relative_to(REPO))
        if name in PDF_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER):
            offenders += [f"{name}: {match.group(0)!r}" for match in pattern.finditer(text)]
    assert offenders == []


def test_the_check_itself_sees_inline_code():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')
    assert INLINE_STYLE.search('<span style="width: 4%">')
    assert INLINE_STYLE.search("<style>p{}</style>")
    assert INLINE_HANDLER.search('<form oninput="this.submit()">')


def test_the_base_policy_is_strict():
    policy = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


PAGES = [
    # (who signs in, url, strict policy expected)
    (None, "/", True),
    (None, "/login/", True),
    (None, "/disclosure/", True),
    (None, "/participate/", True),
    (None, "/votes/", True),
    ("filer", "/filing/", True),
    ("staff", "/filing/review/", True),
    ("leader", "/dashboard/", True),
    ("staff", "/home/", True),
    ("staff", "/workbench/", True),
    ("staff", "/history/", True),
    ("staff", "/supervision/", True),
    ("staff", "/supervision/orders/", True),
    ("staff", "/notifications/", True),
    ("admin", "/admin/", False),
    ("admin", "/admin/projects/project/", False),
    ("admin", "/admin/projects/project/add/", False),
    ("admin", "/admin/org/user/", False),
    ("staff", "/api/docs/", False),
    ("staff", "/api/redoc/", False),
    ("staff", "/api/v1/projects/", True),
    (None, "/no-such-page/", True),
]


@pytest.mark.parametrize(("who", "url", "strict"), PAGES)
def test_every_page_answers_with_a_content_security_policy(client, org, who, url, strict):
    if who:
        client.login(username=who, password=PASSWORD)
    response = client.get(url, follow=True)
    assert response.status_code in (200, 404), (url, response.status_code)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]  # inline <script> refused everywhere
    if strict:
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"
    else:  # the admin's related-object modal frames admin pages of the same origin, and nothing else does
        assert policy["frame-ancestors"] in (["'none'"], ["'self'"])
        assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert response["Referrer-Policy"] == "same-origin"


def test_admin_pages_ship_no_inline_script_element(client, org):
    """The admin's wider policy allows eval (Alpine) and inline styles, not inline <script>: check that
    unfold's pages really have none, or they would break under the policy."""
    client.login(username="admin", password=PASSWORD)
    for url in ("/admin/", "/admin/projects/project/", "/admin/projects/project/add/"):
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url


def test_api_docs_set_up_script_is_served_as_a_file(client, org):
    client.login(username="staff", password=PASSWORD)
    html = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert "<style" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert b"SwaggerUIBundle" in script.content


def test_public_pages_render_bars_with_classes_not_style_attributes(client, org):
    html = client.get("/").content.decode()
    assert " style=" not in html


def test_bulletin_preview_has_a_narrow_policy_of_its_own(client, org, draft):
    """The bulletin's HTML carries its print stylesheet inline (it is made for WeasyPrint); previewed in the
    admin it may style itself but run nothing."""
    from django.urls import reverse

    client.login(username="staff", password=PASSWORD)
    response = client.get(reverse("admin:bulletins_bulletin_preview_detail", args=[draft.pk]))
    assert response.status_code == 200
    assert "<style" in response.content.decode()
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'none'"]
    assert policy["default-src"] == ["'none'"]
    assert policy["style-src"] == ["'unsafe-inline'"]
