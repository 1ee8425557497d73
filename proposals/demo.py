"""Demo data of issue 3: how 临沂市's ten big livelihood items of 2016 (seed 001, projects/demo/linyi_2016)
came to be chosen, following the procedure of seed 002, and 庐阳区's year-end carry-over decisions for its
2017 区定 projects (seed 004, projects/demo/luyang_2017).

What the seeds give: the ten items' titles, categories, lead units and plan (they are the approved
candidates and link to the projects already loaded); the sources of proposals, the Q3 collection, the order
of the decision procedure and the three risks (seed 002, 二 and 三, 五). What the seeds do not give and this
demo assumes: the proposers, the texts of the proposals, the dates of each step (Q3 2015 collection,
decision before the plan was issued in early 2016), the one declined proposal, the merges, the one candidate
stopped at 专家论证, and 庐阳区's carry-over decisions. Proposers are described by role, never by a real
person's name; the one citizen's phone is a made-up number kept hashed and masked like any other.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from org.models import Region, Unit
from projects.choices import Category
from projects.demo.linyi_2016 import PROJECTS as LINYI_PROJECTS
from projects.demo.org import LINYI, LUYANG
from projects.models import Plan, Project

from .choices import (
    DECISION_ORDER,
    CandidateStatus,
    CarryOverDecision,
    DecisionOutcome,
    DecisionStage,
    ProposalActionKind,
    ProposalSource,
    ProposalStatus,
    RiskRating,
)
from .models import Candidate, CarryOver, CollectionRound, DecisionStep, Proposal, ProposalAction

SEEDED_MODELS = [CollectionRound, Proposal, ProposalAction, Candidate, DecisionStep, CarryOver]

ROUND = {
    "year": 2016,
    "name": "2016年临沂市民生大事征集",
    "opens_on": datetime.date(2015, 8, 1),
    "closes_on": datetime.date(2015, 9, 30),
    "description": (
        "按照“公开透明、问需于民”的要求，于三季度向各县区、市直部门征集2016年度民生大事，并通过新闻媒体、"
        "市政府门户网站公开征求意见，欢迎以信函、电子邮件等方式提出建议；人大代表建议、政协提案、"
        "各民主党派和人民团体反映的热点难点问题一并纳入。（征集时间为演示数据）"
    ),
}

# One proposal per item that became the candidate (title, source, proposer, organisation), in the order of
# the ten items; a few items also have a second proposal merged into the first.
ITEM_PROPOSALS = [
    ("关于进一步加强就业创业服务的建议", ProposalSource.UNIT, "市人社局", ""),
    ("关于化解城区中小学“大班额”问题的建议", ProposalSource.NPC, "市人大代表", "兰山区代表团"),
    ("关于提升基层医疗服务能力的提案", ProposalSource.CPPCC, "市政协委员", "医药卫生界"),
    ("关于缓解城市交通拥堵的建议", ProposalSource.NPC, "市人大代表", "罗庄区代表团"),
    ("关于加快推进棚户区改造的建议", ProposalSource.UNIT, "市住房城乡建设局", ""),
    ("关于规范城市小区物业管理的提案", ProposalSource.PARTY, "民主党派市委", "民建临沂市委"),
    ("关于打好扶贫开发攻坚战的建议", ProposalSource.UNIT, "市扶贫办", ""),
    ("关于开展城乡环境综合整治的建议", ProposalSource.MEDIA, "临沂日报社", "“我为民生献一策”专栏"),
    ("关于丰富基层群众文化生活的建议", ProposalSource.PARTY, "市文联", "人民团体"),
    ("关于加强食品药品安全监管的建议", ProposalSource.EMAIL, "市民（电子邮件）", ""),
]
# (title, source, proposer, index of the item it was merged into)
MERGED = [
    ("学校周边早晚高峰拥堵，建议增设交通疏导", ProposalSource.PORTAL, "王先生", 3),
    ("建议增加城区公办学校学位", ProposalSource.LETTER, "市民（来信）", 1),
]
DEMO_PHONE = "13800000001"  # made up; stored hashed and masked only
DECLINED = (
    "关于建设城市轨道交通的建议",
    ProposalSource.CPPCC,
    "市政协委员",
    "投资规模大、建设周期长，不属于年度民生实事的范围，已转市发展改革部门在中长期规划中研究。",
)
STOPPED = {
    "title": "城区公共自行车系统建设",
    "proposal": ("关于建设城区公共自行车系统的建议", ProposalSource.PORTAL, "李女士"),
    "reason": "与“解决城市交通拥堵”事项内容交叉，建议在其实施方案中统筹，不单列。",
}

# When each step was held (all assumed): collection closed 30 September 2015, plan issued early 2016.
STEP_DATES = {
    DecisionStage.MOTION: datetime.date(2015, 10, 16),
    DecisionStage.PARTICIPATION: datetime.date(2015, 11, 20),
    DecisionStage.EXPERT: datetime.date(2015, 12, 4),
    DecisionStage.RISK: datetime.date(2015, 12, 18),
    DecisionStage.LEGALITY: datetime.date(2015, 12, 28),
    DecisionStage.COLLECTIVE: datetime.date(2016, 1, 12),
}
STEP_NOTES = {
    DecisionStage.MOTION: "市民生办对征集到的建议梳理、汇总，筛选出备选民生大事，提出决策动议。",
    DecisionStage.PARTICIPATION: (
        "备选事项在市政府门户网站公布，通过手机短信、微信组织公众投票，召开座谈会听取意见。"
    ),
    DecisionStage.EXPERT: "组织有关专家实地考察调研并召开论证会。",
    DecisionStage.RISK: "委托承办单位开展社会稳定风险、环境风险和财政风险评估，形成书面评估报告。",
    DecisionStage.LEGALITY: "市政府法制机构进行合法性审查。",
    DecisionStage.COLLECTIVE: "提请市政府常务会议审议，列入《政府工作报告》。",
}
CODES = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

# 庐阳区's year-end decisions for its eight 2017 区定 projects (assumed):
# code -> (decision, merge code, merged title).
LUYANG_CARRY_OVER = {
    "2017-D01": (CarryOverDecision.CONTINUE, "", ""),
    "2017-D02": (CarryOverDecision.CONTINUE, "", ""),
    "2017-D03": (CarryOverDecision.CONTINUE, "", ""),
    "2017-D04": (CarryOverDecision.EXIT, "", ""),
    "2017-D05": (CarryOverDecision.CONTINUE, "", ""),
    "2017-D06": (CarryOverDecision.MERGE, "2018-D06", "城市公园游园和农贸市场提升工程"),
    "2017-D07": (CarryOverDecision.CONTINUE, "", ""),
    "2017-D08": (CarryOverDecision.MERGE, "2018-D06", "城市公园游园和农贸市场提升工程"),
}


def tracking_code(n: int) -> str:
    """A fixed code per demo proposal ("JYLYDEMO" + two letters), so the demo's codes never change."""
    return f"JYLYDEMO{CODES[n // len(CODES)]}{CODES[n % len(CODES)]}"


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _Demo:
    def __init__(self, loader):
        self.loader = loader
        self.upsert = loader.upsert
        self.city = Region.objects.get(code=LINYI)
        self.staff = loader.users["minshengban"]
        self.office = loader.unit(LINYI, "市民生办")
        self.n = 0

    def proposal(
        self, round, title, source, proposer, organisation="", *, category, content, status, **extra
    ):
        self.n += 1
        submitted = at(datetime.date(2015, 8, 1) + datetime.timedelta(days=2 * self.n))
        values = {
            "tracking_code": tracking_code(self.n),
            "source": source,
            "proposer_name": proposer,
            "proposer_organisation": organisation,
            "category": category,
            "description": f"{title}：{content}",
            "status": status,
            "merged_into": extra.get("merged_into"),
            "decline_reason": extra.get("reason", ""),
            "submitted_at": submitted,
            "created_by": None if source == ProposalSource.PORTAL else self.staff,
        }
        if source == ProposalSource.UNIT:
            unit = Unit.objects.filter(region=self.city, short_name=proposer).first()
            values["proposer_unit"] = unit
        if source == ProposalSource.PORTAL:
            probe = Proposal()
            probe.set_phone(DEMO_PHONE)
            values.update(phone_hash=probe.phone_hash, phone_masked=probe.phone_masked)
        proposal = self.upsert(Proposal, {"round": round, "title": title}, **values)
        self.action(proposal, ProposalActionKind.SUBMIT, submitted, ProposalSource(source).label, actor=None)
        return proposal

    def action(self, proposal, kind, when, reason="", *, actor="staff", **links):
        self.upsert(
            ProposalAction,
            {"proposal": proposal, "kind": kind},
            at=when,
            actor=self.staff if actor == "staff" else actor,
            reason=reason,
            related_proposal=links.get("related_proposal"),
            candidate=links.get("candidate"),
        )

    def candidate(self, seq, title, category, cost, proposals, *, status, project=None):
        candidate = self.upsert(
            Candidate,
            {"region": self.city, "year": 2016, "title": title},
            sequence=seq,
            description=next((p.description for p in proposals), ""),
            category=category,
            estimated_cost=cost,
            status=status,
            project=project,
            created_by=self.staff,
        )
        if self.loader.is_fresh(candidate):
            candidate.proposals.set(proposals)
        for proposal in proposals:
            self.action(proposal, ProposalActionKind.ACCEPT, at(datetime.date(2015, 10, 9)))
            self.action(
                proposal, ProposalActionKind.SHORTLIST, at(datetime.date(2015, 10, 16)), candidate=candidate
            )
        return candidate

    def steps(self, candidate, lead_unit, *, until=None, failed=None):
        for stage in DECISION_ORDER:
            if stage == until:
                return
            outcome = DecisionOutcome.FAILED if stage == failed else DecisionOutcome.PASSED
            risks = {}
            if stage == DecisionStage.RISK:
                risks = {"social_risk": RiskRating.LOW, "environmental_risk": RiskRating.LOW}
                risks["fiscal_risk"] = (
                    RiskRating.MEDIUM if candidate.estimated_cost > 10**9 else RiskRating.LOW
                )
            self.upsert(
                DecisionStep,
                {"candidate": candidate, "stage": stage},
                held_on=STEP_DATES[stage],
                outcome=outcome,
                responsible_unit=lead_unit
                if stage in (DecisionStage.EXPERT, DecisionStage.RISK)
                else self.office,
                notes=STOPPED["reason"] if outcome == DecisionOutcome.FAILED else STEP_NOTES[stage],
                document_number="临政常〔2016〕1号（演示）" if stage == DecisionStage.COLLECTIVE else "",
                recorded_by=self.staff,
                recorded_at=at(STEP_DATES[stage], 16),
                **risks,
            )
            if outcome == DecisionOutcome.FAILED:
                return

    def linyi(self):
        round = self.upsert(
            CollectionRound,
            {"region": self.city, "year": ROUND["year"]},
            **{k: v for k, v in ROUND.items() if k != "year"},
        )
        plan = Plan.objects.get(region=self.city, year=2016)
        projects = {p.title: p for p in Project.objects.filter(plan=plan)}
        firsts = []
        for seq, (item, (title, source, proposer, org)) in enumerate(
            zip(LINYI_PROJECTS, ITEM_PROPOSALS, strict=True), start=1
        ):
            proposal = self.proposal(
                round,
                title,
                source,
                proposer,
                org,
                category=item["category"],
                content=item["content"],
                status=ProposalStatus.SHORTLISTED,
            )
            firsts.append(proposal)
            project = projects[item["title"]]
            candidate = self.candidate(
                seq,
                item["title"],
                item["category"],
                item["planned_investment"],
                [proposal],
                status=CandidateStatus.APPROVED,
                project=project,
            )
            self.steps(candidate, project.lead_unit)
        for title, source, proposer, index in MERGED:
            into = firsts[index]
            merged = self.proposal(
                round,
                title,
                source,
                proposer,
                category=into.category,
                content="希望列入明年的民生实事。",
                status=ProposalStatus.MERGED,
                merged_into=into,
            )
            self.action(
                merged, ProposalActionKind.ABSORB, at(datetime.date(2015, 10, 9), 9), related_proposal=into
            )
        title, source, proposer, reason = DECLINED
        declined = self.proposal(
            round,
            title,
            source,
            proposer,
            category=Category.SERVICES,
            content="建议规划建设城市轨道交通，解决出行难。",
            status=ProposalStatus.DECLINED,
            reason=reason,
        )
        self.action(declined, ProposalActionKind.DECLINE, at(datetime.date(2015, 10, 9)), reason)
        title, source, proposer = STOPPED["proposal"]
        proposal = self.proposal(
            round,
            title,
            source,
            proposer,
            category=Category.SERVICES,
            content="在城区主要公交站点、景区和居民区设置公共自行车租赁点，方便群众短途出行。",
            status=ProposalStatus.SHORTLISTED,
        )
        candidate = self.candidate(
            len(firsts) + 1,
            STOPPED["title"],
            Category.SERVICES,
            Decimal("30000000"),
            [proposal],
            status=CandidateStatus.REJECTED,
        )
        self.steps(candidate, self.loader.unit(LINYI, "市交通运输局"), failed=DecisionStage.EXPERT)

    def luyang(self):
        for project in Project.objects.filter(
            plan__region__code=LUYANG, plan__year=2017, code__in=LUYANG_CARRY_OVER
        ):
            decision, merge_code, merge_title = LUYANG_CARRY_OVER[project.code]
            self.upsert(
                CarryOver,
                {"project": project},
                decision=decision,
                merge_code=merge_code,
                merge_title=merge_title,
                note="结转安排为演示数据：在管理后台“年度结转”中选中后执行。",
            )


