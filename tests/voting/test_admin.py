"""The vote admin: live tallies for staff of the region, Excel export, ballots that cannot be edited."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.fixtures.voting import phone
from voting.models import Ballot
from voting.services import cast_ballot

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(make_vote, voting_open):
    vote = make_vote(max_choices=2)
    a, b, c, _ = vote.options.order_by("sequence").values_list("pk", flat=True)
    for n, options in enumerate([[a, b], [a], [c, a], [b]]):
        cast_ballot(vote, phone(n), options)
    return vote


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_staff_sees_live_tallies_while_the_vote_is_open(client, org, counted):
    page = login(client, org.staff).get(reverse("admin:voting_vote_change", args=[counted.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "有效选票 <strong>4</strong> 张" in text
    assert "<td>1</td><td>新建城区公共停车场</td><td>3</td>" in text
    assert "75.0%" in text
    listing = client.get(reverse("admin:voting_vote_changelist")).content.decode()
    assert "投票中" in listing


def test_other_regions_staff_cannot_see_the_vote(client, org, counted):
    login(client, org.jinan_staff)
    assert client.get(reverse("admin:voting_vote_change", args=[counted.pk])).status_code == 302
    assert counted.title not in client.get(reverse("admin:voting_vote_changelist")).content.decode()
    assert client.get(reverse("admin:voting_vote_export_detail", args=[counted.pk])).status_code == 404


def test_export_results_to_excel(client, org, counted):
    response = login(client, org.auditor).get(reverse("admin:voting_vote_export_detail", args=[counted.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == counted.title
    assert "有效选票 4 张" in rows[2][0]
    assert rows[4] == ("排名", "序号", "备选项目", "领域类别", "得票数", "得票率")
    assert [r[:3] + r[4:] for r in rows[5:]] == [
        (1, 1, "新建城区公共停车场", 3, 0.75),
        (2, 2, "改造老旧小区供暖管网", 2, 0.5),
        (3, 3, "新增普惠性幼儿园学位", 1, 0.25),
        (4, 4, "农村公路安全生命防护工程", 0, 0),
    ]


def test_export_action_on_the_changelist(client, org, counted):
    login(client, org.staff)
    response = client.post(
        reverse("admin:voting_vote_changelist"),
        {"action": "export_selected", "_selected_action": [counted.pk]},
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [f"{counted.pk}-{counted.title}"[:31]]


def test_ballots_are_read_only_and_show_only_masked_phones(client, org, counted):
    login(client, org.staff)
    listing = client.get(reverse("admin:voting_ballot_changelist")).content.decode()
    assert "139****0001" in listing
    assert "13900000001" not in listing
    ballot = Ballot.objects.first()
    assert client.get(reverse("admin:voting_ballot_add")).status_code == 403
    assert (
        client.post(reverse("admin:voting_ballot_delete", args=[ballot.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Ballot.objects.count() == 4
    found = client.get(reverse("admin:voting_ballot_changelist"), {"q": ballot.receipt}).content.decode()
    assert ballot.receipt in found


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "auditor"])
def test_vote_admin_pages_load(client, org, counted, role):
    login(client, getattr(org, role))
    ballot = Ballot.objects.first()
    for url in [
        reverse("admin:voting_vote_changelist"),
        reverse("admin:voting_vote_change", args=[counted.pk]),
        reverse("admin:voting_vote_history", args=[counted.pk]),
        reverse("admin:voting_ballot_changelist"),
        reverse("admin:voting_ballot_change", args=[ballot.pk]),
    ]:
        expected = {403} if url.endswith("/history/") and role == "leader" else {200}
        assert client.get(url).status_code in expected, url
