"""The funding ledger (资金台账): one row per movement of money: arrival (到位), disbursement (拨付) or
spending (支出), by source level.

Entries are written only through funding.services (record_entry), which lock the project's funding rows
and keep spent <= disbursed <= arrived per level and per day; a dry run performs them and rolls back, so
the preview shows exactly the errors the import would meet. Entries are never edited: a row matching an
active entry (same project, kind, level, date, amount, 文号 and 凭证号) is unchanged, any other row is new.
"""

from collections import Counter, defaultdict

from django.utils import timezone

from funding import services as funding
from funding.choices import EntryKind, SourceLevel
from funding.models import Entry, FundingSource, PlanAdjustment
from minsheng.errors import DomainError
from org.models import Unit
from projects.models import Project

from .. import cells
from ..reader import Column
from .base import NEW, UNCHANGED, LedgerImporter, Row, RowResult, stamp_reason
from .progress import PROJECT_CODE, PROJECT_TITLE

KIND_WORDS = {
    EntryKind.ARRIVAL: ("到位", "到账", "下达", "资金到位", "收到", "拨入"),
    EntryKind.DISBURSEMENT: ("拨付", "拨出", "下拨", "转拨"),
    EntryKind.SPENDING: ("支出", "使用", "支付", "报账", "实际支出"),
}
LEVEL_WORDS = {
    SourceLevel.CENTRAL: ("中央", "中央资金", "中央财政", "中央级"),
    SourceLevel.PROVINCE: ("省级", "省", "省级资金", "省财政", "省级财政"),
    SourceLevel.CITY: ("市级", "市", "市级资金", "市财政", "市级财政"),
    SourceLevel.COUNTY: ("县区级", "县区", "县级", "区级", "县", "区", "县区财政", "县级财政", "区级财政"),
    SourceLevel.SOCIAL: ("社会资本", "社会资金", "社会投资", "PPP"),
    SourceLevel.OTHER: ("其他", "其它", "其他资金"),
}
LEVEL_ORDER = list(SourceLevel)
KIND_ORDER = [EntryKind.ARRIVAL, EntryKind.DISBURSEMENT, EntryKind.SPENDING]
# A service error's field → the ledger column it comes from.
FIELD_COLUMNS = {
    "amount": "amount",
    "date": "date",
    "level": "level",
    "kind": "kind",
    "recipient_unit": "recipient_unit",
    "purpose": "purpose",
}

COLUMNS = [
    Column("sequence", "序号", "int", ("序",), example=1),
    PROJECT_CODE,
    PROJECT_TITLE,
    Column(
        "kind",
        "类型",
        "text",
        ("资金类型", "流水类型", "业务类型", "收支类型", "资金状态"),
        required=True,
        note="到位、拨付或支出",
        example="到位",
    ),
    Column(
        "level",
        "资金来源",
        "text",
        ("来源", "资金层级", "资金级次", "来源层级", "级次", "资金渠道"),
        required=True,
        note="、".join(SourceLevel.labels),
        example="省级",
    ),
    Column(
        "amount",
        "金额",
        "money",
        ("资金金额", "发生额", "到位金额", "拨付金额", "支出金额", "金额数"),
        required=True,
        note="单位以表头或单元格中的元/万元/亿元为准，表头未注明按元",
        example="3541万元",
    ),
    Column(
        "date",
        "日期",
        "date",
        ("到位日期", "拨付日期", "支出日期", "时间", "发生日期", "到账时间"),
        required=True,
        note="须在计划年度内，如2016年5月20日、2016.5.20",
        example="2016年5月20日",
    ),
    Column(
        "document_number",
        "文号",
        "text",
        ("文件文号", "指标文号", "下达文号", "资金文号"),
        example="鲁财社指〔2016〕12号",
    ),
    Column(
        "recipient_unit",
        "拨付单位",
        "text",
        ("拨付至", "收款单位", "实施单位", "拨付对象"),
        note="拨付时必填：实施单位全称或简称",
    ),
    Column("voucher", "凭证号", "text", ("凭证编号", "记账凭证号", "凭证"), example=""),
    Column("purpose", "用途", "text", ("资金用途", "支出用途", "摘要"), note="支出时必填"),
    Column("note", "备注", "text", ("说明",)),
]


def word(table: dict, value: str):
    wanted = cells.key(value)
    for member, words in table.items():
        if wanted in {cells.key(w) for w in (member.label, member.value, *words)}:
            return member
    return None