def load(loader) -> None:
    """Write the demo's rounds, proposals, candidates, decision steps and carry-over decisions."""
    demo = _Demo(loader)
    demo.linyi()
    demo.luyang()


# The demo year's open collection round (projects/demo/current_year.py): 临沂市 collects proposals for next
# year from 20 days ago to 40 days ahead of `today`; a few proposals came in, three are on the candidate list
# (the open vote of voting/demo.py is on them), one was declined and one awaits a decision.
# (title, source, proposer, organisation, category, what then: "shortlist", "decline", "" (awaiting))
CURRENT_PROPOSALS = [
    ("关于增加城区普惠性托育服务供给的建议", ProposalSource.NPC, "市人大代表", "兰山区代表团",
     Category.EDUCATION, "shortlist"),
    ("关于推进老旧小区加装电梯的提案", ProposalSource.CPPCC, "市政协委员", "社会福利和社会保障界",
     Category.HOUSING, "shortlist"),
    ("关于建设社区“长者食堂”的建议", ProposalSource.UNIT, "市民政局", "",
     Category.SPECIAL_GROUPS, "shortlist"),
    ("建议在城区增设夜间公交线路", ProposalSource.PORTAL, "张女士", "", Category.SERVICES, ""),
    ("关于修建城市地下综合管廊的建议", ProposalSource.EMAIL, "市民（电子邮件）", "",
     Category.SERVICES, "decline"),
]  # fmt: skip
CURRENT_PHONE = "13800000009"  # made up; stored hashed and masked only
DECLINE_REASON = "投资规模大、建设周期长，不属于年度民生实事的范围，已转有关部门在专项规划中研究。"


