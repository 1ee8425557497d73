"""`manage.py demo_otp`: the demo logins' current authenticator codes, so the demo's second step is quick."""

from django.core.management.base import BaseCommand
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fixtures.demo import twofactor as demo


class Command(BaseCommand):
    help = (
        "打印演示账号身份验证器当前的 6 位动态验证码（30 秒内有效，每个只能用一次）。"
        "只列出仍使用演示密钥的账号。"
    )

    def handle(self, *args, **options):
        devices = TOTPDevice.objects.filter(name=demo.DEVICE_NAME, confirmed=True).select_related("user")
        shown = 0
        for device in devices.order_by("user__username"):
            username = device.user.username
            if device.key != demo.demo_key(username):  # a real key is never printed
                continue
            self.stdout.write(f"  {username:<12} {totp(device.bin_key):06d}")
            shown += 1
        if not shown:
            self.stdout.write("没有使用演示密钥的账号（请先运行 seed_demo）。")
