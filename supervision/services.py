"""Workflow steps of supervision: the daily alert scan, 督办单 (issue, respond, escalate, close), problems and
their rectification, inspections. Views, admin, API and tasks all call these."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from minsheng.errors import CommonErrorCode, DomainError, InvalidTransition, PermissionDenied
from org import access
from org.models import Region, Unit, User
from projects.models import Project

from . import causes, conf
from .choices import (
    STATUS_AFTER,
    AlertStatus,
    OrderStatus,
    ProblemSource,
    ProblemStatus,
    Severity,
    Stage,
)
from .errors import SupervisionErrorCode
from .models import (
    STAGE_FIELDS,
    Alert,
    Escalation,
    Evidence,
    Inspection,
    OrderResponse,
    Problem,
    Rectification,
    SupervisionOrder,
)

NOTIFY_BATCH = 500


# -- shared -------------------------------------------------------------------------------------------------


def notify(users, *, event: str, title: str, body: str = "", url: str = "", channels=("inapp",)):
    """Send through the notifications app (one notification per user and event, sent on commit)."""
    from notifications.services import notify as send

    users = list(users)
    if users:
        send(users, event=event, title=title, body=body, url=url, channels=tuple(channels))


def unit_users(unit_ids) -> list[User]:
    """The active filers of the given units: the people who answer for a unit."""
    return list(access.unit_filers(unit_ids))


def require_staff(actor) -> None:
    access.require("edit", actor, message="只有民生办工作人员可以执行此操作。")


def require_visible(model, actor, obj) -> None:
    if obj is None:
        return
    access.require("see", actor, obj, message=f"{model._meta.verbose_name}“{obj}”不在您的管理范围内。")


def require_unit_user(actor, unit_id: int, what: str) -> None:
    if not (access.is_filer(actor) and access.in_unit(actor, unit_id)):
        raise PermissionDenied(f"只有承办单位的工作人员可以{what}。")


def require_text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"请填写{label}。", code=CommonErrorCode.REQUIRED, field=label)
    return value


# -- the daily scan -----------------------------------------------------------------------------------------


@dataclass
class ScanResult:
    """What one scan did: alerts raised and closed, and how many stay open."""

    raised: list[int]
    closed: int
    open: int

    def as_dict(self) -> dict:
        return {"raised": len(self.raised), "closed": self.closed, "open": self.open}


def scan_alerts(on: datetime.date | None = None, *, now=None) -> ScanResult:
    """Raise one alert per new cause and close the alerts whose cause is gone, in one transaction.

    Set-based and one statement: the causes of every scanned project are compared with the open alerts in
    one hash join, new causes are inserted with ON CONFLICT DO NOTHING against the partial unique index of
    open alerts, and alerts without a cause are closed. The number of queries does not depend on the data.
    Running it twice, or again after a worker died in the middle (the transaction rolls back), raises nothing
    twice. Notifying is a separate step (notify_pending_alerts), so a scan that committed is never undone by
    a failed message.
    """
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    with transaction.atomic():
        raised, closed = _scan(on, now)
        open_count = Alert.objects.open().count()
    return ScanResult(raised=raised, closed=closed, open=open_count)


def _scan(on: datetime.date, now) -> tuple[list[int], int]:
    sql, params = causes.all_causes_sql(causes.scanned_projects(on), on)
    # `diff` keeps only what changes: causes without an open alert (open_id NULL) and open alerts without a
    # cause (ck_key NULL); a second scan of an unchanged day writes nothing. A FULL JOIN can only be a hash
    # or merge join, so however wrong the statistics (a just-emptied alert table), the open alerts are read
    # once, never once per cause. The INSERT and the UPDATE read `diff`, not the alert table, and share the
    # statement's snapshot: neither sees the other's rows. The partial unique index of open alerts stays the
    # guarantee (ON CONFLICT DO NOTHING) against a scan running at the same time.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH diff AS (
                SELECT c.*, a.id AS open_id
                FROM ({sql}) AS c
                FULL JOIN (SELECT id, cause_key FROM supervision_alert WHERE status = %s) AS a
                    ON a.cause_key = c.ck_key
                WHERE c.ck_key IS NULL OR a.id IS NULL
            ),
            raised AS (
                INSERT INTO supervision_alert
                    (kind, cause_key, project_id, unit_id, milestone_id, month, detail, status, raised_at)
                SELECT ck_kind, ck_key, ck_project, ck_unit, ck_milestone, ck_month,
                       SUBSTR(ck_detail, 1, 300), %s, %s
                FROM diff
                WHERE open_id IS NULL
                ON CONFLICT DO NOTHING
                RETURNING id
            ),
            closed AS (
                UPDATE supervision_alert SET status = %s, closed_at = %s
                WHERE status = %s AND id IN (SELECT open_id FROM diff WHERE ck_key IS NULL)
                RETURNING id
            )
            SELECT ARRAY(SELECT id FROM raised ORDER BY id), (SELECT COUNT(*) FROM closed)
            """,
            [*params, AlertStatus.OPEN, AlertStatus.OPEN, now, AlertStatus.CLOSED, now, AlertStatus.OPEN],
        )
        raised, closed = cursor.fetchone()
    return list(raised), closed


