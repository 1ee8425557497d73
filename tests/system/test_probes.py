"""Crashes and leaks found by probing (issue 15): whatever an attacker sends, the answer is a Chinese page or
JSON {code, detail} with the right status, never a bare 500."""

import csv
import datetime
import io
import json
import sys

import openpyxl
import pytest
from django.test import override_settings

from supervision.models import SupervisionOrder
from tests.factories import InspectionFactory, PlanFactory, ProblemFactory, ProjectFactory
from voting.api.fastpath import BallotFastPath

API_LISTS = [
    "/api/v1/projects/",
    "/api/v1/supervision/problems/",
    "/api/v1/supervision/inspections/",
    "/api/v1/supervision/orders/",
]
PAGES = ["/filing/", "/supervision/", "/dashboard/", "/", "/login/", "/healthz", "/admin/"]
UNKNOWN_METHODS = ["TRACE", "CONNECT", "PROPFIND", "FOO"]


# -- unknown methods -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", UNKNOWN_METHODS)
def test_unknown_methods_on_api_lists_answer_405_in_json(client, org, method):
    client.force_login(org.staff)
    for url in API_LISTS:
        response = client.generic(method, url)

        assert response.status_code == 405, url
        assert response.json() == {"code": "method_not_allowed", "detail": f"不支持 {method} 请求方法。"}
        assert "GET" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize("user", [None, "staff", "filer", "leader"])
def test_trace_on_pages_answers_a_chinese_405(client, org, user):
    if user:
        client.force_login(getattr(org, user))
    for url in PAGES:
        response = client.generic("TRACE", url)

        assert response.status_code == 405, url
        text = response.content.decode()
        assert "请求方法不被允许" in text, url
        assert "不支持 TRACE 请求方法" in text, url
        assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_known_methods_still_reach_the_views(client, org):
    client.force_login(org.staff)

    assert client.get("/api/v1/projects/").status_code == 200
    assert client.options("/api/v1/projects/").status_code == 200
    assert client.delete("/api/v1/projects/").status_code == 405  # DRF's own answer for a list
    assert client.head("/filing/").status_code in (200, 302)


# -- 500: Chinese page, JSON on the API -----------------------------------------------------------------


class FailingMiddleware:
    """Fails on one path, as a middleware that breaks would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/probe/middleware/" or request.path == "/api/v1/probe/middleware/":
            raise RuntimeError("a middleware failed")
        return self.get_response(request)


@pytest.fixture
def failing(settings, client):
    """The project's URLs plus views that fail; DEBUG off; the client answers as the server would."""
    settings.ROOT_URLCONF = "tests.system.probe_urls"
    settings.DEBUG = False
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.system.test_probes.FailingMiddleware"]
    client.raise_request_exception = False
    return client


def assert_chinese_500_page(response):
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "系统出错（500）" in text
    assert "Server Error" not in text
    assert "Internal" not in text


@pytest.mark.django_db
def test_a_failing_page_answers_the_chinese_500_page(failing, org):
    failing.force_login(org.staff)

    assert_chinese_500_page(failing.get("/probe/broken/"))


@pytest.mark.django_db
def test_a_failing_middleware_answers_the_chinese_500_page(failing):
    assert_chinese_500_page(failing.get("/probe/middleware/"))


