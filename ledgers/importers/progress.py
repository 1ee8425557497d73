"""The monthly progress ledger (月报台账): one row per project, month and indicator with the cumulative
value; the report's investment and narrative may sit on any of its rows.

Built for 50,000-row files: references are resolved from a handful of queries loaded up front, rows are
compared in memory, and the changes are written with bulk inserts and updates that also write their
history rows (simple-history's bulk helpers, with the file as the change reason).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from projects.choices import COUNTED_REPORT_STATUSES, ReportStatus
from projects.models import ProgressReport, ProgressValue, Project, Target

from .. import bulk, cells
from ..reader import Column
from .base import CHANGED, NEW, UNCHANGED, LedgerImporter, Row, RowResult, show

BATCH = 2000

PROJECT_CODE = Column(
    "code",
    "项目编号",
    "code",
    ("编号", "项目代码", "事项编号", "项目序号"),
    note="与项目台账一致；与项目名称至少填一项",
    example="01",
)
PROJECT_TITLE = Column(
    "title",
    "项目名称",
    "text",
    ("事项名称", "民生实事名称", "民生实事项目", "实事名称", "民生工程名称", "工程名称", "项目", "民生实事"),
    note="编号为空时按名称在本区划本年度计划中查找",
    example="新增城镇就业",
)
TARGET_NAME = Column(
    "target",
    "指标名称",
    "text",
    ("量化指标", "目标任务", "绩效指标", "指标", "任务指标", "考核指标"),
    note="与项目的量化指标名称一致",
    example="新增城镇就业人数",
)

REPORT_FIELDS = ("investment_completed", "narrative", "problems", "next_steps", "correction_reason")

COLUMNS = [
    Column("sequence", "序号", "int", ("序", "编号序号"), example=1),
    PROJECT_CODE,
    PROJECT_TITLE,
    Column(
        "month",
        "月份",
        "month",
        ("报告月份", "统计月份", "截至月份", "填报月份", "期间", "时间", "月度"),
        required=True,
        note="填1-12，或“1-9月”“2019年9月”",
        example="1-9月",
    ),
    TARGET_NAME,
    Column(
        "value",
        "累计完成值",
        "figure",
        ("累计完成", "完成值", "累计值", "累计完成数", "累计完成量", "完成数", "年度累计完成"),
        note="1月至本月的累计数，不是当月数",
        example=93000,
    ),
    Column(
        "investment_completed",
        "累计完成投资",
        "money",
        ("完成投资", "累计投资", "已完成投资", "累计完成投资额", "完成投资额"),
        note="金额单位以表头或单元格中的元/万元/亿元为准，表头未注明按元",
        example="8782.53万元",
    ),
    Column(
        "narrative",
        "进展情况",
        "text",
        ("工作进展", "进展", "推进情况", "进展情况说明", "工作进展情况", "完成情况"),
        example="1-9月新增城镇就业9.3万人，提前完成全年目标任务。",
    ),
    Column("problems", "存在问题", "text", ("问题", "困难问题", "存在的问题", "问题及困难")),
    Column("next_steps", "下步打算", "text", ("下一步打算", "下步计划", "下一步工作", "下步工作打算")),
    Column(
        "correction_reason",
        "更正说明",
        "text",
        ("更正原因", "回落说明"),
        note="累计数低于上月时必须说明原因",
    ),
]


@dataclass
class ReportDraft:
    """What the file says about one project's month, gathered over its rows."""

    project: Project
    month: int
    rows: list[Row] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)  # target id → (value, row)