def notify_pending_alerts(batch: int = NOTIFY_BATCH) -> int:
    """Tell the responsible units' filers about open alerts not yet notified (event = the alert), in batches;
    returns how many alerts. An alert whose notification was interrupted is picked up by the next run, and
    notify() never sends one event twice to a user."""
    done = 0
    while True:
        alerts = list(Alert.objects.open().filter(notified_at__isnull=True).order_by("pk")[:batch])
        if not alerts:
            return done
        users_by_unit: dict[int | None, list[User]] = {}
        for user in unit_users({alert.unit_id for alert in alerts}):
            users_by_unit.setdefault(user.unit_id, []).append(user)
        with transaction.atomic():
            for alert in alerts:
                notify(
                    users_by_unit.get(alert.unit_id, []),
                    event=f"supervision.alert:{alert.pk}",
                    title=f"预警：{alert.get_kind_display()}",
                    body=alert.detail,
                    url="/supervision/alerts/",
                    channels=conf.alert_channels(),
                )
            Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(notified_at=timezone.now())
        done += len(alerts)


# -- 督办单 ------------------------------------------------------------------------------------------------


def stage_dues(issued_at: datetime.datetime, days: dict | None = None) -> dict[str, datetime.datetime]:
    """Each stage's deadline: `days` (default: SUPERVISION_ORDER_STAGE_DAYS, "13710") after issuing."""
    merged = conf.stage_days()
    for stage, value in (days or {}).items():
        if str(stage) not in merged:
            raise DomainError(f"未知的督办阶段“{stage}”。", code=SupervisionErrorCode.INVALID_STAGE)
        merged[str(stage)] = int(value)
    previous = 0
    for stage in Stage:
        if merged[stage] < previous or merged[stage] < 0:
            raise DomainError(
                "各阶段时限（天数）须依次不小于前一阶段。", code=SupervisionErrorCode.INVALID_STAGE_DAYS
            )
        previous = merged[stage]
    return {STAGE_FIELDS[stage][0]: issued_at + datetime.timedelta(days=merged[stage]) for stage in Stage}