@pytest.mark.django_db
def test_the_500_page_is_chinese_even_when_its_template_cannot_render(failing, settings, tmp_path):
    # No collected static files: every {% static %} of the manifest storage fails, 500.html's too.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

    response = failing.get("/")  # the portal's own template fails first

    assert_chinese_500_page(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/probe/broken/", "/api/v1/probe/middleware/"])
def test_a_failing_api_answers_500_in_json(failing, org, path):
    failing.force_login(org.staff)

    response = failing.get(path)

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "server_error"
    assert "服务器处理请求时出错" in body["detail"]


@pytest.mark.django_db
def test_an_unknown_api_path_answers_404_in_json(client, org):
    client.force_login(org.staff)

    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@override_settings(DEBUG=False)
@pytest.mark.django_db
def test_pages_keep_their_chinese_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "该网址不存在" in response.content.decode()


# -- unbounded numbers feeding date arithmetic ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("days", [10**9, 366, -1])
def test_stage_days_out_of_bounds_on_the_api_is_a_field_error(client, org, days):
    client.force_login(org.staff)

    order = {"unit": org.edu.pk, "title": "加快", "requirement": "赶上", "stage_days": {"report": days}}
    response = client.post("/api/v1/supervision/orders/", order, content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "stage_days" in body["fields"]
    assert not SupervisionOrder.objects.exists()


@pytest.mark.django_db
def test_stage_days_of_a_billion_in_the_admin_is_a_form_error(client, org):
    client.force_login(org.staff)

    response = client.post(
        "/admin/supervision/supervisionorder/add/",
        {"unit": org.edu.pk, "title": "加快进度", "requirement": "十日内报告", "report_days": str(10**9)},
    )

    assert response.status_code == 200
    assert "365" in response.content.decode()
    assert not SupervisionOrder.objects.exists()


# -- year and month query parameters -------------------------------------------------------------------

BAD_YEARS = ["0", "10000", "abc", "-1", "99999999999999999999"]
YEAR_LISTS = [
    "/api/v1/supervision/problems/",
    "/api/v1/supervision/inspections/",
    "/api/v1/supervision/orders/",
    "/api/v1/supervision/alerts/",
    "/api/v1/projects/",
    "/api/v1/funding/entries/",
]


@pytest.fixture
def found(org):
    """A problem and an inspection of 2026 in 临沂市, so the year filter has dates to look at."""
    plan = PlanFactory(region=org.city, year=2026)
    project = ProjectFactory(plan=plan, lead_unit=org.hrss)
    day = datetime.date(2026, 6, 10)
    return ProblemFactory(project=project, found_on=day), InspectionFactory(region=org.city, date=day)


@pytest.mark.django_db
@pytest.mark.parametrize("year", BAD_YEARS)
def test_a_year_no_date_can_have_is_a_400_on_the_api(client, org, found, year):
    client.force_login(org.staff)
    for url in YEAR_LISTS:
        response = client.get(url, {"year": year})

        assert response.status_code == 400, url
        body = response.json()
        assert body["code"] == "invalid"
        assert "year" in body["fields"], url


@pytest.mark.django_db
def test_a_good_year_still_filters_the_api(client, org, found):
    client.force_login(org.staff)

    assert len(client.get("/api/v1/supervision/problems/", {"year": 2026}).json()["results"]) == 1
    assert client.get("/api/v1/supervision/problems/", {"year": 2025}).json()["results"] == []
    assert len(client.get("/api/v1/supervision/inspections/", {"year": 2026}).json()["results"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [*({"year": y} for y in BAD_YEARS), {"month": "13"}, {"year": "2026", "month": "0"}]
)
def test_a_bad_year_or_month_on_the_pages_is_ignored(client, org, found, query):
    client.force_login(org.staff)
    for url in ["/supervision/problems/", "/supervision/orders/", "/supervision/alerts/", "/supervision/"]:
        response = client.get(url, query)

        assert response.status_code == 200, url
    assert "问题" in client.get("/supervision/problems/", query).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0", "10000", "abc"])
def test_a_bad_year_in_the_admin_lists_is_not_a_crash(client, org, found, year):
    client.force_login(org.staff)
    for model in ["problem", "inspection", "supervisionorder", "alert", "unitaccountability"]:
        response = client.get(f"/admin/supervision/{model}/", {"year": year, "found_on__year": year})

        # Ignored (200), sent back to the list (302) or refused as a bad lookup (400, Chinese): never a 500.
        assert response.status_code in (200, 302, 400), model


# -- formulas in exports -------------------------------------------------------------------------------

EVIL = {
    "title": '=HYPERLINK("http://evil.example/","点击查看")',
    "content": "+1+cmd|' /C calc'!A0",
    "work_standard": "@SUM(1+1)*cmd|' /C calc'!A0",
    "responsible_leader": "-2+3",
    "contact_person": "\t=1+1",
}


def export_rows(client, model, file_format):
    """The rows of the admin's export of `model` in `file_format` ("xlsx" or "csv"), every column ticked."""
    page = client.get(f"/admin/supervision/{model}/export/")
    form = page.context["form"]
    choice = next(value for value, label in form.fields["format"].choices if label.lower() == file_format)
    data = {"format": choice, **{name: "on" for name, field in form.fields.items() if field.initial is True}}
    response = client.post(f"/admin/supervision/{model}/export/", data)
    assert response.status_code == 200
    if file_format == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[cell.value for cell in row] for row in book.active.iter_rows()], book


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["taskitem", "responsibilityitem"])
def test_task_and_responsibility_exports_write_no_live_formula_to_excel(client, org, model):
    ProjectFactory(plan=PlanFactory(region=org.city, year=2026), lead_unit=org.hrss, **EVIL)
    client.force_login(org.staff)

    rows, book = export_rows(client, model, "xlsx")

    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)
    texts = [value for row in rows for value in row if isinstance(value, str)]
    assert not any(text.startswith(("=", "+", "-", "@", "\t")) for text in texts)
    assert "'" + EVIL["title"] in texts


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["taskitem", "responsibilityitem"])
def test_task_and_responsibility_exports_write_no_formula_to_csv(client, org, model):
    ProjectFactory(plan=PlanFactory(region=org.city, year=2026), lead_unit=org.hrss, **EVIL)
    client.force_login(org.staff)

    rows = export_rows(client, model, "csv")

    texts = [value for row in rows for value in row]
    assert not any(text.startswith(("=", "+", "-", "@", "\t")) for text in texts)
    assert "'" + EVIL["title"] in texts


