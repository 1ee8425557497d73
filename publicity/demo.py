"""Demo disclosure: the ten 临沂 2016 projects published with plain-language summaries, and an open
satisfaction survey on the employment project with a few answers (made-up phones, stored hashed)."""

import datetime

from django.utils import timezone

from minsheng.phones import hash_phone
from projects.demo import linyi_2016
from projects.models import Plan, Project

from .choices import Awareness, Satisfaction, Support
from .models import ProjectPublication, Survey, SurveyResponse

SEEDED_MODELS = [ProjectPublication, Survey, SurveyResponse]

# Sequence in the plan -> the summary the public reads.
SUMMARIES = {
    1: "全年新增城镇就业9万人以上，帮助农村劳动力转移就业，扶持创业带动就业，让更多群众有活干、有钱挣。",
    2: "新建、改扩建中小学和幼儿园，增加学位，化解城区学校“大班额”，改善农村薄弱学校办学条件。",
    3: "优化医疗资源布局，加强基层医疗队伍，减轻群众看病负担。",
    4: "增加公交线路和车辆，完善道路和停车设施，整治交通秩序，缓解城区交通拥堵。",
    5: "推进棚户区改造，改善住房困难群众的居住条件。",
    6: "推动城市小区物业管理全覆盖，解决老旧小区无人管的问题。",
    7: "精准扶贫，帮助贫困群众稳定增收、脱贫。",
    8: "治理大气和水环境，整治城乡环境，让城乡更干净、更宜居。",
    9: "建好用好文化场馆，开展“一村一年一场戏”“一村一月一场电影”等文化下乡活动。",
    10: "健全食品药品监管，覆盖生产、流通、消费各环节，让群众吃得放心、用得放心。",
}

SURVEY_OPENS = (2016, 10, 15, 8, 0)
# (made-up phone, awareness, satisfaction, support)
ANSWERS = [
    ("13800000001", Awareness.KNOWN, Satisfaction.SATISFIED, Support.SUPPORT),
    ("13800000002", Awareness.KNOWN, Satisfaction.FAIRLY, Support.SUPPORT),
    ("13800000003", Awareness.HEARD, Satisfaction.SATISFIED, Support.SUPPORT),
    ("13800000004", Awareness.UNKNOWN, Satisfaction.FAIRLY, Support.NEUTRAL),
    ("13800000005", Awareness.KNOWN, Satisfaction.DISSATISFIED, Support.SUPPORT),
]


def load(loader) -> None:
    plan = Plan.objects.get(region__code=linyi_2016.PLAN["region"], year=linyi_2016.PLAN["year"])
    projects = {p.sequence: p for p in Project.objects.filter(plan=plan)}
    for sequence, summary in SUMMARIES.items():
        loader.upsert(
            ProjectPublication,
            {"project": projects[sequence]},
            is_published=True,
            public_summary=summary,
            published_at=datetime.datetime(*SURVEY_OPENS, tzinfo=timezone.get_current_timezone()),
        )
    survey = loader.upsert(
        Survey,
        {"project": projects[1]},
        intro="请您对“加强和改进就业创业服务”项目作出评价，每个手机号限评价一次。",
        opens_at=datetime.datetime(*SURVEY_OPENS, tzinfo=timezone.get_current_timezone()),
        closes_at=None,
    )
    for phone, awareness, satisfaction, support in ANSWERS:
        loader.upsert(
            SurveyResponse,
            {"survey": survey, "phone_hash": hash_phone(phone)},
            awareness=awareness,
            satisfaction=satisfaction,
            support=support,
        )


def load_current(loader, current) -> None:
    """The demo year's projects published (publicity.services) and a satisfaction survey open today on its
    employment item, with a few answers; publications and the survey that exist are kept as they are."""
    from . import services

    for plan, actor, summaries in (
        (current.plan, loader.users["minshengban"], SUMMARIES),
        (current.lanshan_plan, loader.users["lanshan"], {}),
    ):
        kept = ProjectPublication.objects.filter(project__plan=plan).count()
        loader.keep(ProjectPublication, kept)
        if kept == plan.projects.count():
            continue
        services.prepare_publications(plan, actor=actor)
        fresh = ProjectPublication.objects.filter(project__plan=plan, public_summary="").select_related(
            "project"
        )
        for publication in fresh:
            project = publication.project
            publication.public_summary = summaries.get(project.sequence) or project.content
            publication.save(update_fields=["public_summary", "updated_at"])
            services.set_project_published(publication, True, actor=actor)
            loader.result.created[ProjectPublication] += 1

    project = current.projects[1]
    if Survey.objects.filter(project=project).exists():
        loader.keep(Survey)
        return
    opens = timezone.make_aware(datetime.datetime.combine(current.today, datetime.time(8)))
    survey = loader.upsert(
        Survey,
        {"project": project},
        intro=f"请您对{current.year}年“{project.title}”项目作出评价，每个手机号限评价一次。（演示数据）",
        opens_at=opens - datetime.timedelta(days=7),
        closes_at=opens + datetime.timedelta(days=30),
    )
    for phone, awareness, satisfaction, support in ANSWERS[:3]:
        services.answer_survey(
            survey,
            phone_hash=hash_phone(phone),
            awareness=awareness,
            satisfaction=satisfaction,
            support=support,
        )
        loader.result.created[SurveyResponse] += 1
