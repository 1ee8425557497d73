"""`manage.py rotate_keys [--dry-run] [--batch-size N]`: every SM4-encrypted field under the current key.

Key rotation (商用密码): add the new key to MINSHENG_FIELD_KEYS, point MINSHENG_FIELD_KEY_ID at it and restart
(new values are then written under it, old ones still read under theirs), run this command, and remove the
old key only once a `--dry-run` reports nothing left under it. It re-encrypts the values under any other key
and encrypts values still in clear, table by table (the change-history tables included) in batches of rows,
one transaction per batch, so it can be stopped and run again: what is done stays done, and a second run
finds nothing to do. Phones' keyed hashes are not re-keyed: they cannot be recomputed without the phones
(minsheng/phones.py).
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from minsheng.crypto import DecryptionError, keyring
from minsheng.encrypted import count_stale, encrypt_columns, encrypted_fields
from minsheng.security_events import EventKind, emit


def encrypted_models():
    """(model, field names) of every table with encrypted fields, change-history tables included."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [field.name for field in encrypted_fields(model)]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = "字段密钥轮换：将所有SM4加密字段重新加密到当前密钥（MINSHENG_FIELD_KEY_ID）下，可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计需要重新加密的行数，不做修改。")
        parser.add_argument("--batch-size", type=int, default=500, help="每批处理的行数（默认500）。")

    def handle(self, *args, dry_run, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size 应为正整数。")
        key_id = keyring().current_id
        total = tables = 0
        for model, fields in encrypted_models():
            label = f"{model._meta.verbose_name}（{model._meta.label}：{'、'.join(fields)}）"
            try:
                if dry_run:
                    rows = count_stale(connection, model, fields, key_id=key_id)
                else:
                    rows = encrypt_columns(connection, model, fields, key_id=key_id, batch_size=batch_size)
            except DecryptionError as error:
                raise CommandError(f"{label}：{error}") from error
            if rows:
                tables += 1
                total += rows
                verb = "待重新加密" if dry_run else "已重新加密"
                self.stdout.write(f"  {label}：{verb} {rows} 行")
        if dry_run:
            self.stdout.write(f"检查完成：当前密钥“{key_id}”，共 {total} 行（{tables} 张表）待重新加密。")
            return
        emit(
            EventKind.SETTINGS_CHANGED,
            target="field_keys",
            detail={"action": "rotate_keys", "key_id": key_id, "rows": total, "tables": tables},
        )
        self.stdout.write(
            f"密钥轮换完成：当前密钥“{key_id}”，共重新加密 {total} 行（{tables} 张表）。"
            "运行 --dry-run 确认为 0 行后，即可从 MINSHENG_FIELD_KEYS 中移除旧密钥。"
        )
