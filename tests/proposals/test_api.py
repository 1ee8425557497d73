"""The proposals API: visibility and actions per role, the services' rules as Chinese errors, filters,
query counts on lists, the schema."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals import services
from proposals.choices import CandidateStatus, DecisionStage, ProposalStatus
from proposals.models import Candidate, Proposal
from tests.fixtures.proposals import CITIZEN_PHONE
from tests.projects.test_api import client_for

pytestmark = pytest.mark.django_db

API = "/api/v1"


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_proposals_visible_per_role(org, make_proposal, collection_round):
    mine = make_proposal()
    jinan_round = type(collection_round).objects.create(
        region=org.other_city,
        year=2017,
        name="济南征集",
        opens_on=datetime.date(2016, 8, 1),
        closes_on=datetime.date(2016, 9, 30),
    )
    services.submit_proposal(
        jinan_round,
        {"proposer_name": "甲", "category": "health", "title": "济南建议", "description": "内容" * 10},
        source="letter",
        actor=org.jinan_staff,
    )
    unit_one = services.submit_proposal(
        collection_round,
        {
            "proposer_name": "市人社局",
            "proposer_unit": org.hrss,
            "category": "employment",
            "title": "就业",
            "description": "内容" * 10,
        },
        source="unit",
        actor=org.staff,
    )
    for user in (org.staff, org.leader, org.auditor, org.admin):
        assert ids(client_for(user).get(f"{API}/proposals/")) >= {mine.pk, unit_one.pk}
    assert ids(client_for(org.jinan_staff).get(f"{API}/proposals/")) & {mine.pk, unit_one.pk} == set()
    assert ids(client_for(org.county_staff).get(f"{API}/proposals/")) == set()
    assert ids(client_for(org.filer).get(f"{API}/proposals/")) == {unit_one.pk}
    assert client_for().get(f"{API}/proposals/").status_code == 403
    assert client_for(org.jinan_staff).get(f"{API}/proposals/{mine.pk}/").status_code == 404


def test_phone_is_only_masked_in_the_api(org, make_proposal):
    proposal = make_proposal(source="portal")
    body = client_for(org.staff).get(f"{API}/proposals/{proposal.pk}/").content.decode()
    assert CITIZEN_PHONE not in body
    assert "138****5678" in body
    assert "phone_hash" not in body


def test_staff_handle_proposals_by_post(org, make_proposal):
    a, b = make_proposal("一"), make_proposal("二")
    client = client_for(org.staff)
    response = client.post(f"{API}/proposals/{a.pk}/accept/", {"reason": "符合范围"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == ProposalStatus.ACCEPTED
    response = client.post(
        f"{API}/proposals/merge/", {"proposals": [a.pk, b.pk], "into": a.pk}, format="json"
    )
    assert response.status_code == 200
    b.refresh_from_db()
    assert b.merged_into == a
    response = client.post(
        f"{API}/proposals/shortlist/", {"proposals": [a.pk], "title": "新建停车场"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["proposals"] == [a.tracking_code]
    trace = client.get(f"{API}/proposals/{b.pk}/trace/").json()
    assert [e["kind"] for e in trace] == ["submit", "absorb", "shortlist"]


def test_rule_violations_are_chinese_errors(org, make_proposal):
    proposal = make_proposal()
    client = client_for(org.staff)
    response = client.post(f"{API}/proposals/{proposal.pk}/decline/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    response = client.post(f"{API}/proposals/shortlist/", {"proposals": [proposal.pk]}, format="json")
    assert response.status_code == 409
    assert "须先受理" in response.json()["detail"]
    response = client.post(
        f"{API}/proposals/merge/", {"proposals": [proposal.pk, 99999], "into": proposal.pk}, format="json"
    )
    assert response.status_code == 400
    assert "不在可见范围" in response.json()["detail"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


@pytest.mark.parametrize("role", ["leader", "auditor", "filer"])
def test_readers_cannot_act(org, make_proposal, role):
    proposal = make_proposal()
    response = client_for(getattr(org, role)).post(
        f"{API}/proposals/{proposal.pk}/accept/", {}, format="json"
    )
    assert response.status_code in (403, 404)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_other_region_staff_get_404_on_actions(org, make_proposal):
    proposal = make_proposal()
    response = client_for(org.jinan_staff).post(f"{API}/proposals/{proposal.pk}/accept/", {}, format="json")
    assert response.status_code == 404


def test_staff_register_a_letter(org, collection_round):
    response = client_for(org.staff).post(
        f"{API}/proposals/",
        {
            "round": collection_round.pk,
            "source": "npc",
            "proposer_name": "刘代表",
            "reference_number": "第58号",
            "phone": "13700001234",
            "category": "education",
            "title": "扩大公办学位",
            "description": "建议新建改扩建幼儿园。",
            "estimated_cost": "12000000",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["phone_masked"], body["source_label"]) == ("137****1234", "人大代表建议")
    response = client_for(org.staff).post(
        f"{API}/proposals/", {"round": collection_round.pk, "source": "portal"}, format="json"
    )
    assert response.status_code == 400


def test_decision_steps_in_order_through_the_api(org, make_candidate, run_decision, media_root):
    candidate = make_candidate()
    client = client_for(org.staff)
    url = f"{API}/candidates/{candidate.pk}/steps/"
    response = client.post(
        url, {"stage": "expert", "held_on": "2016-10-01", "outcome": "passed"}, format="json"
    )
    assert response.status_code == 409
    assert "下一环节应为“决策动议”" in response.json()["detail"]
    run_decision(candidate, until=DecisionStage.RISK)
    response = client.post(
        url,
        {
            "stage": "risk",
            "held_on": "2016-10-10",
            "outcome": "passed",
            "social_risk": "low",
            "environmental_risk": "low",
            "fiscal_risk": "medium",
            "document": SimpleUploadedFile("评估报告.pdf", b"%PDF-1.4"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["stage_label"] == "风险评估"
    client.post(url, {"stage": "legality", "held_on": "2016-10-11", "outcome": "passed"}, format="json")
    response = client.post(
        url,
        {
            "stage": "collective",
            "held_on": "2016-12-01",
            "outcome": "passed",
            "project": {"code": "2017-09", "lead_unit": org.edu.pk, "level": "city"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    detail = client.get(f"{API}/candidates/{candidate.pk}/").json()
    assert detail["status"] == CandidateStatus.APPROVED
    assert detail["next_stage"] is None
    assert detail["project"] == Candidate.objects.get().project_id
    assert [s["stage"] for s in detail["steps"]] == [
        "motion",
        "participation",
        "expert",
        "risk",
        "legality",
        "collective",
    ]


def test_step_with_a_unit_out_of_scope_is_refused(org, make_candidate, run_decision):
    candidate = make_candidate()
    run_decision(candidate, until=DecisionStage.COLLECTIVE)
    response = client_for(org.staff).post(
        f"{API}/candidates/{candidate.pk}/steps/",
        {
            "stage": "collective",
            "held_on": "2016-12-01",
            "outcome": "passed",
            "project": {"code": "2017-09", "lead_unit": org.jinan_office.pk},
        },
        format="json",
    )
    assert response.status_code == 400
    assert Candidate.objects.get().status == CandidateStatus.CANDIDATE


def test_leader_cannot_record_steps(org, make_candidate):
    candidate = make_candidate()
    response = client_for(org.leader).post(
        f"{API}/candidates/{candidate.pk}/steps/",
        {"stage": "motion", "held_on": "2016-10-01", "outcome": "passed"},
        format="json",
    )
    assert response.status_code == 403
    assert not candidate.steps.exists()


def test_filters(org, make_proposal, make_candidate):
    make_proposal("卫生", category="health")
    declined = make_proposal("学校", category="education")
    services.decline_proposal(declined, actor=org.staff, reason="重复")
    client = client_for(org.staff)
    assert ids(client.get(f"{API}/proposals/", {"status": "declined"})) == {declined.pk}
    assert ids(client.get(f"{API}/proposals/", {"tracking_code": declined.tracking_code.lower()})) == {
        declined.pk
    }
    assert len(ids(client.get(f"{API}/proposals/", {"region": "371300", "year": 2017}))) == 2
    assert ids(client.get(f"{API}/proposals/", {"year": 2018})) == set()
    assert client.get(f"{API}/proposals/", {"status": "nope"}).status_code == 400
    candidate = make_candidate("停车")
    assert ids(client.get(f"{API}/candidates/", {"status": "candidate", "year": 2017})) == {candidate.pk}


def test_list_query_counts_are_constant(org, make_candidate, run_decision, django_assert_num_queries):
    client = client_for(org.staff)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    urls = [f"{API}/proposals/", f"{API}/candidates/", f"{API}/decision-steps/", f"{API}/collection-rounds/"]
    run_decision(make_candidate("甲"), until=DecisionStage.RISK)
    few = [count(url) for url in urls]
    for i in range(12):
        run_decision(make_candidate(f"项目{i}"), until=DecisionStage.RISK)
    assert Proposal.objects.count() == 13
    assert [count(url) for url in urls] == few
    with django_assert_num_queries(few[0]):
        client.get(urls[0])
