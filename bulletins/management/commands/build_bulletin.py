"""`manage.py build_bulletin --year Y --month M [--region CODE] --out FILE.pdf`: a bulletin as PDF."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minsheng.errors import DomainError
from org.models import Region
from projects.models import Plan

from ... import services
from ...choices import BulletinStatus
from ...models import Bulletin
from ...tasks import build_bulletin_task


class Command(BaseCommand):
    help = (
        "生成某区划某期间的工作简报并写出PDF：已印发的写出定稿PDF；否则生成（或沿用）草稿并写出草稿PDF。"
        "加 --issue 则同时印发。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--region", help="6位行政区划代码；该年度只有一个区划有计划时可省略。")
        parser.add_argument("--out", required=True, help="PDF输出路径。")
        parser.add_argument("--regenerate", action="store_true", help="草稿按最新数据重新生成。")
        parser.add_argument("--issue", action="store_true", help="印发草稿（分配期号、定稿、存档PDF）。")

    def region(self, code: str | None, year: int) -> Region:
        if code:
            found = Region.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"区划代码 {code} 不存在。")
            return found
        regions = list(Region.objects.filter(pk__in=Plan.objects.filter(year=year).values("region_id")))
        if len(regions) != 1:
            names = "、".join(f"{r.code} {r.name}" for r in regions) or "无"
            raise CommandError(f"{year}年有计划的区划：{names}。请用 --region 指定。")
        return regions[0]

    def handle(self, *args, year, month, region, out, regenerate, issue, **options):
        if not 1 <= month <= 12:
            raise CommandError("月份应在1到12之间。")
        region = self.region(region, year)
        bulletin = Bulletin.objects.filter(
            region=region, year=year, month=month, status=BulletinStatus.ISSUED
        ).first()
        if bulletin is None:
            # In this process, not through the broker: the command must work without a running worker.
            bulletin_id = build_bulletin_task.apply((region.pk, year, month, None, regenerate)).get()
            bulletin = Bulletin.objects.get(pk=bulletin_id)
            if issue:
                try:
                    bulletin = services.issue_bulletin(bulletin)
                except DomainError as exc:
                    raise CommandError(exc.message) from exc
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(services.pdf_bytes(bulletin))
        self.stdout.write(f"{bulletin}：{bulletin.title} → {path}（{path.stat().st_size // 1024} KB）")
