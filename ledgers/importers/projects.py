"""The projects ledger (项目台账): one row per quantified indicator; the project's own columns may be left
empty (or merged) on the rows after its first, and rows without an indicator carry the project alone."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Field
from django.utils import timezone

from funding import services as funding
from funding.choices import SourceLevel
from funding.models import FundingSource, PlanAdjustment
from minsheng.errors import DomainError
from projects.choices import Category, ChangeType, ProjectLevel
from projects.models import Project, Target

from .. import cells
from ..reader import Column
from .base import CHANGED, NEW, UNCHANGED, LedgerImporter, Row, RowResult, show, stamp_reason
from .funding import LEVEL_WORDS
from .progress import PROJECT_CODE, PROJECT_TITLE, TARGET_NAME

LEVEL_OF_REGION = {
    "province": ProjectLevel.PROVINCE,
    "city": ProjectLevel.CITY,
    "county": ProjectLevel.COUNTY,
}

PLAN_GROUP = (
    "计划资金",
    "资金计划",
    "资金来源",
    "资金筹措",
    "年度计划资金",
    "计划投资构成",
    "资金构成",
    "其中",
    "计划投资",
)
PLAN_EXAMPLES = {SourceLevel.PROVINCE: "3541万元", SourceLevel.CITY: "1500万元"}
# The funding plan by source level: one column per level ("中央资金计划"), or a merged "计划资金" group over
# columns named by the level alone ("中央", "省级", ...).
PLAN_COLUMNS = [
    Column(
        f"plan_{level.value}",
        f"{level.label}资金计划" if level != SourceLevel.SOCIAL else "社会资本计划",
        "money",
        (*LEVEL_WORDS[level], f"{level.label}计划", f"计划{level.label}资金"),
        group=PLAN_GROUP,
        note="资金计划按来源层级填写；已有计划的项目将按台账记录一次资金计划调整",
        example=PLAN_EXAMPLES.get(level),
    )
    for level in SourceLevel
]
PLAN_KEYS = {column.key: SourceLevel(column.key.removeprefix("plan_")) for column in PLAN_COLUMNS}

PROJECT_COLUMNS = [
    Column("sequence", "序号", "int", ("序",), example=1),
    PROJECT_CODE,
    PROJECT_TITLE,
    Column(
        "level",
        "项目层级",
        "text",
        ("层级", "级别", "项目级别", "项目类型级别"),
        note="省级/市级/县区级；留空按区划层级",
        example="市级",
    ),
    Column(
        "category",
        "领域类别",
        "text",
        ("类别", "领域", "所属领域", "项目类别", "类型"),
        note="、".join(Category.labels),
        example="就业创业",
    ),
    Column(
        "change_type",
        "与上年相比",
        "text",
        ("变动类型", "调整类型", "新增或续建", "项目性质"),
        note="、".join(ChangeType.labels),
        example="继续实施",
    ),
    Column(
        "content",
        "建设内容",
        "text",
        ("主要内容", "建设内容及规模", "项目内容", "实施内容", "主要建设内容", "工作内容"),
        example="新增城镇就业9万人，城镇登记失业率控制在3.5%以内。",
    ),
    Column(
        "lead_unit",
        "牵头单位",
        "text",
        ("责任单位", "牵头部门", "主责单位", "牵头责任单位", "责任部门", "主管部门"),
        note="已登记单位的全称、简称或统一社会信用代码",
        example="市人社局",
    ),
    Column(
        "cooperating_units",
        "配合单位",
        "names",
        ("协办单位", "配合部门", "参与单位", "协同单位", "配合责任单位"),
        note="多个单位用顿号分隔",
        example="市财政局、市教育局",
    ),
    Column("responsible_leader", "责任领导", "text", ("分管领导", "责任人", "分管市领导"), example="张三"),
    Column("contact_person", "联系人", "text", ("经办人",), example="李四"),
    Column("contact_phone", "联系电话", "text", ("电话", "手机", "联系方式"), example="0539-8888888"),
    Column(
        "deadline",
        "完成时限",
        "date",
        ("完成时间", "时限", "完成期限", "时限要求", "完成时限要求"),
        note="如2019年6月底、2019.6.30",
        example="2016年12月底",
    ),
    Column(
        "planned_investment",
        "年度计划投资",
        "money",
        ("计划投资", "总投资", "投资额", "年度投资", "计划总投资", "年度计划投资额"),
        note="单位以表头或单元格中的元/万元/亿元为准，表头未注明按元",
        example="8000万元",
    ),
    *PLAN_COLUMNS,
    TARGET_NAME,
    Column("measure", "计量单位", "text", ("单位", "指标单位", "计量"), example="人"),
    Column(
        "annual_target",
        "年度目标",
        "figure",
        ("目标值", "年度目标值", "目标任务数", "年度任务", "全年目标", "数量", "目标数", "任务数"),
        example=90000,
    ),
]

PROJECT_FIELDS = (
    "sequence",
    "title",
    "level",
    "category",
    "change_type",
    "content",
    "lead_unit",
    "responsible_leader",
    "contact_person",
    "contact_phone",
    "deadline",
    "planned_investment",
)
TARGET_FIELDS = ("measure", "annual_target")
# Text columns checked against the model's max_length.
LIMITED_FIELDS = ("title", "content", "responsible_leader", "contact_person", "contact_phone")
# What checked_value returns for a value it refused.
REFUSED = object()


def choice(choices, value: str):
    """A choice from its label ("就业创业"), its value ("employment") or a label containing the text
    ("教育" → 改善教育, "市" → 市级)."""
    wanted = cells.key(value)
    for member in choices:
        if wanted in (cells.key(member.label), member.value):
            return member
    found = [m for m in choices if wanted and (wanted in cells.key(m.label) or cells.key(m.label) in wanted)]
    return found[0] if len(found) == 1 else None


@dataclass
class ProjectDraft:
    project: Project
    rows: list[Row]
    values: dict = field(default_factory=dict)
    is_new: bool = False
    changes: list[str] = field(default_factory=list)
    cooperating: list | None = None
    targets: list = field(default_factory=list)  # (Target, is_new, changes, row)
    funding: dict = field(default_factory=dict)  # source level → planned yuan, when it differs
    funding_planned: bool = False  # whether anything was planned before (then it is an adjustment)


class ProjectsImporter(LedgerImporter):
    """Imports projects with their units, deadline, planned investment and quantified indicators."""

    kind = "projects"
    label = "项目台账"
    columns = PROJECT_COLUMNS
    anchors = {"code", "title"}
    rehearse_writes = True  # project rules (clean) and the funding services speak only when they run

    def group(self, rows: list[Row]) -> list[list[Row]]:
        """Rows of one project: consecutive rows naming the same project (by code, else by title), and rows
        naming none (merged or left empty) after them."""
        groups: list[list[Row]] = []
        current = None
        for row in rows:
            identity = (
                row.sheet,
                row.get("code"),
                cells.key(row.get("title") or "") if not row.get("code") else "",
            )
            names_project = "code" in row.values or "title" in row.values
            if not groups or groups[-1][0].sheet != row.sheet or (names_project and identity != current):
                groups.append([row])
                current = identity if names_project else None
            else:
                groups[-1].append(row)
        return groups

    def resolve(self, rows: list[Row]) -> None:
        plan = self.plan(create=True)
        self.plan_obj = plan
        existing = (
            list(
                Project.objects.filter(plan=plan).prefetch_related(
                    "targets", "cooperating_units", "funding_sources"
                )
            )
            if plan.pk
            else []
        )
        by_code = {cells.code(p.code): p for p in existing}
        by_title: dict[str, list[Project]] = {}
        for p in existing:
            by_title.setdefault(cells.key(p.title), []).append(p)
        units = self.units()
        self.drafts: list[ProjectDraft] = []
        seen: dict[str, Row] = {}
        for group in self.group(rows):
            head = group[0]
            values = self.merge_project_values(group)
            code, title = values.get("code"), values.get("title")
            project = by_code.get(code) if code else None
            if project is None and title and not code:
                found = by_title.get(cells.key(title), [])
                if len(found) > 1:
                    self.problem(f"本计划中有多个名为“{title}”的项目，请填写项目编号", head, "title")
                    continue
                project = found[0] if found else None
            identity = code or cells.key(title or "")
            if not identity:
                self.problem("项目编号和项目名称至少填一项", head, "title")
                continue
            if identity in seen:
                self.problem(f"项目与第{seen[identity].number}行重复", head, "code" if code else "title")
                continue
            seen[identity] = head
            draft = ProjectDraft(project or Project(plan=plan), group, values, is_new=project is None)
            if draft.is_new:
                draft.project.code = code or (
                    str(values["sequence"]).zfill(2) if values.get("sequence") else ""
                )
                if not draft.project.code:
                    self.problem("新项目须填写项目编号（或序号）", head, "code")
                    continue
            self.apply_values(draft, units)
            self.resolve_targets(draft)
            self.resolve_funding(draft)
            self.drafts.append(draft)
        self.compare()

    def merge_project_values(self, group: list[Row]) -> dict:
        values: dict[str, Any] = {}
        for row in group:
            for name, value in row.values.items():
                if name in ("target", "measure", "annual_target"):
                    continue
                if name in values and values[name] != value:
                    self.problem(f"同一项目的各行填写不一致（{show(values[name])}）", row, name)
                values.setdefault(name, value)
        return values

    def apply_values(self, draft: ProjectDraft, units) -> None:
        project, values, head = draft.project, draft.values, draft.rows[0]
        for name in PROJECT_FIELDS:
            if name not in values:
                continue
            value = self.checked_value(name, values[name], units, head)
            if value is REFUSED:
                continue
            old = None if draft.is_new else getattr(project, name)
            if draft.is_new or old != value:
                if not draft.is_new:
                    draft.changes.append(self.change(name, display(name, old), display(name, value)))
                setattr(project, name, value)
        if "cooperating_units" in values:
            self.apply_cooperating(draft, units)
        if draft.is_new:
            if not project.level:
                project.level = LEVEL_OF_REGION.get(self.place.level, ProjectLevel.COUNTY)
            for name in ("title", "category", "lead_unit"):
                if all(row.missing(name) for row in draft.rows):
                    self.problem(f"新项目须填写{self.column_label(name)}", head, name)

    def checked_value(self, name: str, value, units, head: Row):
        """A ledger value as the project's field `name` takes it, or REFUSED (the problem recorded)."""
        if name in CHOICES:
            choices, label = CHOICES[name], CHOICE_NAMES[name]
            member = choice(choices, value)
            if member is None:
                self.problem(
                    f"“{value}”不是有效的{label}（{'、'.join(map(str, choices.labels))}）", head, name
                )
                return REFUSED
            return member.value
        if name == "lead_unit":
            unit, error = units.find(value)
            if error:
                self.problem(error, head, name)
                return REFUSED
            return unit
        if name == "deadline" and value.year < self.year:
            self.problem("完成时限不能早于计划年度", head, name)
            return REFUSED
        if name == "planned_investment" and value < 0:
            self.problem("年度计划投资不能为负数", head, name)
            return REFUSED
        if name in LIMITED_FIELDS:
            column = Project._meta.get_field(name)
            limit = column.max_length if isinstance(column, Field) else None
            if limit and len(value) > limit:
                self.problem(f"超过{limit}个字", head, name)
                return REFUSED
        return value

    def apply_cooperating(self, draft: ProjectDraft, units) -> None:
        """The cooperating units named in the ledger, noted as a change when they differ."""
        found = []
        for name in draft.values["cooperating_units"]:
            unit, error = units.find(name)
            if error:
                self.problem(error, draft.rows[0], "cooperating_units")
            elif unit not in found:
                found.append(unit)
        old = set() if draft.is_new else {u.pk for u in draft.project.cooperating_units.all()}
        if {u.pk for u in found} != old:
            draft.cooperating = found
            if not draft.is_new:
                draft.changes.append("配合单位：" + "、".join(str(u) for u in found))

    def resolve_funding(self, draft: ProjectDraft) -> None:
        """The funding plan by level: compared with the project's FundingSource rows; written by
        funding.services (plan_funding the first time, adjust_plan afterwards)."""
        wanted = {level: draft.values[key] for key, level in PLAN_KEYS.items() if key in draft.values}
        if not wanted:
            return
        for key in PLAN_KEYS:
            if key in draft.values and draft.values[key] < 0:
                self.problem("计划金额不能为负数", draft.rows[0], key)
        current = {} if draft.is_new else {s.level: s.planned for s in draft.project.funding_sources.all()}
        draft.funding_planned = any(current.values())
        for level, amount in wanted.items():
            if current.get(level.value, 0) != amount:
                draft.funding[level.value] = amount
                if not draft.is_new:
                    draft.changes.append(
                        f"{level.label}资金计划：{show(current.get(level.value))} → {show(amount)}"
                    )
        if draft.funding and self.actor is None:
            self.problem("资金计划须以民生办工作人员身份导入（命令行请加 --user 用户名）", draft.rows[0])

    def resolve_targets(self, draft: ProjectDraft) -> None:
        existing = {} if draft.is_new else {cells.key(t.name): t for t in draft.project.targets.all()}
        seen = set()
        for index, row in enumerate(draft.rows):
            if "target" not in row.values:
                if any(name in row.values for name in TARGET_FIELDS):
                    self.problem("填写了目标值但没有指标名称", row, "target")
                continue
            name = row.values["target"]
            if cells.key(name) in seen:
                self.problem(f"指标“{name}”在本项目中重复", row, "target")
                continue
            seen.add(cells.key(name))
            target = existing.get(cells.key(name))
            is_new = target is None
            changes = []
            if is_new:
                target = Target(name=name, sequence=index)
                for field_name in TARGET_FIELDS:
                    if row.missing(field_name):
                        self.problem(f"新指标须填写{self.column_label(field_name)}", row, field_name)
            for field_name in TARGET_FIELDS:
                if field_name not in row.values:
                    continue
                value = row.values[field_name]
                if field_name == "annual_target" and value < 0:
                    self.problem("年度目标不能为负数", row, field_name)
                    continue
                if field_name == "measure" and len(value) > 20:
                    self.problem("超过20个字", row, field_name)
                    continue
                if getattr(target, field_name) != value:
                    if not is_new:
                        changes.append(self.change(field_name, getattr(target, field_name), value))
                    setattr(target, field_name, value)
            draft.targets.append((target, is_new, changes, row))

    def compare(self) -> None:
        for draft in self.drafts:
            target_rows = {id(row): (is_new, changes) for _, is_new, changes, row in draft.targets}
            for position, row in enumerate(draft.rows):
                is_new_target, target_changes = target_rows.get(id(row), (False, []))
                changes = (draft.changes if position == 0 else []) + target_changes
                if draft.is_new or is_new_target:
                    action = NEW
                elif changes or (position == 0 and draft.cooperating is not None):
                    action = CHANGED
                else:
                    action = UNCHANGED
                label = f"{draft.project.code} {draft.project.title}" + (
                    f" · {row.values['target']}" if "target" in row.values else ""
                )
                self.report.add_row(RowResult(row.sheet, row.number, action, label, changes))

    def write(self) -> None:
        since = timezone.now()
        plan = self.plan_obj
        if plan.pk is None:
            plan._change_reason = self.reason
            plan.save()
            self.report.notes.append(f"已新建年度计划“{plan.name}”。")
        for draft in self.drafts:
            project = draft.project
            project.plan = plan
            if draft.is_new or draft.changes:
                try:
                    project.clean()
                except ValidationError as error:
                    for name, messages in error.message_dict.items():
                        self.problem("；".join(messages), draft.rows[0], name)
                    continue
                project._change_reason = self.reason
                project.save()
            if draft.cooperating is not None:
                project._change_reason = self.reason
                project.cooperating_units.set(draft.cooperating)
            for target, is_new, changes, _row in draft.targets:
                if is_new or changes:
                    target.project = project
                    target._change_reason = self.reason
                    target.save()
            if draft.funding:
                self.write_funding(draft)
        stamp_reason([FundingSource, PlanAdjustment], since, self.reason, self.actor)

    def write_funding(self, draft: ProjectDraft) -> None:
        try:
            if draft.funding_planned:
                funding.adjust_plan(
                    draft.project,
                    draft.funding,
                    actor=self.actor,
                    reason=f"按台账《{self.report.filename}》调整资金计划",
                )
            else:
                funding.plan_funding(draft.project, draft.funding, actor=self.actor)
        except DomainError as error:
            column = next(iter(f"plan_{level}" for level in draft.funding), None)
            self.problem(error.message, draft.rows[0], column)


CHOICES = {"level": ProjectLevel, "category": Category, "change_type": ChangeType}
CHOICE_NAMES = {"level": "项目层级", "category": "领域类别", "change_type": "变动类型"}


def display(name: str, value):
    """A field's value as the ledger shows it: choice labels instead of stored values."""
    if name in CHOICES and value:
        try:
            return CHOICES[name](value).label
        except ValueError:
            return value
    return value