class FundingImporter(LedgerImporter):
    """Imports arrivals, disbursements and spending through funding.services."""

    kind = "funding"
    label = "资金台账"
    columns = COLUMNS
    anchors = {"code", "title"}
    rehearse_writes = True
    rehearse_with_problems = True

    def resolve(self, rows: list[Row]) -> None:
        if self.actor is None:
            self.problem("资金台账须以民生办工作人员身份导入（命令行请加 --user 用户名）。")
            return
        plan = self.plan(create=False)
        if plan is None:
            self.problem(f"{self.place.name}{self.year}年还没有年度计划：请先导入项目台账。")
            return
        projects = list(Project.objects.filter(plan=plan).select_related("plan"))
        by_code = {cells.code(p.code): p for p in projects}
        by_title = defaultdict(list)
        for p in projects:
            by_title[cells.key(p.title)].append(p)
        units = self.units()
        existing = Counter(
            Entry.objects.active()
            .filter(project__plan=plan)
            .values_list("project_id", "kind", "level", "date", "amount", "document_number", "voucher")
        )
        self.entries: list[tuple[Row, Project, EntryKind, SourceLevel, Unit | None]] = []
        for row in rows:
            project = self.find_project(row, by_code, by_title)
            kind = word(KIND_WORDS, row.get("kind", "")) if "kind" in row.values else None
            if "kind" in row.values and kind is None:
                self.problem(f"“{row.values['kind']}”不是有效的类型（到位、拨付或支出）", row, "kind")
            level = word(LEVEL_WORDS, row.get("level", "")) if "level" in row.values else None
            if "level" in row.values and level is None:
                self.problem(
                    f"“{row.values['level']}”不是有效的资金来源（{'、'.join(SourceLevel.labels)}）",
                    row,
                    "level",
                )
            for name in ("kind", "level", "amount", "date"):
                if row.missing(name):
                    self.problem(f"{self.column_label(name)}必填", row, name)
            recipient = None
            if row.get("recipient_unit"):
                recipient, error = units.find(row.values["recipient_unit"])
                if error:
                    self.problem(error, row, "recipient_unit")
            if project is None or kind is None or level is None:
                continue
            if row.get("amount") is None or row.get("date") is None:
                continue
            key = (
                project.pk,
                kind.value,
                level.value,
                row.values["date"],
                row.values["amount"],
                row.get("document_number", ""),
                row.get("voucher", ""),
            )
            amount = funding.yuan(row.values["amount"])
            label = f"{project.code} {project.title} {kind.label} {level.label} {amount}"
            if existing[key] > 0:
                existing[key] -= 1
                self.report.add_row(RowResult(row.sheet, row.number, UNCHANGED, label))
                continue
            self.report.add_row(RowResult(row.sheet, row.number, NEW, label))
            self.entries.append((row, project, kind, level, recipient))

    def find_project(self, row: Row, by_code, by_title):
        code, title = row.get("code"), row.get("title")
        if code:
            project = by_code.get(code)
            if project is None:
                self.problem(f"本区划{self.year}年计划中没有编号为“{code}”的项目", row, "code")
            return project
        found = by_title.get(cells.key(title or ""), [])
        if len(found) == 1:
            return found[0]
        if title:
            self.problem(
                f"本区划{self.year}年计划中{'有多个' if found else '没有'}名为“{title}”的项目", row, "title"
            )
        else:
            self.problem("项目编号和项目名称至少填一项", row, "title")
        return None

    def write(self) -> None:
        since = timezone.now()
        # Money must come in before it goes out: within a day, arrivals first, then disbursements, spending.
        ordered = sorted(
            self.entries, key=lambda e: (e[0].values["date"], KIND_ORDER.index(e[2]), e[0].number)
        )
        for index, (row, project, kind, level, recipient) in enumerate(ordered):
            if index % 200 == 0:
                self.progress("write", index, len(ordered))
            details = {
                name: row.values[name]
                for name in ("document_number", "voucher", "purpose", "note")
                if name in row.values
            }
            if recipient is not None:
                details["recipient_unit"] = recipient
            try:
                funding.record_entry(
                    project,
                    kind=kind,
                    level=level,
                    amount=row.values["amount"],
                    date=row.values["date"],
                    actor=self.actor,
                    **details,
                )
            except DomainError as error:
                self.problem(error.message, row, FIELD_COLUMNS.get(error.field or ""))
        stamp_reason([Entry, FundingSource, PlanAdjustment], since, self.reason, self.actor)