@transaction.atomic
def issue_order(
    *,
    actor,
    unit: Unit,
    title: str,
    requirement: str,
    project: Project | None = None,
    problem: Problem | None = None,
    alert: Alert | None = None,
    stage_days: dict | None = None,
) -> SupervisionOrder:
    """Issue a 督办单 to a unit about a project or a problem; the unit's filers are told."""
    require_staff(actor)
    require_visible(Unit, actor, unit)
    require_visible(Project, actor, project)
    require_visible(Problem, actor, problem)
    title = require_text(title, "督办事项")
    requirement = require_text(requirement, "督办要求")
    # The issuing office's region (a superuser without a unit issues in the unit's region).
    region = actor.unit.region if actor.unit_id else unit.region
    Region.objects.select_for_update().get(pk=region.pk)  # serial numbers per region and year
    now = timezone.now()
    year = timezone.localdate(now).year
    last = SupervisionOrder.objects.filter(region=region, year=year).order_by("-serial").first()
    order = SupervisionOrder.objects.create(
        region=region,
        year=year,
        serial=(last.serial + 1) if last else 1,
        unit=unit,
        project=project,
        problem=problem,
        alert=alert,
        title=title,
        requirement=requirement,
        issued_by=actor,
        issued_at=now,
        **stage_dues(now, stage_days),
    )
    notify(
        unit_users([unit.pk]),
        event=f"supervision.order:{order.pk}:issued",
        title=f"督办单 {order.number}：{order.title}",
        body=f"请于{timezone.localtime(order.acknowledge_due):%Y-%m-%d %H:%M}前签收部署，"
        f"{timezone.localtime(order.report_due):%Y-%m-%d %H:%M}前报告办理结果。",
        url=f"/supervision/orders/{order.pk}/",
        channels=conf.escalation_channels(),
    )
    return order


def _locked_order(order) -> SupervisionOrder:
    return SupervisionOrder.objects.select_for_update().select_related("unit").get(pk=order.pk)


@transaction.atomic
def respond_to_order(order: SupervisionOrder, *, actor, stage: str, text: str) -> OrderResponse:
    """The unit answers the next stage of its 督办单 (签收部署, 反馈进展, 办理落实, 报告结果), in order."""
    order = _locked_order(order)
    require_unit_user(actor, order.unit_id, "答复督办单")
    if order.status == OrderStatus.CLOSED:
        raise InvalidTransition("督办单已办结销号，不能再答复。")
    try:
        stage = Stage(stage)
    except ValueError:
        raise DomainError(
            f"未知的督办阶段“{stage}”。", code=SupervisionErrorCode.INVALID_STAGE, field="stage"
        ) from None
    expected = order.next_stage()
    if stage != expected:
        raise InvalidTransition(
            f"当前应办理“{expected.label}”，不能直接“{stage.label}”。"
            if expected
            else "四个阶段均已答复，等待民生办销号。"
        )
    text = require_text(text, "办理情况")
    now = timezone.now()
    response = OrderResponse.objects.create(order=order, stage=stage, text=text, author=actor, created_at=now)
    setattr(order, STAGE_FIELDS[stage][1], now)
    order.status = STATUS_AFTER[stage]
    order.save(update_fields=[STAGE_FIELDS[stage][1], "status"])
    notify(
        [order.issued_by],
        event=f"supervision.order:{order.pk}:{stage}",
        title=f"{order.unit}已{stage.label}：{order.number}",
        body=text[:200],
        url=f"/admin/supervision/supervisionorder/{order.pk}/change/",
    )
    return response


@transaction.atomic
def close_order(order: SupervisionOrder, *, actor, note: str) -> SupervisionOrder:
    """Staff close (销号) an order once the unit has reported the result."""
    require_staff(actor)
    require_visible(SupervisionOrder, actor, order)
    order = _locked_order(order)
    if order.status != OrderStatus.REPORTED:
        raise InvalidTransition("承办单位报告办理结果后方可销号。")
    if actor.unit_id == order.unit_id:
        raise PermissionDenied("不能为本单位承办的督办单销号。")
    order.status = OrderStatus.CLOSED
    order.closed_by = actor
    order.closed_at = timezone.now()
    order.closing_note = require_text(note, "办结意见")
    order.save(update_fields=["status", "closed_by", "closed_at", "closing_note"])
    notify(
        unit_users([order.unit_id]),
        event=f"supervision.order:{order.pk}:closed",
        title=f"督办单 {order.number} 已办结销号",
        body=order.closing_note[:200],
        url=f"/supervision/orders/{order.pk}/",
    )
    return order


