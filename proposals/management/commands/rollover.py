"""`manage.py rollover --region CODE --year Y`: carry a region's year-Y plan into year Y+1."""

from django.core.management.base import BaseCommand, CommandError

from minsheng.errors import DomainError
from org.models import Region
from proposals.services import rollover


class Command(BaseCommand):
    help = (
        "年度结转：按已登记的结转安排，把某区划Y年度计划中继续实施的项目结转到Y+1年度计划（保留沿革），"
        "登记退出项目，把整合归并的项目合并为一个。可重复运行，已结转的不再处理。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="6位行政区划代码")
        parser.add_argument("--year", required=True, type=int, help="结转前的年度Y")

    def handle(self, *args, region, year, **options):
        found = Region.objects.filter(code=region).first()
        if found is None:
            raise CommandError(f"行政区划代码“{region}”不存在。")
        try:
            result = rollover(found, year)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if not result.changed:
            self.stdout.write(f"{found.name}{year}年度没有待结转的项目，未作修改。")
            return
        self.stdout.write(f"{found.name}{year}年度已结转到{year + 1}年度：{result.summary()}")
        for label, projects in (
            ("继续实施", result.continued),
            ("整合归并", result.merged),
            ("退出", result.exited),
        ):
            for project in projects:
                self.stdout.write(f"  {label}：{project.code} {project.title}")
