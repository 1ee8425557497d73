#!/usr/bin/env bash
# 从备份目录恢复 minsheng：先核对 SHA-256，再用 pg_restore 恢复数据库（默认拒绝覆盖非空库，--force 强制），
# 并把上传文件恢复到 MEDIA_ROOT，最后核对关键数据表的行数和校验和与备份清单一致。
# Restore a backup made by scripts/backup.sh: verify its checksums, pg_restore into a fresh database (a
# non-empty one only with --force), unpack the files into MEDIA_ROOT, check the key tables against the
# manifest. A thin wrapper of `manage.py restore_backup`:
#
#   ./scripts/restore.sh var/backups/minsheng-20260105-023000 --database-url postgres://postgres@127.0.0.1:5432/minsheng_restored
#   ./scripts/restore.sh DIR --force        # over the configured database (DATABASE_URL), replacing it
#
# Afterwards point DATABASE_URL at the restored database and run `manage.py migrate` (a no-op when the
# code is the backup's version) before starting the server.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-minsheng.settings.dev}"
[ $# -ge 1 ] || die "用法 / usage: scripts/restore.sh BACKUP_DIR [--database-url URL] [--media-root DIR] [--force]"
[ -x "$VENV/bin/python" ] || die "找不到 $VENV（先运行 scripts/demo.sh 或 scripts/test.sh）/ no virtualenv at $VENV"
exec "$VENV/bin/python" manage.py restore_backup "$@"
