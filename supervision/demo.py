"""Demo supervision records for 临沂市 2016 (seed 001's projects), following seed 002 ("13710"督办系统,
明查暗访, "一报告、两清单", 限期整改) and seed 004 (挂牌督查、问题通报, 四项清单, 一旬一督查).

- 督办〔2016〕1号 to 市人社局 on 加强和改进就业创业服务, issued 2016-10-14 (the day of bulletin 第16期)
  with the 13710 deadlines; the unit acknowledged and fed back; settling and the result are still due.
- A 明查 of 2016-10-11 (一旬一督查) at the 棚户区改造 sites, with one finding on the problem list, its
  rectification planned by 市住房城乡建设局.
- A problem raised by the public (群众反映) about 城市小区物业管理.
"""

import datetime

from django.utils import timezone

from projects.models import Project
from projects.periods import cumulative_label

from .choices import InspectionKind, OrderStatus, ProblemSource, ProblemStatus, Severity, Stage
from .conf import DEFAULT_STAGE_DAYS
from .models import (
    STAGE_FIELDS,
    Alert,
    Inspection,
    OrderResponse,
    Problem,
    Rectification,
    SupervisionOrder,
)

SEEDED_MODELS = [SupervisionOrder, OrderResponse, Inspection, Problem, Rectification, Alert]


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def load(loader) -> None:
    projects = {p.title: p for p in Project.objects.filter(plan__region__code="371300", plan__year=2016)}
    staff, filer = loader.users.get("minshengban"), loader.users.get("tianbao")
    if not projects or staff is None or filer is None:
        return
    employment = projects["加强和改进就业创业服务"]
    issued = _at(2016, 10, 14, 9, 0)
    dues = {
        STAGE_FIELDS[stage][0]: issued + datetime.timedelta(days=days)
        for stage, days in DEFAULT_STAGE_DAYS.items()
    }
    order = loader.upsert(
        SupervisionOrder,
        {"region": staff.unit.region, "year": 2016, "serial": 1},
        unit=employment.lead_unit,
        project=employment,
        title="加快高校毕业生就业创业工作进度",
        requirement=(
            "按照“13710”督办要求：1日内签收部署，3日内反馈进展，7日内办理落实，10日内报告办理结果。"
            "请对照年度目标，说明1-9月份进展、存在问题和四季度保障措施。"
        ),
        issued_by=staff,
        issued_at=issued,
        status=OrderStatus.FED_BACK,
        acknowledged_at=_at(2016, 10, 14, 16, 0),
        fed_back_at=_at(2016, 10, 17, 10, 0),
        **dues,
    )
    for stage, text, at in (
        ("acknowledge", "已签收，由就业促进科牵头办理。", _at(2016, 10, 14, 16, 0)),
        ("feedback", "已召开专题调度会，四季度计划组织专场招聘会12场。", _at(2016, 10, 17, 10, 0)),
    ):
        loader.upsert(OrderResponse, {"order": order, "stage": stage}, text=text, author=filer, created_at=at)

    housing = projects["棚户区改造"]
    inspection = loader.upsert(
        Inspection,
        {"region": staff.unit.region, "date": datetime.date(2016, 10, 11), "title": "十月上旬棚户区改造明查"},
        kind=InspectionKind.OPEN,
        inspectors="王民生、市民生办督查科",
        summary="一旬一督查：实地查看兰山区、罗庄区棚改项目现场，查阅进度台账。",
        recorded_by=staff,
    )
    if not inspection.projects.filter(pk=housing.pk).exists():
        inspection.projects.add(housing)
    finding = loader.upsert(
        Problem,
        {"inspection": inspection, "description": "部分棚改项目开工后进度缓慢，安置房建设滞后于序时进度。"},
        source=ProblemSource.INSPECTION,
        project=housing,
        unit=housing.lead_unit,
        severity=Severity.MAJOR,
        status=ProblemStatus.RECTIFYING,
        found_on=datetime.date(2016, 10, 11),
        recorded_by=staff,
    )
    loader.upsert(
        Rectification,
        {"problem": finding},
        measures="实行挂图作战，每周调度一次；对滞后项目约谈施工单位。",
        deadline=datetime.date(2016, 11, 15),
        responsible_person="市住房城乡建设局分管副局长",
    )
    estates = projects["城市小区物业管理"]
    loader.upsert(
        Problem,
        {"project": estates, "source": ProblemSource.PUBLIC, "found_on": datetime.date(2016, 10, 20)},
        unit=estates.lead_unit,
        description="群众来信反映：老旧小区改造后物业服务未及时跟进，垃圾清运不及时。",
        severity=Severity.MINOR,
        status=ProblemStatus.OPEN,
        reporter_name="群众来信",
        recorded_by=staff,
    )


