"""`manage.py import_ledger FILE --kind projects|funding|progress`: the admin's import from the shell."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ledgers.services import IMPORTERS, import_ledger
from org.models import Region, User


class Command(BaseCommand):
    help = "导入Excel台账（全部成功或全部不写入）。--dry-run 只预检不写入。有任何错误时退出码非零。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=sorted(IMPORTERS))
        parser.add_argument("--year", type=int, help="台账年度；不填则从标题行中的“20XX年”识别")
        parser.add_argument("--region", help="区划代码（6位）；不填则为 --user 所在区划")
        parser.add_argument("--user", help="以该用户身份导入（权限与历史记录中的操作人）")
        parser.add_argument("--dry-run", action="store_true", help="只预检，不写入")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"没有代码为 {options['region']} 的区划。")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).select_related("unit__region").first()
            if actor is None:
                raise CommandError(f"没有用户 {options['user']}。")
        with path.open("rb") as fileobj:
            report = import_ledger(
                fileobj,
                options["kind"],
                actor=actor,
                region=region,
                year=options["year"],
                filename=path.name,
                dry_run=options["dry_run"],
                size=path.stat().st_size,
            )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"导入失败：{len(report.problems)} 个错误，未写入任何数据。", returncode=2)