# -- rate limits key on the client, not on the proxy -------------------------------------------------

PROXY = "10.0.0.2"


@pytest.fixture
def one_code_per_address(settings):
    settings.MINSHENG_TRUSTED_PROXIES = ["10.0.0.0/24"]
    # One code a day from each address; the phones differ, so only the address limit can refuse.
    settings.PHONE_VERIFICATION = {"ip_limits": ((86400, 1),)}


def send_code(client, phone, **meta):
    return client.post(
        "/api/v1/verification/codes/",
        {"phone": phone, "purpose": "vote"},
        content_type="application/json",
        **meta,
    )


@pytest.mark.django_db
def test_clients_behind_a_trusted_proxy_get_separate_limits(client, one_code_per_address, outbox):
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    second = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.2"}

    assert send_code(client, "13800000001", **first).status_code == 202
    assert send_code(client, "13800000002", **second).status_code == 202
    refused = send_code(client, "13800000003", **first)
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_frequent"


@pytest.mark.django_db
def test_an_untrusted_peer_cannot_escape_its_limit_with_a_forwarded_header(
    client, one_code_per_address, outbox
):
    peer = "203.0.113.9"

    assert (
        send_code(client, "13800000001", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 202
    )
    again = send_code(client, "13800000002", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert again.status_code == 429


@pytest.mark.django_db
def test_the_ballot_fast_path_counts_the_forwarded_client(settings, monkeypatch):
    settings.MINSHENG_TRUSTED_PROXIES = ["10.0.0.0/24"]
    seen = []
    monkeypatch.setattr("voting.api.fastpath.cast", lambda vote_id, ballot, ip: seen.append(ip) or (201, {}))
    body = json.dumps({"phone": "13800000001", "code": "123456", "options": [1]}).encode()
    application = BallotFastPath(lambda environ, start_response: [b""])

    for peer, forwarded in ((PROXY, "198.51.100.7"), ("203.0.113.9", "198.51.100.8")):
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/votes/1/ballots/",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": peer,
            "HTTP_X_FORWARDED_FOR": forwarded,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        application(environ, lambda status, headers, exc_info=None: None)

    assert seen == ["198.51.100.7", "203.0.113.9"]


@pytest.mark.django_db
@pytest.mark.parametrize("on", ["0001-01-01", "9999-12-31", "2026-02-30", "abc"])
def test_the_board_judged_on_an_impossible_day_is_a_400(client, org, found, on):
    client.force_login(org.staff)

    response = client.get("/api/v1/supervision/board/", {"on": on})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_date"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["date__year=10000", "date__year=0", "date__year__gte=99999", "date__year=abc"]
)
def test_an_impossible_year_lookup_in_an_admin_list_is_a_400(client, org, found, query):
    client.force_login(org.staff)
    client.raise_request_exception = False

    response = client.get(f"/admin/supervision/inspection/?{query}")

    assert response.status_code == 400
    assert "请求的内容无法处理" in response.content.decode()
    assert client.get("/admin/supervision/inspection/?date__year=2026").status_code == 200
