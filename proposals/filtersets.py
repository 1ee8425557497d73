"""Filter sets for rounds, proposals, candidates and decision steps, shared by the API and the pages."""

import django_filters

from org.filtersets import IntegerFilter, RegionCodeFilter, SearchFilter, YearFilter
from projects.choices import Category

from .choices import CandidateStatus, DecisionOutcome, DecisionStage, ProposalSource, ProposalStatus
from .models import Candidate, CollectionRound, DecisionStep, Proposal


class CollectionRoundFilterSet(django_filters.FilterSet):
    """Rounds by plan year and region (with the regions below it)."""

    year = YearFilter(field_name="year", label="计划年度")
    region = RegionCodeFilter(field_name="region__path")

    class Meta:
        model = CollectionRound
        fields: list[str] = []


class ProposalFilterSet(django_filters.FilterSet):
    """Proposals by round, year, region, status, source and category, or by keyword."""

    round = IntegerFilter(field_name="round__id", label="征集活动ID")
    year = YearFilter(field_name="round__year", label="计划年度")
    region = RegionCodeFilter(field_name="round__region__path")
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label="状态")
    source = django_filters.ChoiceFilter(choices=ProposalSource.choices, label="来源")
    category = django_filters.ChoiceFilter(choices=Category.choices, label="领域类别")
    tracking_code = django_filters.CharFilter(
        field_name="tracking_code", lookup_expr="iexact", label="查询码"
    )
    # Not proposer_name: it is SM4-encrypted at rest (minsheng/encrypted.py), the database cannot search it.
    search = SearchFilter(
        search_fields=["tracking_code", "title", "description", "proposer_organisation"],
        label="关键字（查询码、标题、内容、所属组织）",
    )

    class Meta:
        model = Proposal
        fields: list[str] = []


class CandidateFilterSet(django_filters.FilterSet):
    """Candidates by year, region, status and category."""

    year = YearFilter(field_name="year", label="计划年度")
    region = RegionCodeFilter(field_name="region__path")
    status = django_filters.ChoiceFilter(choices=CandidateStatus.choices, label="状态")
    category = django_filters.ChoiceFilter(choices=Category.choices, label="领域类别")
    search = SearchFilter(search_fields=["title", "description"], label="关键字（名称、内容）")

    class Meta:
        model = Candidate
        fields: list[str] = []


class DecisionStepFilterSet(django_filters.FilterSet):
    """Decision steps by candidate, year, region, stage and outcome."""

    candidate = IntegerFilter(field_name="candidate__id", label="备选项目ID")
    year = YearFilter(field_name="candidate__year", label="计划年度")
    region = RegionCodeFilter(field_name="candidate__region__path")
    stage = django_filters.ChoiceFilter(choices=DecisionStage.choices, label="程序环节")
    outcome = django_filters.ChoiceFilter(choices=DecisionOutcome.choices, label="结论")

    class Meta:
        model = DecisionStep
        fields: list[str] = []
