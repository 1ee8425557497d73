"""`manage.py seed_demo`: load the demo data (regions, units, users, plans) from the seed documents."""

from django.core.management.base import BaseCommand
from django.db import transaction

from org.choices import Role
from projects.demo import users as user_data
from projects.demo.loader import load_demo, seeded_models


class Command(BaseCommand):
    help = (
        "载入演示数据：临沂市2016年十件民生大事（含1-9月进展）、山东省2019年20项重点民生实事、"
        "庐阳区2017年“29+8”项民生工程及演示账号。可重复运行。"
    )

    def handle(self, *args, **options):
        with transaction.atomic():  # the counts below are read in the same transaction as the writes
            result = load_demo()
            models = seeded_models()
            counts = {model: model.objects.count() for model in models}

        self.stdout.write("演示数据已载入。" if result.changed else "演示数据已是最新，未作修改。")
        for model in models:
            created, updated = result.created[model], result.updated[model]
            line = f"  {model._meta.verbose_name}：共 {counts[model]} 条"
            if created or updated:
                line += f"（新建 {created}，更新 {updated}）"
            self.stdout.write(line)

        self.stdout.write(f"\n演示账号（密码均为 {user_data.PASSWORD}）：")
        for user in result.users:
            role = "超级用户" if user.is_superuser else Role(user.role).label
            where = f" · {user.unit.name}" if user.unit_id else ""
            self.stdout.write(f"  {user.username:<12} {user.first_name} · {role}{where}")
