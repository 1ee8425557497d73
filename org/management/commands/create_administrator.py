"""`manage.py create_administrator USERNAME --role sysadmin|secadmin|auditadmin`: the console's way to
make one of the three administrators' accounts (三员分立). The web admin never makes one: whoever could
would hold the powers of all three. The password is asked for twice (or read from --password-stdin,
for scripts)."""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from org import access, services
from org.choices import Role


class Command(BaseCommand):
    help = "创建系统管理员、安全管理员或审计管理员账号（三员分立：每个账号只担任其一，不属于任何单位）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            required=True,
            choices=sorted(access.ADMINISTRATOR_ROLES),
            help="sysadmin / secadmin / auditadmin",
        )
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")

    def handle(self, *args, username, role, name, password_stdin, **options):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("密码：")
            if getpass.getpass("再次输入密码：") != password:
                raise CommandError("两次输入的密码不一致。")
        try:
            account = services.create_administrator(username, role=role, password=password, first_name=name)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(f"已创建{Role(account.role).label}账号 {account.username}。")
