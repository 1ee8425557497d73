"""`manage.py export_ledger --kind ... --year Y --region CODE --out FILE.xlsx`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ledgers.services import EXPORT_KINDS, export_ledger
from org.models import Region
from projects.models import Plan


class Command(BaseCommand):
    help = "按模板格式导出台账（可修改后再导入），或导出汇总表（summary）。"

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(EXPORT_KINDS))
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--region", required=True, help="区划代码（6位）")
        parser.add_argument("--month", type=int, help="汇总表截至月份（默认按计划的统计截至月份）")
        parser.add_argument("--out", required=True)

    def handle(self, *args, **options):
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"没有代码为 {options['region']} 的区划。")
        plan = Plan.objects.filter(region=region, year=options["year"]).select_related("region").first()
        if plan is None:
            raise CommandError(f"{region.name}{options['year']}年没有年度计划。")
        content = export_ledger(options["kind"], plan, month=options["month"])
        out = Path(options["out"])
        out.write_bytes(content)
        self.stdout.write(f"已导出 {EXPORT_KINDS[options['kind']]}：{out}（{len(content) // 1024 + 1} KB）")
