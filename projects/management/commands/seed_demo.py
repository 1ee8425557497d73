"""`manage.py seed_demo`: load the demo data (regions, units, users, plans) from the seed documents, and the
year being run (fixtures/demo/current_year.py). Rows that exist are kept as they are (users' edits too)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from fixtures.demo.data import users as user_data
from fixtures.demo.loader import load_demo, seeded_models
from org.choices import Role


class Command(BaseCommand):
    help = (
        "载入演示数据：临沂市2016年十件民生大事（含1-9月进展）、山东省2019年20项重点民生实事、"
        "庐阳区2017年“29+8”项民生工程及演示账号，以及按今天日期生成的本年度演示数据（月报、预警、督办、资金、"
        "征集、投票、调查、简报）。可重复运行：只补建缺少的数据，已存在的数据（含用户修改）保留不变。"
    )

    def handle(self, *args, **options):
        # Demo accounts with a published password must never reach a production database (issue 15).
        if settings.MINSHENG_ENVIRONMENT == "production" or settings.SETTINGS_MODULE.endswith(".prod"):
            raise CommandError(
                "生产环境不能载入演示数据：演示账号的密码是公开的。请在开发或演示环境中运行 seed_demo。"
            )
        with transaction.atomic():  # the counts below are read in the same transaction as the writes
            result = load_demo()
            models = seeded_models()
            counts = {model: model.objects.count() for model in models}

        today = timezone.localdate()
        self.stdout.write(
            f"演示数据已载入（本年度演示数据按今天 {today:%Y-%m-%d} 生成）。"
            if sum(result.created.values())
            else "演示数据已齐全，未作修改。"
            if not result.changed
            else "演示数据已齐全，只恢复了演示账号的密码。"
        )
        for model in models:
            created, updated, kept = result.created[model], result.updated[model], result.kept[model]
            parts = [f"新建 {created}"] if created else []
            if updated:
                parts.append(f"恢复 {updated}")
            if kept:
                parts.append(f"已存在 {kept}，保留不变")
            line = f"  {model._meta.verbose_name}：共 {counts[model]} 条"
            self.stdout.write(line + (f"（{'，'.join(parts)}）" if parts else ""))
        kept = sum(result.kept.values())
        if kept:
            done = "；缺少的已补建。" if sum(result.created.values()) else "。"
            self.stdout.write(f"已存在 {kept} 条，保留不变（含用户修改）{done}")

        self.stdout.write(f"\n演示账号（密码均为 {user_data.PASSWORD}）：")
        for user in result.users:
            role = Role(user.role).label if user.role else "超级用户"
            where = f" · {user.unit.name}" if user.unit_id else ""
            self.stdout.write(f"  {user.username:<12} {user.first_name} · {role}{where}")

        # Issue 15: the demo logins' second step (keys, recovery codes), fixtures/demo/twofactor.py.
        from fixtures.demo import twofactor as demo_twofactor

        for line in demo_twofactor.describe(result.users):
            self.stdout.write(line)
