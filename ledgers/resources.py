"""django-import-export Resources of the ledger kinds, in the templates' column order and headers.

Export goes through these Resources (`resource.export(queryset)` gives the dataset the writer lays out).
Import of real ledgers goes through `ledgers.importers` (messy-sheet reader, bulk resolution and writes,
all or nothing); `ProgressValueResource` also imports through django-import-export's own per-row path,
which bench/ledger_import.py measures against ours.
"""

from decimal import Decimal

from import_export import fields, resources, widgets

from funding.models import Entry
from projects.choices import ReportStatus
from projects.models import Plan, ProgressReport, ProgressValue, Project, Target

from . import cells
from .importers.funding import COLUMNS as FUNDING_COLUMNS
from .importers.progress import COLUMNS as PROGRESS_COLUMNS
from .importers.projects import PLAN_KEYS, PROJECT_COLUMNS, display

PROJECT_LABELS = {column.key: column.label for column in PROJECT_COLUMNS}
PROGRESS_LABELS = {column.key: column.label for column in PROGRESS_COLUMNS}


def _money_header(label: str) -> str:
    return f"{label}（元）"


class ProjectLedgerResource(resources.ModelResource):
    """The projects ledger: one row per indicator, the project's columns repeated on each of its rows."""

    sequence = fields.Field(column_name="序号", attribute="project__sequence")
    code = fields.Field(column_name="项目编号", attribute="project__code")
    title = fields.Field(column_name="项目名称", attribute="project__title")
    level = fields.Field(column_name="项目层级")
    category = fields.Field(column_name="领域类别")
    change_type = fields.Field(column_name="与上年相比")
    content = fields.Field(column_name="建设内容", attribute="project__content")
    lead_unit = fields.Field(column_name="牵头单位")
    cooperating_units = fields.Field(column_name="配合单位")
    responsible_leader = fields.Field(column_name="责任领导", attribute="project__responsible_leader")
    contact_person = fields.Field(column_name="联系人", attribute="project__contact_person")
    contact_phone = fields.Field(column_name="联系电话", attribute="project__contact_phone")
    deadline = fields.Field(column_name="完成时限", attribute="project__deadline")
    planned_investment = fields.Field(
        column_name=_money_header("年度计划投资"), attribute="project__planned_investment"
    )
    plan_central = fields.Field(column_name=_money_header("中央资金计划"))
    plan_province = fields.Field(column_name=_money_header("省级资金计划"))
    plan_city = fields.Field(column_name=_money_header("市级资金计划"))
    plan_county = fields.Field(column_name=_money_header("县区级资金计划"))
    plan_social = fields.Field(column_name=_money_header("社会资本计划"))
    plan_other = fields.Field(column_name=_money_header("其他资金计划"))
    target = fields.Field(column_name="指标名称", attribute="name")
    measure = fields.Field(column_name="计量单位", attribute="measure")
    annual_target = fields.Field(column_name="年度目标", attribute="annual_target")

    class Meta:
        model = Target
        fields = [column.key for column in PROJECT_COLUMNS]
        export_order = fields

    def dehydrate_level(self, target):
        return display("level", target.project.level)

    def dehydrate_category(self, target):
        return display("category", target.project.category)

    def dehydrate_change_type(self, target):
        return display("change_type", target.project.change_type)

    def dehydrate_lead_unit(self, target):
        return target.project.lead_unit.name

    def dehydrate_cooperating_units(self, target):
        return "、".join(unit.name for unit in target.project.cooperating_units.all())

    def export_field(self, field, instance, **kwargs):
        name = self.get_field_name(field)
        if name in PLAN_KEYS:
            # Only levels with a plan are written: an empty cell leaves a level alone on re-import.
            planned = {s.level: s.planned for s in instance.project.funding_sources.all()}
            return planned.get(PLAN_KEYS[name].value) or None
        return super().export_field(field, instance, **kwargs)