def escalate_overdue_orders(now=None) -> list[int]:
    """Record each missed stage of an open 督办单 once (an Escalation, unique per order and stage), raise the
    order's escalation level and tell the unit and the issuer. Set-based; safe to run any number of times."""
    now = now or timezone.now()
    selects, params = [], []
    for stage, (due, done) in STAGE_FIELDS.items():
        selects.append(
            f"SELECT id, %s, {due} FROM supervision_supervisionorder"
            f" WHERE status <> %s AND {done} IS NULL AND {due} < %s"
        )
        params += [stage.value, OrderStatus.CLOSED, now]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO supervision_escalation (order_id, stage, due_at, escalated_at)
            SELECT c.*, %s FROM ({" UNION ALL ".join(selects)}) AS c
            WHERE true
            ON CONFLICT (order_id, stage) DO NOTHING
            RETURNING id
            """,
            [now, *params],
        )
        new_ids = [row[0] for row in cursor.fetchall()]
        if not new_ids:
            return []
        escalations = list(Escalation.objects.filter(pk__in=new_ids).select_related("order__issued_by"))
        orders = {e.order_id for e in escalations}
        counts = Escalation.objects.filter(order=OuterRef("pk")).values("order").annotate(n=Count("pk"))
        SupervisionOrder.objects.filter(pk__in=orders).update(escalation_level=Subquery(counts.values("n")))
        users_by_unit: dict[int | None, list[User]] = {}
        for user in unit_users({e.order.unit_id for e in escalations}):
            users_by_unit.setdefault(user.unit_id, []).append(user)
        for escalation in escalations:
            order = escalation.order
            notify(
                [*users_by_unit.get(order.unit_id, []), order.issued_by],
                event=f"supervision.escalation:{escalation.pk}",
                title=f"督办超期：{order.number}“{escalation.get_stage_display()}”未按时办理",
                body=f"{order.title}。时限为{timezone.localtime(escalation.due_at):%Y-%m-%d %H:%M}，"
                "请立即办理。",
                url=f"/supervision/orders/{order.pk}/",
                channels=conf.escalation_channels(),
            )
    return new_ids


# -- problems and rectification -----------------------------------------------------------------------------


def _problem_fields(source, unit, description, severity, project, found_on):
    try:
        source = ProblemSource(source)
        severity = Severity(severity)
    except ValueError:
        raise DomainError("问题来源或严重程度无效。", code=SupervisionErrorCode.INVALID_CHOICE) from None
    if project is not None and unit is None:
        unit = project.lead_unit
    if unit is None:
        raise DomainError("请指定问题的责任单位。", code=CommonErrorCode.REQUIRED, field="unit")
    return {
        "source": source,
        "unit": unit,
        "description": require_text(description, "问题描述"),
        "severity": severity,
        "project": project,
        "found_on": found_on or timezone.localdate(),
    }


@transaction.atomic
def record_problem(
    *,
    actor,
    source: str,
    description: str,
    unit: Unit | None = None,
    project: Project | None = None,
    severity: str = Severity.MINOR,
    found_on: datetime.date | None = None,
    alert: Alert | None = None,
    reporter_name: str = "",
    inspection: Inspection | None = None,
) -> Problem:
    """Put a problem on the problem list (问题清单) and tell the responsible unit."""
    require_staff(actor)
    require_visible(Project, actor, project)
    fields = _problem_fields(source, unit, description, severity, project, found_on)
    require_visible(Unit, actor, fields["unit"])
    if fields["source"] == ProblemSource.INSPECTION and inspection is None:
        raise DomainError(
            "明查暗访发现的问题请在督查活动中登记。", code=SupervisionErrorCode.INSPECTION_REQUIRED
        )
    problem = Problem.objects.create(
        **fields, alert=alert, reporter_name=reporter_name, inspection=inspection, recorded_by=actor
    )
    _tell_unit_of_problem(problem)
    return problem


def _tell_unit_of_problem(problem: Problem) -> None:
    notify(
        unit_users([problem.unit_id]),
        event=f"supervision.problem:{problem.pk}",
        title=f"新问题待整改（{problem.get_severity_display()}）",
        body=problem.description[:200],
        url=f"/supervision/problems/{problem.pk}/",
        channels=conf.alert_channels(),
    )


def _locked_problem(problem) -> Problem:
    return Problem.objects.select_for_update().get(pk=problem.pk)


def _require_rectifier(actor, problem: Problem) -> None:
    """The problem's unit writes its rectification; staff may write it on the unit's behalf."""
    if access.may_edit(actor):
        require_visible(Problem, actor, problem)
        return
    require_unit_user(actor, problem.unit_id, "填写整改情况")


@transaction.atomic
def plan_rectification(
    problem: Problem, *, actor, measures: str, deadline: datetime.date, responsible_person: str = ""
) -> Rectification:
    """The unit states its measures and deadline (整改措施、时限); the problem is then being rectified."""
    problem = _locked_problem(problem)
    _require_rectifier(actor, problem)
    if problem.status not in (ProblemStatus.OPEN, ProblemStatus.RECTIFYING):
        raise InvalidTransition("整改已报送核验或已销号，不能再修改整改措施。")
    if deadline is None:
        raise DomainError("请填写整改时限。", code=CommonErrorCode.REQUIRED, field="deadline")
    if deadline < problem.found_on:
        raise DomainError(
            "整改时限不能早于问题发现日期。", code=SupervisionErrorCode.INVALID_DEADLINE, field="deadline"
        )
    rectification, _ = Rectification.objects.update_or_create(
        problem=problem,
        defaults={
            "measures": require_text(measures, "整改措施"),
            "deadline": deadline,
            "responsible_person": responsible_person.strip(),
        },
    )
    if problem.status != ProblemStatus.RECTIFYING:
        problem.status = ProblemStatus.RECTIFYING
        problem.save(update_fields=["status"])
    return rectification


@transaction.atomic
def add_evidence(problem: Problem, *, actor, file, caption: str = "") -> Evidence:
    """Attach a photo or document showing the rectification (type and size checked before storing)."""
    problem = _locked_problem(problem)
    _require_rectifier(actor, problem)
    rectification = Rectification.objects.filter(problem=problem).first()
    if rectification is None:
        raise InvalidTransition("请先填写整改措施和时限。")
    if problem.status == ProblemStatus.CLOSED:
        raise InvalidTransition("问题已核验销号。")
    evidence = Evidence(rectification=rectification, file=file, caption=caption, uploaded_by=actor)
    try:
        evidence.full_clean(exclude=["rectification", "uploaded_by"])
    except ValidationError as exc:
        raise DomainError(
            "；".join(exc.messages), code=SupervisionErrorCode.INVALID_FILE, field="file"
        ) from None
    evidence.save()
    return evidence


@transaction.atomic
def submit_rectification(problem: Problem, *, actor, result: str) -> Rectification:
    """The unit reports the rectification done, for verification by someone outside the unit."""
    problem = _locked_problem(problem)
    _require_rectifier(actor, problem)
    if problem.status != ProblemStatus.RECTIFYING:
        raise InvalidTransition("请先填写整改措施；已报送的整改不能重复报送。")
    rectification = problem.rectification
    rectification.result = require_text(result, "整改结果")
    rectification.submitted_by = actor
    rectification.submitted_at = timezone.now()
    rectification.save(update_fields=["result", "submitted_by", "submitted_at"])
    problem.status = ProblemStatus.SUBMITTED
    problem.save(update_fields=["status"])
    return rectification


def _require_verifier(actor, problem: Problem) -> None:
    require_staff(actor)
    require_visible(Problem, actor, problem)
    if actor.unit_id is not None and actor.unit_id == problem.unit_id:
        raise PermissionDenied("整改须由责任单位以外的人员核验。")


@transaction.atomic
def verify_rectification(problem: Problem, *, actor, note: str = "") -> Problem:
    """Staff from outside the unit verify the rectification and close the problem (销号)."""
    _require_verifier(actor, problem)
    problem = _locked_problem(problem)
    if problem.status != ProblemStatus.SUBMITTED:
        raise InvalidTransition("只有已报送核验的整改可以核验销号。")
    now = timezone.now()
    rectification = problem.rectification
    rectification.verified_by, rectification.verified_at = actor, now
    rectification.verification_note = note.strip()
    rectification.save(update_fields=["verified_by", "verified_at", "verification_note"])
    problem.status, problem.closed_at = ProblemStatus.CLOSED, now
    problem.save(update_fields=["status", "closed_at"])
    notify(
        unit_users([problem.unit_id]),
        event=f"supervision.problem:{problem.pk}:verified",
        title="整改已核验销号",
        body=problem.description[:200],
        url=f"/supervision/problems/{problem.pk}/",
    )
    return problem


@transaction.atomic
def reject_rectification(problem: Problem, *, actor, note: str) -> Problem:
    """Staff send a rectification back (核验不通过) with a reason; the unit continues rectifying."""
    _require_verifier(actor, problem)
    problem = _locked_problem(problem)
    if problem.status != ProblemStatus.SUBMITTED:
        raise InvalidTransition("只有已报送核验的整改可以退回。")
    rectification = problem.rectification
    rectification.verification_note = require_text(note, "退回理由")
    rectification.submitted_at = None
    rectification.save(update_fields=["verification_note", "submitted_at"])
    problem.status = ProblemStatus.RECTIFYING
    problem.save(update_fields=["status"])
    notify(
        unit_users([problem.unit_id]),
        event=f"supervision.problem:{problem.pk}:rejected:{rectification.history.count()}",
        title="整改核验未通过，请继续整改",
        body=rectification.verification_note[:200],
        url=f"/supervision/problems/{problem.pk}/",
    )
    return problem


# -- inspections --------------------------------------------------------------------------------------------


@dataclass
class Finding:
    """A finding of an inspection, which becomes a problem."""

    description: str
    unit: Unit | None = None
    project: Project | None = None
    severity: str = Severity.MINOR


@transaction.atomic
def record_inspection(
    *,
    actor,
    kind: str,
    date: datetime.date,
    title: str,
    inspectors: str,
    projects=(),
    summary: str = "",
    findings: Sequence[Finding] = (),
) -> Inspection:
    """Record a 明查 or 暗访 with the projects seen; each finding goes on the problem list."""
    require_staff(actor)
    projects = list(projects)
    visible = set(
        Project.objects.restrict(actor).filter(pk__in=[p.pk for p in projects]).values_list("pk", flat=True)
    )
    if len(visible) != len({p.pk for p in projects}):
        raise PermissionDenied("所选项目不在您的管理范围内。")
    region = actor.unit.region if actor.unit_id else (projects[0].plan.region if projects else None)
    if region is None:
        raise DomainError("无法确定督查所属区划。", code=CommonErrorCode.REGION_REQUIRED)
    inspection = Inspection.objects.create(
        kind=kind,
        region=region,
        date=date,
        title=require_text(title, "名称"),
        inspectors=require_text(inspectors, "督查人员"),
        summary=summary,
        recorded_by=actor,
    )
    inspection.projects.set(projects)
    for finding in findings:
        add_finding(inspection, actor=actor, finding=finding)
    return inspection


@transaction.atomic
def add_finding(inspection: Inspection, *, actor, finding: Finding) -> Problem:
    """Put one finding of an inspection on the problem list and tell the responsible unit."""
    require_staff(actor)
    require_visible(Inspection, actor, inspection)
    require_visible(Project, actor, finding.project)
    fields = _problem_fields(
        ProblemSource.INSPECTION,
        finding.unit,
        finding.description,
        finding.severity,
        finding.project,
        inspection.date,
    )
    require_visible(Unit, actor, fields["unit"])
    problem = Problem.objects.create(**fields, inspection=inspection, recorded_by=actor)
    _tell_unit_of_problem(problem)
    return problem
