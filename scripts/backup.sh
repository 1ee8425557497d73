#!/usr/bin/env bash
# 备份 minsheng：数据库（pg_dump 自定义格式）+ 上传文件与已印发简报PDF（MEDIA_ROOT），生成带 SHA-256 校验和
# 关键数据表行数的清单，存入备份根目录下按时间命名的目录，并只保留最近 N 天的备份。
# Back up the database (pg_dump -Fc) and MEDIA_ROOT into a dated directory with a SHA-256 manifest, keeping
# the last N days. A thin wrapper of `manage.py backup` (minsheng/backup.py); run it from cron, e.g.
#
#   30 2 * * *  cd /srv/minsheng && DJANGO_SETTINGS_MODULE=minsheng.settings.prod ./scripts/backup.sh
#
#   ./scripts/backup.sh                     # into MINSHENG_BACKUP_ROOT (default var/backups), keep MINSHENG_BACKUP_KEEP days (14)
#   ./scripts/backup.sh --root /backup --keep 30
#
# The database is DATABASE_URL (or, without it under the dev settings, the embedded server); pg_dump comes
# from the postgresql-client matching the server (apt-get install postgresql-client) or the embedded wheel.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-minsheng.settings.dev}"
[ -x "$VENV/bin/python" ] || die "找不到 $VENV（先运行 scripts/demo.sh 或 scripts/test.sh）/ no virtualenv at $VENV"
exec "$VENV/bin/python" manage.py backup "$@"
