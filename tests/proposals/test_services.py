"""The state rules of proposals and candidates, merge links, the decision order, approval creating the
project, and the phone kept only hashed and masked."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from minsheng.errors import DomainError, InvalidTransition, PermissionDenied
from minsheng.phones import hash_phone
from projects.choices import ChangeType, ProjectLevel
from projects.models import Plan, Project
from proposals import services
from proposals.choices import (
    CandidateStatus,
    DecisionOutcome,
    DecisionStage,
    ProposalActionKind,
    ProposalSource,
    ProposalStatus,
    RiskRating,
)
from proposals.models import Candidate, DecisionStep, Proposal, ProposalAction
from tests import samples
from tests.fixtures.proposals import CITIZEN_PHONE
from tests.fixtures.voting import phone
from voting.services import cast_ballot

pytestmark = pytest.mark.django_db


# -- collection --


def test_citizen_proposal_keeps_phone_only_hashed_and_masked(make_proposal):
    proposal = make_proposal(source=ProposalSource.PORTAL, phone="138-1234-5678")
    proposal.refresh_from_db()
    assert proposal.phone_hash == hash_phone(CITIZEN_PHONE)
    assert proposal.phone_masked == "138****5678"
    assert proposal.created_by is None
    assert proposal.actions.get().kind == ProposalActionKind.SUBMIT
    # No column of any proposals table (history included) holds the number in clear.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith("proposals_"):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from introspection)
            for row in cursor.fetchall():
                assert CITIZEN_PHONE not in " ".join(str(v) for v in row), table


def test_database_refuses_a_clear_phone(make_proposal):
    proposal = make_proposal()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(phone_masked=CITIZEN_PHONE)


def test_portal_submission_outside_the_window_is_refused(collection_round):
    data = {"proposer_name": "李四", "category": "services", "title": "增设公交线路", "description": "x" * 20}
    with pytest.raises(DomainError, match="不在征集期内") as exc:
        services.submit_proposal(
            collection_round, data, phone=CITIZEN_PHONE, on=collection_round.closes_on + datetime.timedelta(1)
        )
    assert exc.value.code == "round_closed"
    assert not Proposal.objects.exists()


def test_portal_submission_needs_a_phone(collection_round):
    data = {"proposer_name": "李四", "category": "services", "title": "增设公交线路", "description": "x" * 20}
    with pytest.raises(DomainError, match="验证手机号"):
        services.submit_proposal(collection_round, data, on=collection_round.opens_on)


def test_staff_entered_letter_needs_staff_of_the_region(org, collection_round):
    data = {"proposer_name": "王五", "category": "health", "title": "社区卫生室", "description": "y" * 20}
    for outsider in (org.leader, org.filer, org.jinan_staff, org.county_staff):
        with pytest.raises(PermissionDenied):
            services.submit_proposal(collection_round, data, source=ProposalSource.LETTER, actor=outsider)
    assert not Proposal.objects.exists()


def test_bad_attachment_writes_nothing(org, collection_round):
    data = {
        "proposer_name": "王五",
        "category": "health",
        "title": "社区卫生室",
        "description": "y" * 20,
        "attachment": SimpleUploadedFile("run.exe", b"MZ"),
    }
    with pytest.raises(DomainError, match="不支持的文件类型"):
        services.submit_proposal(collection_round, data, source=ProposalSource.LETTER, actor=org.staff)
    assert not Proposal.objects.exists()


def test_attachment_is_kept_with_kind_and_size(org, collection_round, media_root):
    data = {
        "proposer_name": "王五",
        "category": "health",
        "title": "社区卫生室",
        "description": "y" * 20,
        "attachment": SimpleUploadedFile("现场.jpg", samples.jpeg()),
    }
    proposal = services.submit_proposal(collection_round, data, source=ProposalSource.LETTER, actor=org.staff)
    attachment = proposal.attachments.get()
    assert (attachment.kind, attachment.size) == ("photo", len(samples.jpeg()))


def test_negative_cost_is_refused(make_proposal):
    with pytest.raises(DomainError, match="不能为负数|大于或等于"):
        make_proposal(estimated_cost=Decimal("-1"))


# -- handling --


def test_accept_then_decline_with_reason_records_each_step(org, make_proposal):
    proposal = make_proposal()
    services.accept_proposal(proposal, actor=org.staff)
    with pytest.raises(DomainError, match="必须说明理由"):
        services.decline_proposal(proposal, actor=org.staff, reason="  ")
    services.decline_proposal(proposal, actor=org.staff, reason="已列入2016年城建计划")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.decline_reason == "已列入2016年城建计划"
    steps = list(proposal.actions.values_list("kind", "actor__username", "reason"))
    assert steps == [
        ("submit", "staff", "群众来信"),
        ("accept", "staff", ""),
        ("decline", "staff", "已列入2016年城建计划"),
    ]


def test_declined_proposal_cannot_be_accepted_or_shortlisted(org, make_proposal):
    proposal = make_proposal()
    services.decline_proposal(proposal, actor=org.staff, reason="不属于民生实事范围")
    with pytest.raises(InvalidTransition, match="未采纳，不能受理"):
        services.accept_proposal(proposal, actor=org.staff)
    with pytest.raises(InvalidTransition):
        services.shortlist_proposals([proposal], actor=org.staff)


def test_submitted_proposal_must_be_accepted_before_shortlisting(org, make_proposal):
    proposal = make_proposal()
    with pytest.raises(InvalidTransition, match="须先受理"):
        services.shortlist_proposals([proposal], actor=org.staff)
    assert not Candidate.objects.exists()


def test_leader_and_auditor_cannot_handle(org, make_proposal):
    proposal = make_proposal()
    for reader in (org.leader, org.auditor):
        with pytest.raises(PermissionDenied):
            services.accept_proposal(proposal, actor=reader)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_merge_keeps_links_and_accepts_the_kept_one(org, make_proposal):
    kept = make_proposal("城区停车难问题")
    a = make_proposal("老城区建停车场", source=ProposalSource.PORTAL)
    b = make_proposal("医院周边停车位")
    services.merge_proposals([kept, a, b], into=kept, actor=org.staff, reason="内容相近")
    a.refresh_from_db()
    kept.refresh_from_db()
    assert kept.status == ProposalStatus.ACCEPTED
    assert a.status == ProposalStatus.MERGED
    assert a.merged_into == kept
    assert set(kept.absorbed.all()) == {a, b}
    assert a.actions.last().related_proposal == kept
    # A merged proposal cannot be handled again, and the kept one goes on to the candidate list.
    with pytest.raises(InvalidTransition):
        services.decline_proposal(a, actor=org.staff, reason="重复")
    candidate = services.shortlist_proposals([kept], actor=org.staff)
    assert a.final() == kept
    assert list(candidate.proposals.all()) == [kept]


def test_merge_needs_two_proposals_of_one_round(org, make_proposal, collection_round):
    one = make_proposal()
    with pytest.raises(DomainError, match="至少选择两条"):
        services.merge_proposals([one], into=one, actor=org.staff)
    other_round = type(collection_round).objects.create(
        region=org.city,
        year=2018,
        name="2018年征集",
        opens_on=datetime.date(2017, 8, 1),
        closes_on=datetime.date(2017, 9, 30),
    )
    two = make_proposal("另一条", round=other_round)
    with pytest.raises(DomainError, match="同一征集活动"):
        services.merge_proposals([one, two], into=one, actor=org.staff)
    assert Proposal.objects.filter(status=ProposalStatus.MERGED).count() == 0


def test_database_requires_merge_target_and_decline_reason(make_proposal):
    proposal = make_proposal()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.MERGED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.DECLINED)


def test_shortlist_into_existing_candidate(org, make_proposal, make_candidate):
    candidate = make_candidate()
    more = make_proposal("停车场建设")
    services.accept_proposal(more, actor=org.staff)
    services.shortlist_proposals([more], actor=org.staff, candidate=candidate, reason="同类")
    assert candidate.proposals.count() == 2
    more.refresh_from_db()
    assert more.status == ProposalStatus.SHORTLISTED
    action = ProposalAction.objects.filter(proposal=more, kind=ProposalActionKind.SHORTLIST).get()
    assert action.candidate == candidate


def test_new_candidate_takes_the_proposals_region_year_and_figures(make_candidate, org):
    candidate = make_candidate(estimated_cost=Decimal("3200000"))
    assert (candidate.region, candidate.year, candidate.status) == (org.city, 2017, CandidateStatus.CANDIDATE)
    assert candidate.estimated_cost == Decimal("3200000")
    assert candidate.sequence == 1


# -- decision procedure --


def step(candidate, stage, actor, *, on, outcome=DecisionOutcome.PASSED, **extra):
    """Record one decision step (passed unless said otherwise)."""
    return services.record_decision_step(
        candidate, actor=actor, stage=stage, held_on=on, outcome=outcome, **extra
    )


def test_decision_steps_out_of_order_are_refused(org, make_candidate, run_decision):
    candidate = make_candidate()
    with pytest.raises(InvalidTransition, match="下一环节应为“决策动议”") as exc:
        step(candidate, DecisionStage.EXPERT, org.staff, on=datetime.date(2016, 10, 1))
    assert exc.value.code == "decision_out_of_order"
    run_decision(candidate, until=DecisionStage.EXPERT)
    with pytest.raises(InvalidTransition, match="下一环节应为“专家论证”"):
        step(
            candidate,
            DecisionStage.COLLECTIVE,
            org.staff,
            on=datetime.date(2016, 10, 9),
            project={"code": "X1", "lead_unit": org.hrss},
        )
    with pytest.raises(InvalidTransition, match="下一环节应为“专家论证”"):
        step(candidate, DecisionStage.MOTION, org.staff, on=datetime.date(2016, 10, 9))
    assert list(candidate.steps.values_list("stage", flat=True)) == ["motion", "participation"]


def test_public_participation_attaches_the_vote_result(org, make_vote, voting_open, run_decision):
    vote = make_vote(["新建城区公共停车场", "改造老旧小区供暖管网"])
    parking, heating = (o.pk for o in vote.options.order_by("sequence"))
    for n in range(3):
        cast_ballot(vote, phone(n), [heating])
    cast_ballot(vote, phone(9), [parking, heating])
    candidate = Candidate.objects.get(title="新建城区公共停车场")
    motion, participation = run_decision(candidate, until=DecisionStage.EXPERT)
    assert (participation.vote_title, participation.votes, participation.rank, participation.ballots) == (
        "2017年临沂市民生实事备选项目网上投票",
        1,
        2,
        4,
    )
    assert motion.votes is None


def test_participation_without_a_vote_attaches_nothing(make_candidate, run_decision):
    _, participation = run_decision(make_candidate(), until=DecisionStage.EXPERT)
    assert (participation.vote_title, participation.votes) == ("", None)


def test_risk_assessment_needs_three_ratings_and_a_report(org, make_candidate, run_decision, media_root):
    candidate = make_candidate()
    run_decision(candidate, until=DecisionStage.RISK)
    base = {
        "actor": org.staff,
        "stage": DecisionStage.RISK,
        "held_on": datetime.date(2016, 10, 20),
        "outcome": DecisionOutcome.PASSED,
    }
    with pytest.raises(DomainError, match="分别评定"):
        services.record_decision_step(candidate, social_risk=RiskRating.LOW, document_number="1号", **base)
    with pytest.raises(DomainError, match="书面评估报告"):
        services.record_decision_step(
            candidate,
            social_risk=RiskRating.LOW,
            environmental_risk=RiskRating.LOW,
            fiscal_risk=RiskRating.HIGH,
            **base,
        )
    step = services.record_decision_step(
        candidate,
        social_risk=RiskRating.LOW,
        environmental_risk=RiskRating.MEDIUM,
        fiscal_risk=RiskRating.HIGH,
        document=SimpleUploadedFile("风险评估报告.pdf", b"%PDF-1.4"),
        **base,
    )
    assert step.document.name.endswith(".pdf")


def test_failed_step_ends_the_procedure(org, make_candidate, run_decision):
    candidate = make_candidate()
    run_decision(candidate, until=DecisionStage.EXPERT)
    step(
        candidate,
        DecisionStage.EXPERT,
        org.staff,
        on=datetime.date(2016, 10, 5),
        outcome=DecisionOutcome.FAILED,
        notes="选址不具备条件",
    )
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.REJECTED
    with pytest.raises(InvalidTransition, match="决策程序已结束"):
        step(candidate, DecisionStage.RISK, org.staff, on=datetime.date(2016, 10, 6))


def test_collective_decision_creates_the_plan_and_project(org, make_candidate, run_decision):
    candidate = make_candidate(estimated_cost=Decimal("8600000"))
    assert not Plan.objects.filter(region=org.city, year=2017).exists()
    run_decision(candidate, until=DecisionStage.COLLECTIVE)
    with pytest.raises(DomainError, match="项目编号和牵头单位"):
        step(candidate, DecisionStage.COLLECTIVE, org.staff, on=datetime.date(2016, 12, 1))
    assert not Plan.objects.filter(region=org.city, year=2017).exists()
    step(
        candidate,
        DecisionStage.COLLECTIVE,
        org.staff,
        on=datetime.date(2016, 12, 1),
        document_number="市政府第5次常务会议纪要",
        project={
            "code": "2017-01",
            "lead_unit": org.edu,
            "level": ProjectLevel.CITY,
            "cooperating_units": [org.hrss],
            "deadline": datetime.date(2017, 12, 31),
        },
    )
    candidate.refresh_from_db()
    project = candidate.project
    assert candidate.status == CandidateStatus.APPROVED
    assert (project.plan.region, project.plan.year, project.code, project.title) == (
        org.city,
        2017,
        "2017-01",
        candidate.title,
    )
    assert (project.lead_unit, project.planned_investment, project.change_type) == (
        org.edu,
        Decimal("8600000"),
        ChangeType.NEW,
    )
    assert list(project.cooperating_units.all()) == [org.hrss]
    # Through the candidate the project reaches its proposals.
    assert project.candidate.proposals.count() == 1


def test_collective_decision_with_a_bad_lead_unit_writes_nothing(org, make_candidate, run_decision):
    candidate = make_candidate()
    run_decision(candidate, until=DecisionStage.COLLECTIVE)
    with pytest.raises(DomainError, match="牵头单位须属于"):
        step(
            candidate,
            DecisionStage.COLLECTIVE,
            org.staff,
            on=datetime.date(2016, 12, 1),
            project={"code": "2017-01", "lead_unit": org.jinan_office},
        )
    assert not Project.objects.exists()
    assert not DecisionStep.objects.filter(stage=DecisionStage.COLLECTIVE).exists()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.CANDIDATE


def test_adjustment_is_recorded_as_a_step_after_approval(org, make_candidate, run_decision):
    candidate = make_candidate()
    with pytest.raises(InvalidTransition, match="已立项"):
        services.record_candidate_adjustment(
            candidate,
            actor=org.staff,
            kind="deadline",
            reason="征地未完成",
            description="完成时限延至2018年6月",
            approved_by="市政府常务会议",
            approved_on=datetime.date(2017, 7, 1),
        )
    run_decision(candidate)
    step = services.record_candidate_adjustment(
        candidate,
        actor=org.staff,
        kind="deadline",
        reason="征地未完成",
        description="完成时限延至2018年6月",
        approved_by="市政府常务会议",
        approved_on=datetime.date(2017, 7, 1),
    )
    candidate.refresh_from_db()
    assert step.stage == DecisionStage.ADJUSTMENT
    assert step.adjustment.project == candidate.project
    assert candidate.steps.count() == 7


def test_database_allows_each_stage_once(org, make_candidate, run_decision):
    candidate = make_candidate()
    (motion,) = run_decision(candidate, until=DecisionStage.PARTICIPATION)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionStep.objects.create(
            candidate=candidate, stage=DecisionStage.MOTION, held_on=motion.held_on, outcome="passed"
        )