def load_current(loader, current) -> None:
    """The round open today with its proposals and candidates, through proposals.services."""
    from . import services

    region = loader.regions[LINYI]
    year = current.today.year + 1
    if CollectionRound.objects.filter(region=region, year=year).exists():
        loader.keep(CollectionRound)
        return
    staff = loader.users["minshengban"]
    round = loader.upsert(
        CollectionRound,
        {"region": region, "year": year},
        name=f"{year}年临沂市民生实事征集",
        opens_on=current.today - datetime.timedelta(days=20),
        closes_on=current.today + datetime.timedelta(days=40),
        description=(
            f"面向社会公开征集{year}年度民生实事建议：群众可在本网站提交，也可通过信函、电子邮件提出；"
            "人大代表建议、政协提案、部门和县区申报一并纳入。（演示数据）"
        ),
    )
    for title, source, proposer, organisation, category, then in CURRENT_PROPOSALS:
        data: dict[str, Any] = {
            "title": title,
            "description": f"{title}，回应群众关切，建议列入{year}年民生实事。",
            "category": category,
            "proposer_name": proposer,
            "proposer_organisation": organisation,
        }
        if source == ProposalSource.UNIT:
            data["proposer_unit"] = (
                loader.unit(LINYI, proposer) if (LINYI, proposer) in loader.units else None
            )
        if source == ProposalSource.PORTAL:
            proposal = services.submit_proposal(round, data, phone=CURRENT_PHONE, on=current.today)
        else:
            proposal = services.submit_proposal(round, data, source=source, actor=staff)
        loader.adopt(proposal)
        if then == "decline":
            services.decline_proposal(proposal, actor=staff, reason=DECLINE_REASON)
        elif then == "shortlist":
            services.accept_proposal(proposal, actor=staff)
            name = title.removeprefix("关于").removesuffix("的建议").removesuffix("的提案")
            loader.adopt(services.shortlist_proposals([proposal], actor=staff, title=name))
