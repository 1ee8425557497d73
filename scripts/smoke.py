"""Smoke-test a running minsheng the way its users meet it, over HTTP (standard library only).

    python scripts/smoke.py http://127.0.0.1:8000 [--bulletin FILE.pdf]

- the public pages answer 200 without a login;
- each demo login (password Minsheng@2026) signs in through the login form and the second step (the code of
  its demo authenticator, whose key is public: fixtures/demo/twofactor.py) and every page of the README's URL
  table meant for that role answers 200;
- the leader's dashboard: every /api/v1/dashboard/ call answers 200 with data (the demo's current year);
- with --bulletin, the file is a PDF (built beforehand by `manage.py build_bulletin`).

Exits 1 and lists what failed; run by .ci/run against scripts/demo.sh on the embedded default.
"""

import argparse
import hashlib
import hmac
import html
import http.cookiejar
import json
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "Minsheng@2026"
PUBLIC_PAGES = [
    "/healthz",
    "/",
    "/participate/",
    "/votes/",
    "/proposals/track/",
    "/disclosure/",
    "/api/docs/",
]
# The README's URL table, per demo login.
ROLE_PAGES = {
    "xitong": ["/admin/", "/admin/org/user/", "/admin/org/unit/", "/history/", "/notifications/"],
    "anquan": ["/admin/", "/admin/org/user/", "/notifications/"],
    "shenjiguan": ["/admin/", "/history/", "/notifications/"],
    "minshengban": [
        "/workbench/",
        "/admin/",
        "/supervision/",
        "/supervision/alerts/",
        "/supervision/orders/",
        "/supervision/problems/",
        "/filing/review/",
        "/dashboard/",
        "/notifications/",
    ],
    "shenhe": ["/workbench/", "/filing/review/", "/notifications/"],
    "lingdao": ["/dashboard/", "/supervision/", "/admin/", "/notifications/"],
    "shenji": ["/history/", "/admin/", "/notifications/"],
    "tianbao": ["/filing/", "/notifications/"],
    "lanshan": ["/workbench/", "/admin/", "/supervision/", "/filing/review/", "/dashboard/"],
}
DASHBOARD_CALLS = ["overview", "categories", "units", "projects", "lagging", "trend", "funds", "supervision"]


def demo_code(username: str, step: int = 0) -> str:
    """The 6-digit code (RFC 6238, SHA-1, 30 s) of a demo login's authenticator now, or `step` periods later.
    The demo key is the SHA-1 of "minsheng-demo-totp:<username>" (fixtures/demo/twofactor.py)."""
    key = hashlib.sha1(f"minsheng-demo-totp:{username}".encode()).digest()
    counter = int(time.time()) // 30 + step
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def form_field(page: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else None


class Session:
    """A browser-like client: cookies, the CSRF token, redirects followed."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, final URL, body) of GET path, or of POST data as a form."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Accept-Language": "zh-hans", "Referer": self.base + path}
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.url, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.url, exc.read().decode("utf-8", "replace")

    def login(self, username: str) -> str:
        """Sign in through the login form; the URL landed on."""
        status, url, page = self.request("/admin/login/")
        if status != 200:
            raise AssertionError(f"login page answered {status}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            raise AssertionError("login page has no CSRF token")
        action = urllib.parse.urlparse(url).path
        status, landed, page = self.request(
            action, {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD}
        )
        # The second step (issue 15): the demo authenticator's code; this period's, or the next one's when
        # this period's was used already (a code is good once; the server accepts one period of drift; after
        # a wrong code it waits a second before the next).
        for step in (0, 1):
            if urllib.parse.urlparse(landed).path != "/login/verify/":
                break
            if step:
                time.sleep(1.5)
            data = {
                "csrfmiddlewaretoken": form_field(page, "csrfmiddlewaretoken") or "",
                "code": demo_code(username, step),
                "next": form_field(page, "next") or "",
            }
            status, landed, page = self.request("/login/verify/", data)
        if status != 200 or "login" in urllib.parse.urlparse(landed).path:
            raise AssertionError(f"{username} could not sign in (status {status}, at {landed})")
        return landed


def has_data(value) -> bool:
    """A JSON answer that carries figures: a non-empty list or a dict with a non-empty value."""
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, dict):
        results = value.get("results", value)
        if isinstance(results, list):
            return bool(results)
        return any(
            has_data(v) if isinstance(v, list | dict) else v not in (None, "", 0) for v in value.values()
        )
    return value not in (None, "", 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--bulletin", help="a bulletin PDF built by manage.py build_bulletin")
    args = parser.parse_args()
    failures: list[str] = []

    def check(label: str, ok: bool, detail: str = "") -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {label}{'  ' + detail if detail and not ok else ''}")
        if not ok:
            failures.append(f"{label} {detail}".strip())

    print("公众 / public")
    public = Session(args.base)
    for path in PUBLIC_PAGES:
        status, _, _ = public.request(path)
        check(f"GET {path}", status == 200, f"-> {status}")

    for username, pages in ROLE_PAGES.items():
        print(f"{username}")
        session = Session(args.base)
        try:
            landed = session.login(username)
        except AssertionError as exc:
            check(f"{username} signs in", False, str(exc))
            continue
        check(f"{username} signs in, lands on {urllib.parse.urlparse(landed).path}", True)
        for path in pages:
            status, url, _ = session.request(path)
            check(f"GET {path}", status == 200 and "login" not in url, f"-> {status} {url}")
        if username == "lingdao":
            for call in DASHBOARD_CALLS:
                path = f"/api/v1/dashboard/{call}/"
                status, _, body = session.request(path)
                try:
                    payload = json.loads(body)
                except ValueError:
                    payload = None
                check(
                    f"GET {path} (with data)",
                    status == 200 and has_data(payload),
                    f"-> {status} {body[:200]}",
                )

    if args.bulletin:
        print("简报 / bulletin")
        try:
            with open(args.bulletin, "rb") as pdf:
                head = pdf.read(5)
        except OSError as exc:
            head = str(exc).encode()
        check(f"{args.bulletin} is a PDF", head == b"%PDF-", f"starts with {head!r}")

    if failures:
        print(f"\n未通过 / {len(failures)} failed:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("\n冒烟测试通过 / smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