class ProgressImporter(LedgerImporter):
    """Imports cumulative values per indicator and month, with the month's investment and narrative."""

    kind = "progress"
    label = "月度进展台账"
    columns = COLUMNS
    anchors = {"code", "title"}

    def resolve(self, rows: list[Row]) -> None:
        plan = self.plan(create=False)
        if plan is None:
            self.problem(f"{self.place.name}{self.year}年还没有年度计划：请先导入项目台账。")
            return
        projects = list(Project.objects.filter(plan=plan).only("pk", "code", "title", "plan_id"))
        by_code = {cells.code(p.code): p for p in projects}
        by_title: dict[str, list[Project]] = {}
        for p in projects:
            by_title.setdefault(cells.key(p.title), []).append(p)
        targets: dict[tuple[int, str], Target] = {}
        for target in Target.objects.filter(project__plan=plan).only("pk", "project_id", "name"):
            targets[(target.project_id, cells.key(target.name))] = target

        drafts: dict[tuple[int, int], ReportDraft] = {}
        for index, row in enumerate(rows):
            if index % 5000 == 0:
                self.progress("check", index, len(rows))
            project = self._project(row, by_code, by_title)
            month = row.get("month")
            if row.missing("month"):
                self.problem("月份必填", row, "month")
            if project is None or month is None:
                continue
            draft = drafts.get((project.pk, month))
            if draft is None:
                draft = drafts[(project.pk, month)] = ReportDraft(project, month)
            draft.rows.append(row)
            self._add_fields(draft, row)
            self._add_value(draft, row, targets)
            if row.get("investment_completed") is not None and row.values["investment_completed"] < 0:
                self.problem("累计完成投资不能为负数", row, "investment_completed")
        self.drafts = drafts
        self.compare(plan)

    def _add_fields(self, draft: ReportDraft, row: Row) -> None:
        """The row's report fields onto the draft; rows of one report must agree."""
        for name in REPORT_FIELDS:
            if name in row.values:
                value = row.values[name]
                if name in draft.fields and draft.fields[name] != value:
                    self.problem(f"与同一项目同一月份的其他行不一致（{draft.fields[name]}）", row, name)
                draft.fields[name] = value

    def _add_value(self, draft: ReportDraft, row: Row, targets: dict[tuple[int, str], Target]) -> None:
        """The row's target value onto the draft, once per target."""
        if "target" not in row.values:
            if "value" in row.values:
                self.problem("填写了累计完成值但没有指标名称", row, "target")
            return
        project = draft.project
        target = targets.get((project.pk, cells.key(row.values["target"])))
        if target is None:
            self.problem(f"项目“{project.title}”没有名为“{row.values['target']}”的指标", row, "target")
        elif "value" not in row.values:
            if row.missing("value"):
                self.problem("填写了指标但没有累计完成值", row, "value")
        elif target.pk in draft.values:
            self.problem(
                f"与第{draft.values[target.pk][1].number}行重复（同一项目、月份、指标）",
                row,
                "target",
            )
        elif row.values["value"] < 0:
            self.problem("累计完成值不能为负数", row, "value")
        else:
            draft.values[target.pk] = (row.values["value"], row)

    def _project(self, row: Row, by_code, by_title) -> Project | None:
        code, title = row.get("code"), row.get("title")
        if code:
            project = by_code.get(code)
            if project is None:
                self.problem(f"本区划{self.year}年计划中没有编号为“{code}”的项目", row, "code")
            return project
        if title:
            found = by_title.get(cells.key(title), [])
            if len(found) == 1:
                return found[0]
            self.problem(
                f"本区划{self.year}年计划中" + ("有多个" if found else "没有") + f"名为“{title}”的项目",
                row,
                "title",
            )
            return None
        self.problem("项目编号和项目名称至少填一项", row, "title" if "title" in row.values else "code")
        return None

    def compare(self, plan) -> None:
        """Decide per row: new, changed or unchanged; check locked reports and cumulative decreases."""
        reports = {
            (r.project_id, r.month): r
            for r in ProgressReport.objects.filter(project__plan=plan).only(
                "pk", "project_id", "month", "status", *REPORT_FIELDS
            )
        }
        values = {}
        counted: dict[int, dict[int, Decimal]] = {}  # target → month → counted value
        for value in ProgressValue.objects.filter(report__project__plan=plan).values_list(
            "pk", "report_id", "target_id", "value", "report__month", "report__status"
        ):
            pk, report_id, target_id, number, month, status = value
            values[(report_id, target_id)] = (pk, number)
            if status in COUNTED_REPORT_STATUSES:
                counted.setdefault(target_id, {})[month] = number
        self.new_reports: list[ProgressReport] = []
        self.changed_reports: list[ProgressReport] = []
        self.new_values, self.changed_values = [], []  # (draft, target id, value) / ProgressValue
        now = timezone.now()
        for draft in self.drafts.values():
            for target_id, (number, _row) in draft.values.items():
                counted.setdefault(target_id, {})[draft.month] = number
        for (project_id, month), draft in self.drafts.items():
            report = reports.get((project_id, month))
            row_changes: dict[int, list[str]] = {}
            row_new: set[int] = set()
            if report is None:
                report = ProgressReport(
                    project_id=project_id,
                    month=month,
                    status=ReportStatus.SUBMITTED,
                    submitted_by=self.actor if getattr(self.actor, "pk", None) else None,
                    submitted_at=now,
                    created_at=now,
                    updated_at=now,
                    **{name: draft.fields.get(name, "") for name in REPORT_FIELDS[1:]},
                    investment_completed=draft.fields.get("investment_completed"),
                )
                self.new_reports.append(report)
                row_new.update(id(r) for r in draft.rows)
            else:
                self._update_report(draft, report, now, row_changes)
            reason = draft.fields.get("correction_reason") or (report.correction_reason if report.pk else "")
            for target_id, (number, row) in draft.values.items():
                existing = values.get((report.pk, target_id)) if report.pk else None
                if existing is None:
                    self.new_values.append((report, target_id, number))
                    row_new.add(id(row))
                elif existing[1] != number:
                    if report.is_locked:
                        self.problem("该月报告已审核，不能通过台账修改", row, "value")
                    self.changed_values.append(
                        ProgressValue(pk=existing[0], report_id=report.pk, target_id=target_id, value=number)
                    )
                    row_changes.setdefault(id(row), []).append(self.change("value", existing[1], number))
                if not reason:
                    self._check_decrease(row, target_id, draft.month, number, counted[target_id])
            self._report_rows(draft, row_new, row_changes)

    def _update_report(
        self, draft: ReportDraft, report: ProgressReport, now, row_changes: dict[int, list[str]]
    ) -> None:
        """The draft's fields onto an existing report, listed as changes of its first row."""
        changed = []
        for name, new in draft.fields.items():
            old = getattr(report, name)
            if old != new:
                changed.append(name)
                setattr(report, name, new)
                row_changes.setdefault(id(draft.rows[0]), []).append(self.change(name, old, new))
        if changed:
            if report.is_locked:
                self.problem("该月报告已审核，不能通过台账修改", draft.rows[0], changed[0])
            report.updated_at = now
            self.changed_reports.append(report)

    def _report_rows(self, draft: ReportDraft, row_new: set[int], row_changes: dict[int, list[str]]) -> None:
        """Each row of the draft in the import report: new, changed (with the changes) or unchanged."""
        for row in draft.rows:
            action = NEW if id(row) in row_new else CHANGED if id(row) in row_changes else UNCHANGED
            label = f"{draft.project.code} {draft.project.title} {draft.month}月" + (
                f" {row.values['target']}" if "target" in row.values else ""
            )
            self.report.add_row(RowResult(row.sheet, row.number, action, label, row_changes.get(id(row), [])))

    def _check_decrease(self, row: Row, target_id: int, month: int, number: Decimal, series: dict) -> None:
        earlier = [(m, v) for m, v in series.items() if m < month and v > number]
        if earlier:
            m, v = max(earlier)
            self.problem(
                f"累计完成值{show(number)}低于{m}月的{show(v)}：累计数回落须在“更正说明”中写明原因",
                row,
                "value",
            )

    def write(self) -> None:
        user = self.actor if getattr(self.actor, "pk", None) else None
        history = {"default_user": user, "default_change_reason": self.reason, "batch_size": BATCH}
        total = (
            len(self.new_reports)
            + len(self.changed_reports)
            + len(self.new_values)
            + len(self.changed_values)
        )
        self.progress("write", 0, total)
        # New rows (the bulk of a first import) go in with COPY, history rows included.
        bulk.create_with_history(ProgressReport, self.new_reports, user=user, reason=self.reason)
        if self.changed_reports:
            fields = [*REPORT_FIELDS, "updated_at"]
            bulk_update_with_history(self.changed_reports, ProgressReport, fields, **history)
        done = len(self.new_reports) + len(self.changed_reports)
        self.progress("write", done, total)
        for start in range(0, len(self.new_values), BATCH * 5):
            chunk = [
                ProgressValue(report_id=report.pk, target_id=target_id, value=number)
                for report, target_id, number in self.new_values[start : start + BATCH * 5]
            ]
            bulk.create_with_history(ProgressValue, chunk, user=user, reason=self.reason)
            done += len(chunk)
            self.progress("write", done, total)
        if self.changed_values:
            bulk_update_with_history(self.changed_values, ProgressValue, ["value"], **history)
        self.progress("write", total, total)
