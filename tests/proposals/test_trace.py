"""Where did my proposal go: the ordered story from submission through merge, candidate list, vote and
decision to the project; and the citizen's proposal form."""

import datetime

import pytest

from proposals import services
from proposals.choices import DecisionStage, ProposalSource
from proposals.forms import PublicProposalForm
from proposals.services import decisions

pytestmark = pytest.mark.django_db


def test_trace_follows_a_merged_proposal_to_its_project(org, make_proposal, run_decision, monkeypatch):
    mine = make_proposal("老城区建停车场", source=ProposalSource.PORTAL)
    kept = make_proposal("城区停车难问题")
    services.merge_proposals([kept, mine], into=kept, actor=org.staff, reason="内容相近")
    candidate = services.shortlist_proposals([kept], actor=org.staff, title="新建公共停车场")
    monkeypatch.setattr(
        decisions,
        "candidate_result",
        lambda c: {"vote": "2017年民生实事票决", "votes": 1834, "rank": 2, "ballots": 5120},
    )
    run_decision(candidate)
    story = services.trace(mine)
    kinds = [e.kind for e in story]
    assert kinds == [
        "submit",
        "absorb",
        "shortlist",
        "decision",
        "vote",
        "decision",
        "decision",
        "decision",
        "decision",
        "decision",
        "project",
    ]
    assert "城区停车难问题" in story[1].detail
    assert kept.tracking_code in story[1].detail
    assert story[2].detail == "“新建公共停车场”"
    assert story[4].detail == "2017年民生实事票决：得票1834，排名第2位（有效选票5120张）"
    assert [e.title for e in story if e.kind == "decision"] == [
        "决策动议",
        "公众参与",
        "专家论证",
        "风险评估",
        "合法性审查",
        "集体讨论决定",
    ]
    assert story[-1].title == "列入2017年民生实事"
    candidate.refresh_from_db()
    assert story[-1].obj == candidate.project
    assert story[-1].date == datetime.date(2016, 10, 6)


def test_trace_of_a_declined_proposal_ends_with_the_reason(org, make_proposal):
    proposal = make_proposal()
    services.decline_proposal(proposal, actor=org.staff, reason="已纳入城建年度计划")
    story = services.trace(proposal)
    assert [e.title for e in story] == ["提交建议", "不予采纳"]
    assert story[-1].detail == "理由：已纳入城建年度计划"


def test_trace_of_a_rejected_candidate_stops_at_the_failed_step(org, make_candidate, run_decision):
    candidate = make_candidate()
    run_decision(candidate, until=DecisionStage.EXPERT)
    services.record_decision_step(
        candidate,
        actor=org.staff,
        stage=DecisionStage.EXPERT,
        held_on=datetime.date(2016, 10, 5),
        outcome="failed",
        responsible_unit=org.edu,
    )
    story = services.trace(candidate.proposals.get())
    assert story[-1].title == "专家论证"
    assert story[-1].detail == "不通过（市教育局）"


def test_trace_queries_do_not_grow_with_steps(
    org, make_candidate, run_decision, django_assert_max_num_queries
):
    candidate = make_candidate()
    run_decision(candidate)
    with django_assert_max_num_queries(10):
        services.trace(candidate.proposals.get())


def test_public_form_speaks_chinese_and_keeps_input(collection_round):
    form = PublicProposalForm(
        data={
            "proposer_name": "",
            "category": "nope",
            "title": "增设公交",
            "description": "太短",
            "estimated_cost": "-5",
        }
    )
    assert not form.is_valid()
    assert form.errors["proposer_name"] == ["请填写您的姓名。"]
    assert form.errors["category"] == ["请选择列表中的领域。"]
    assert form.errors["description"] == ["建议内容请至少写10个字，说明要办的事。"]
    assert form.errors["estimated_cost"] == ["估算投资不能为负数。"]
    assert "phone" not in form.fields
    assert 'value="增设公交"' in str(form["title"])


def test_public_form_data_submits_through_the_service(collection_round):
    form = PublicProposalForm(
        data={
            "proposer_name": "李四",
            "category": "services",
            "title": "增设公交线路",
            "description": "建议开通城区至高铁站的公交线路，方便群众出行。",
            "estimated_cost": "1200000",
        }
    )
    assert form.is_valid(), form.errors
    proposal = services.submit_proposal(
        collection_round, form.cleaned_data, phone="13912345678", on=collection_round.opens_on
    )
    assert (proposal.source, proposal.phone_masked, proposal.proposer_name) == (
        "portal",
        "139****5678",
        "李四",
    )
