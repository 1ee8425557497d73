"""Issued bulletins on the public pages and API: only those staff published, with their frozen PDF."""

from django.test import Client
from django.urls import reverse

URL = "/disclosure/bulletins/"
API = "/api/v1/public/bulletins/"


def test_only_published_bulletins_are_listed(public_bulletins):
    body = Client().get(URL).content.decode()
    assert "1-9月份全市重点民生事项进展情况通报" in body
    assert "2016年第16期（总第57期）" in body
    assert "2016年10月14日印发" in body
    assert reverse("bulletin-public-pdf", args=[public_bulletins.shown.pk]) in body
    assert reverse("bulletin-public-docx", args=[public_bulletins.shown.pk]) in body
    assert reverse("bulletin-public-docx", args=[public_bulletins.internal.pk]) not in body
    assert "内部简报辛" not in body
    assert "简报草稿壬" not in body


def test_the_pdf_link_serves_the_published_pdf_only(public_bulletins):
    client = Client()
    response = client.get(reverse("bulletin-public-pdf", args=[public_bulletins.shown.pk]))
    assert response.status_code == 200
    assert client.get(reverse("bulletin-public-pdf", args=[public_bulletins.internal.pk])).status_code == 404


def test_the_word_link_serves_the_published_bulletin_only(public_bulletins):
    client = Client()
    response = client.get(reverse("bulletin-public-docx", args=[public_bulletins.shown.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"PK")  # a .docx is a zip
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert client.get(reverse("bulletin-public-docx", args=[public_bulletins.internal.pk])).status_code == 404
    assert client.get(reverse("bulletin-public-docx", args=[public_bulletins.draft.pk])).status_code == 404


def test_public_api_lists_published_bulletins(public_bulletins):
    rows = Client().get(API).json()["results"]
    assert [row["issue_number"] for row in rows] == [16]
    assert rows[0]["pdf_url"].endswith(reverse("bulletin-public-pdf", args=[public_bulletins.shown.pk]))
    assert rows[0]["docx_url"].endswith(reverse("bulletin-public-docx", args=[public_bulletins.shown.pk]))
    assert Client().get(API, {"year": 2017}).json()["results"] == []
    assert Client().get(f"{API}{public_bulletins.internal.pk}/").status_code == 404


def test_year_filter_and_query_count(public_bulletins, django_assert_num_queries):
    client = Client()
    with django_assert_num_queries(1):
        assert "第16期" in client.get(URL, {"year": 2016}).content.decode()
    assert "暂无公开的工作简报" in client.get(URL, {"year": 2015}).content.decode()
