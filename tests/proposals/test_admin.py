"""The proposals admin: handling through confirmation pages (GET and the first POST change nothing), roles
(staff write, leaders and auditors read, history for staff and auditors), region scope, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.choices import ProjectLevel
from proposals import services
from proposals.choices import (
    CandidateStatus,
    CarryOverDecision,
    DecisionStage,
    ProposalSource,
    ProposalStatus,
)
from proposals.models import Candidate, CarryOver, CollectionRound, DecisionStep, Proposal, ProposalAction
from tests.projects.test_admin import login

pytestmark = pytest.mark.django_db


def changelist(model):
    return reverse(f"admin:proposals_{model}_changelist")


def list_action(client, model, name, objs, **data):
    """The changelist's action POST; with `confirm` the confirmation page's POST."""
    post = {"action": name, "_selected_action": [o.pk for o in objs], **data}
    if not data:
        post["index"] = 0
    return client.post(changelist(model), post)


def status(proposal):
    proposal.refresh_from_db()
    return proposal.status


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "auditor"])
def test_every_proposals_page_loads(client, org, role, make_candidate, run_decision, make_project):
    candidate = make_candidate()
    run_decision(candidate, until=DecisionStage.EXPERT)
    proposal = candidate.proposals.get()
    carry = services.set_carry_over(make_project("01"), actor=org.staff, decision=CarryOverDecision.EXIT)
    login(client, getattr(org, role))
    objects = {
        "collectionround": proposal.round,
        "proposal": proposal,
        "candidate": candidate,
        "decisionstep": candidate.steps.first(),
        "carryover": carry,
    }
    for model, obj in objects.items():
        assert client.get(changelist(model)).status_code == 200, model
        assert client.get(reverse(f"admin:proposals_{model}_change", args=[obj.pk])).status_code == 200, model
        history = client.get(reverse(f"admin:proposals_{model}_history", args=[obj.pk])).status_code
        assert history == (403 if role == "leader" else 200), model
    assert client.get(changelist("projectlineage")).status_code == 200


def test_accept_goes_through_a_confirmation_page(client, org, make_proposal):
    a, b = make_proposal("一"), make_proposal("二")
    login(client, org.staff)
    response = list_action(client, "proposal", "accept_selected", [a, b])
    assert response.status_code == 200
    assert "确认受理" in response.content.decode()
    assert status(a) == ProposalStatus.SUBMITTED
    response = list_action(client, "proposal", "accept_selected", [a, b], confirm="yes", reason="")
    assert response.status_code == 302
    assert (status(a), status(b)) == (ProposalStatus.ACCEPTED, ProposalStatus.ACCEPTED)
    assert ProposalAction.objects.filter(kind="accept", actor=org.staff).count() == 2


def test_decline_needs_a_reason_on_the_confirmation_page(client, org, make_proposal):
    proposal = make_proposal()
    login(client, org.staff)
    response = list_action(client, "proposal", "decline_selected", [proposal], confirm="yes", reason=" ")
    assert response.status_code == 200
    assert "请填写不予采纳理由" in response.content.decode()
    assert status(proposal) == ProposalStatus.SUBMITTED
    list_action(client, "proposal", "decline_selected", [proposal], confirm="yes", reason="超出本级事权")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (ProposalStatus.DECLINED, "超出本级事权")


def test_merge_and_shortlist_from_the_list(client, org, make_proposal):
    a, b, c = make_proposal("一"), make_proposal("二"), make_proposal("三")
    login(client, org.staff)
    page = list_action(client, "proposal", "merge_selected", [a, b, c])
    assert "合并为（保留的建议）" in page.content.decode()
    list_action(client, "proposal", "merge_selected", [a, b, c], confirm="yes", into=b.pk, reason="同类")
    assert (status(a), status(b), status(c)) == (
        ProposalStatus.MERGED,
        ProposalStatus.ACCEPTED,
        ProposalStatus.MERGED,
    )
    list_action(client, "proposal", "shortlist_selected", [b], confirm="yes", candidate="", title="城区停车")
    candidate = Candidate.objects.get()
    assert (candidate.title, list(candidate.proposals.all())) == ("城区停车", [b])


def test_refused_step_shows_the_reason_and_changes_nothing(client, org, make_proposal):
    proposal = make_proposal()
    login(client, org.staff)
    response = list_action(
        client, "proposal", "shortlist_selected", [proposal], confirm="yes", candidate="", title=""
    )
    assert response.status_code == 200
    assert "须先受理" in response.content.decode()
    assert not Candidate.objects.exists()


def test_detail_actions_change_only_on_post(client, org, make_proposal):
    proposal = make_proposal()
    login(client, org.staff)
    url = reverse("admin:proposals_proposal_accept_detail", args=[proposal.pk])
    assert client.get(url).status_code == 200
    assert status(proposal) == ProposalStatus.SUBMITTED
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert status(proposal) == ProposalStatus.ACCEPTED
    client.post(reverse("admin:proposals_proposal_shortlist_detail", args=[proposal.pk]), {"confirm": "yes"})
    assert status(proposal) == ProposalStatus.SHORTLISTED


def test_leader_and_auditor_cannot_handle(client, org, make_proposal):
    proposal = make_proposal()
    change = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    assert "accept/" in login(client, org.staff).get(change).content.decode()  # staff see the buttons
    for reader in (org.leader, org.auditor):
        login(client, reader)
        client.post(reverse("admin:proposals_proposal_accept_detail", args=[proposal.pk]), {"confirm": "yes"})
        list_action(client, "proposal", "decline_selected", [proposal], confirm="yes", reason="x")
        assert status(proposal) == ProposalStatus.SUBMITTED
        page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).content.decode()
        assert "accept/" not in page


def test_other_regions_proposals_are_out_of_reach(client, org, make_proposal):
    proposal = make_proposal()
    login(client, org.jinan_staff)
    assert client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).status_code == 302
    assert proposal.tracking_code not in client.get(changelist("proposal")).content.decode()
    list_action(client, "proposal", "accept_selected", [proposal], confirm="yes", reason="")
    assert status(proposal) == ProposalStatus.SUBMITTED


def test_staff_enters_a_letter_with_phone_kept_masked(client, org, collection_round):
    login(client, org.staff)
    response = client.post(
        reverse("admin:proposals_proposal_add"),
        {
            "round": collection_round.pk,
            "source": ProposalSource.LETTER,
            "proposer_name": "赵六",
            "phone": "139 0000 1111",
            "category": "education",
            "title": "增加公办幼儿园学位",
            "description": "来信反映城区公办幼儿园学位紧张。",
            "estimated_cost": "",
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
            "actions-TOTAL_FORMS": 0,
            "actions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = Proposal.objects.get()
    assert (proposal.phone_masked, proposal.created_by, proposal.source) == (
        "139****1111",
        org.staff,
        "letter",
    )
    assert proposal.actions.get().kind == "submit"
    page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).content.decode()
    assert "13900001111" not in page
    assert "139****1111" in page


def test_candidate_decision_steps_through_the_admin(client, org, make_candidate, run_decision):
    candidate = make_candidate()
    run_decision(candidate, until=DecisionStage.COLLECTIVE)
    login(client, org.staff)
    url = reverse("admin:proposals_candidate_record_step_detail", args=[candidate.pk])
    page = client.get(url).content.decode()
    assert "本次登记环节：集体讨论决定" in page
    assert "牵头单位" in page
    client.post(
        url,
        {
            "confirm": "yes",
            "held_on": "2016-12-20",
            "outcome": "passed",
            "document_number": "市政府常务会议纪要〔2016〕20号",
            "code": "2017-05",
            "level": ProjectLevel.CITY,
            "lead_unit": org.edu.pk,
        },
    )
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.APPROVED
    assert candidate.project.code == "2017-05"
    assert candidate.project.lead_unit == org.edu
    # The procedure is over: the page says so instead of offering a step.
    response = client.get(url)
    assert response.status_code == 302


def test_out_of_order_step_cannot_be_forced_through_the_admin(client, org, make_candidate):
    candidate = make_candidate()
    login(client, org.staff)
    url = reverse("admin:proposals_candidate_record_step_detail", args=[candidate.pk])
    client.post(url, {"confirm": "yes", "held_on": "2016-10-01", "outcome": "passed", "stage": "collective"})
    assert list(DecisionStep.objects.values_list("stage", flat=True)) == ["motion"]


def test_rollover_admin_action(client, org, make_project):
    project = make_project("01")
    services.set_carry_over(project, actor=org.staff, decision=CarryOverDecision.CONTINUE)
    login(client, org.staff)
    carry = CarryOver.objects.get()
    page = list_action(client, "carryover", "rollover_selected", [carry])
    assert "临沂市2016年度" in page.content.decode()
    assert not project.successors.exists()
    list_action(client, "carryover", "rollover_selected", [carry], confirm="yes")
    assert project.successors.get().plan.year == 2017


def test_changelists_query_count_is_constant(client, org, make_proposal, make_candidate, run_decision):
    login(client, org.staff)

    def count(model):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(changelist(model)).status_code == 200
        return len(ctx)

    run_decision(make_candidate("甲"), until=DecisionStage.RISK)
    few = {model: count(model) for model in ("proposal", "candidate", "decisionstep", "collectionround")}
    for i in range(15):
        run_decision(make_candidate(f"项目{i}"), until=DecisionStage.RISK)
        make_proposal(f"建议{i}")
    CollectionRound.objects.create(
        region=org.lanshan,
        year=2017,
        name="兰山区征集",
        opens_on=datetime.date(2016, 8, 1),
        closes_on=datetime.date(2016, 9, 1),
    )
    assert {model: count(model) for model in few} == few


def test_detail_action_on_another_regions_record_is_404(client, org, make_proposal, make_candidate):
    proposal, candidate = make_proposal(), make_candidate("乙")
    login(client, org.jinan_staff)
    accept = reverse("admin:proposals_proposal_accept_detail", args=[proposal.pk])
    assert client.get(accept).status_code == 404
    url = reverse("admin:proposals_candidate_record_step_detail", args=[candidate.pk])
    step = {"confirm": "yes", "held_on": "2016-10-01", "outcome": "passed"}
    assert client.post(url, step).status_code == 404
    assert not candidate.steps.exists()


def test_candidate_form_cannot_attach_proposals_around_the_workflow(client, org, make_proposal):
    proposal = make_proposal()
    login(client, org.staff)
    response = client.post(
        reverse("admin:proposals_candidate_add"),
        {
            "region": org.city.pk,
            "year": 2017,
            "sequence": 3,
            "title": "城区公厕改造",
            "description": "改造城区公厕50座。",
            "category": "services",
            "estimated_cost": "2500000",
            "proposals": [proposal.pk],
            "steps-TOTAL_FORMS": 0,
            "steps-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    candidate = Candidate.objects.get()
    assert (candidate.created_by, candidate.proposals.count()) == (org.staff, 0)
    assert status(proposal) == ProposalStatus.SUBMITTED


def test_carry_over_form_refuses_a_merge_without_target(client, org, make_project):
    project = make_project("01")
    login(client, org.staff)
    data = {"project": project.pk, "decision": CarryOverDecision.MERGE, "merge_code": "", "merge_title": ""}
    response = client.post(reverse("admin:proposals_carryover_add"), {**data, "note": ""})
    assert response.status_code == 200
    assert "整合归并须写明归并后项目的编号和名称" in response.content.decode()
    assert not CarryOver.objects.exists()
    data.update(merge_code="2017-M1", merge_title="归并项目")
    assert client.post(reverse("admin:proposals_carryover_add"), {**data, "note": ""}).status_code == 302
    assert CarryOver.objects.get().decided_by == org.staff
