"""Crashes and leaks found by probing (issue 15): whatever an attacker sends, the answer is a Chinese page or
JSON {code, detail} with the right status, never a bare 500."""

import pytest
from django.test import override_settings

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