def load_current(loader, current) -> None:
    """The demo year's supervision, through supervision.services: the daily scan (alerts for lagging
    projects, the overdue milestone, missing reports and retained funds), a 督办单 to 市人社局 at its middle
    stage (signed and fed back, settling due in three days), and two problems under rectification, one in
    兰山区. What exists (found by project and title or description) is kept; the scan writes only changes."""
    from . import services

    staff, lanshan, filer = loader.users["minshengban"], loader.users["lanshan"], loader.users["tianbao"]
    raised = services.scan_alerts(current.today).raised
    loader.result.created[Alert] += len(raised)
    loader.keep(Alert, Alert.objects.open().exclude(pk__in=raised).count())
    services.notify_pending_alerts()

    employment = current.projects[1]
    title = f"加快{current.year}年就业创业工作进度并按时报送月度进展"
    if SupervisionOrder.objects.filter(project=employment, title=title).exists():
        loader.keep(SupervisionOrder)
    else:
        alert = Alert.objects.open().filter(project=employment).order_by("pk").first()
        order = services.issue_order(
            actor=staff,
            unit=employment.lead_unit,
            project=employment,
            alert=alert,
            title=title,
            requirement=(
                "按照“13710”督办要求：1日内签收部署，3日内反馈进展，7日内办理落实，10日内报告办理结果。"
                f"请说明{cumulative_label(current.last, '月份')}进展、"
                "月度进展未按时报送的原因和下一步保障措施。"
            ),
        )
        loader.adopt(order)
        answers = (
            (Stage.ACKNOWLEDGE, "已签收，由就业促进科牵头办理。", datetime.timedelta(hours=5)),
            (
                Stage.FEEDBACK,
                "已召开专题调度会，逐项核对指标，月度进展将于本周内报送。",
                datetime.timedelta(days=2),
            ),
        )
        for stage, text, _after in answers:
            loader.adopt(services.respond_to_order(order, actor=filer, stage=stage, text=text))
        # Dated as if issued four days ago: signed and fed back in time, settling due in three days.
        issued = order.issued_at - datetime.timedelta(days=4)
        SupervisionOrder.objects.filter(pk=order.pk).update(
            issued_at=issued,
            acknowledged_at=issued + answers[0][2],
            fed_back_at=issued + answers[1][2],
            **services.stage_dues(issued),
        )
        for stage, _text, after in answers:
            OrderResponse.objects.filter(order=order, stage=stage).update(created_at=issued + after)

    found_on = current.today - datetime.timedelta(days=10)
    for actor, project, source, description, measures in (
        (
            staff,
            current.projects[8],
            ProblemSource.REPORT,
            "月报反映农村改厕和汪塘整治进度明显滞后于序时进度，部分县区资金配套未到位。",
            "建立周调度制度，对滞后县区约谈督导；县级配套资金限期到位。",
        ),
        (
            lanshan,
            current.lanshan_projects["L03"],
            ProblemSource.PUBLIC,
            "群众反映：棚改安置房项目停工多日，回迁时间不明确。",
            "督促施工单位复工，倒排工期，向回迁群众公开建设进度和回迁时间表。",
        ),
    ):
        if Problem.objects.filter(project=project, description=description).exists():
            loader.keep(Problem)
            continue
        problem = services.record_problem(
            actor=actor,
            source=source,
            description=description,
            project=project,
            severity=Severity.MAJOR,
            found_on=found_on,
            reporter_name="群众来电" if source == ProblemSource.PUBLIC else "",
        )
        loader.adopt(problem)
        rectification = services.plan_rectification(
            problem,
            actor=actor,
            measures=measures,
            deadline=current.today + datetime.timedelta(days=20),
            responsible_person=f"{project.lead_unit.short_name or project.lead_unit.name}分管负责人",
        )
        loader.adopt(rectification)