class ProgressLedgerResource(resources.ModelResource):
    """The monthly progress ledger: one row per report and indicator."""

    sequence = fields.Field(column_name="序号", attribute="report__project__sequence")
    code = fields.Field(column_name="项目编号", attribute="report__project__code")
    title = fields.Field(column_name="项目名称", attribute="report__project__title")
    month = fields.Field(column_name="月份", attribute="report__month")
    target = fields.Field(column_name="指标名称", attribute="target__name")
    value = fields.Field(column_name="累计完成值", attribute="value")
    investment_completed = fields.Field(
        column_name=_money_header("累计完成投资"), attribute="report__investment_completed"
    )
    narrative = fields.Field(column_name="进展情况", attribute="report__narrative")
    problems = fields.Field(column_name="存在问题", attribute="report__problems")
    next_steps = fields.Field(column_name="下步打算", attribute="report__next_steps")
    correction_reason = fields.Field(column_name="更正说明", attribute="report__correction_reason")

    class Meta:
        model = ProgressValue
        fields = [column.key for column in PROGRESS_COLUMNS]
        export_order = fields


class FundingLedgerResource(resources.ModelResource):
    """The funding ledger: one row per active entry (cancelled entries do not count and are left out)."""

    sequence = fields.Field(column_name="序号", attribute="project__sequence")
    code = fields.Field(column_name="项目编号", attribute="project__code")
    title = fields.Field(column_name="项目名称", attribute="project__title")
    kind = fields.Field(column_name="类型")
    level = fields.Field(column_name="资金来源")
    amount = fields.Field(column_name=_money_header("金额"), attribute="amount")
    date = fields.Field(column_name="日期", attribute="date")
    document_number = fields.Field(column_name="文号", attribute="document_number")
    recipient_unit = fields.Field(column_name="拨付单位")
    voucher = fields.Field(column_name="凭证号", attribute="voucher")
    purpose = fields.Field(column_name="用途", attribute="purpose")
    note = fields.Field(column_name="备注", attribute="note")

    class Meta:
        model = Entry
        fields = [column.key for column in FUNDING_COLUMNS]
        export_order = fields

    def dehydrate_kind(self, entry):
        return entry.get_kind_display()

    def dehydrate_level(self, entry):
        return entry.get_level_display()

    def dehydrate_recipient_unit(self, entry):
        return entry.recipient_unit.name if entry.recipient_unit_id else ""


class ProgressValueResource(resources.ModelResource):
    """A progress row through django-import-export's default per-row import (project code, month,
    indicator, cumulative value): each row looks up its project, report, target and value, then saves."""

    code = fields.Field(column_name="项目编号")
    month = fields.Field(column_name="月份")
    target_name = fields.Field(column_name="指标名称")
    report = fields.Field(
        attribute="report", column_name="report", widget=widgets.ForeignKeyWidget(ProgressReport)
    )
    target = fields.Field(attribute="target", column_name="target", widget=widgets.ForeignKeyWidget(Target))
    value = fields.Field(attribute="value", column_name="累计完成值", widget=widgets.DecimalWidget())

    class Meta:
        model = ProgressValue
        fields = ("code", "month", "target_name", "report", "target", "value")
        import_id_fields = ("report", "target")
        skip_unchanged = True

    def __init__(self, plan: Plan, reason: str = ""):
        super().__init__()
        self.plan, self.reason = plan, reason

    def before_import_row(self, row, **kwargs):
        project = Project.objects.get(plan=self.plan, code=cells.code(row["项目编号"]))
        report, _ = ProgressReport.objects.get_or_create(
            project=project, month=int(row["月份"]), defaults={"status": ReportStatus.DRAFT}
        )
        row["report"] = report.pk
        row["target"] = Target.objects.get(project=project, name=row["指标名称"]).pk
        row["累计完成值"] = str(Decimal(str(row["累计完成值"])))

    def save_instance(self, instance, is_create, row, **kwargs):
        instance._change_reason = self.reason
        super().save_instance(instance, is_create, row, **kwargs)
