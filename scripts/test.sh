#!/usr/bin/env bash
# Set up and run the full checks against PostgreSQL and Redis: ruff, mypy, manage.py check, migrations, pytest.
# 安装依赖并在 PostgreSQL 和 Redis 上运行全部检查与测试；任何一项失败，退出码即非零。
#
#   ./scripts/test.sh                      # everything
#   ./scripts/test.sh -k lights -x         # extra arguments go to pytest
#
# DATABASE_URL (default postgres://postgres@127.0.0.1:5432/minsheng): pytest-django creates and uses
# test_<name> beside it. REDIS_URL (default redis://127.0.0.1:6379/15): the broker of the worker test.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/minsheng}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/15}"
export DJANGO_SETTINGS_MODULE=minsheng.settings.test

ensure_packages "$DATABASE_URL" "$REDIS_URL"
ensure_postgres "$DATABASE_URL"
ensure_redis "$REDIS_URL"
ensure_venv
run_step "数据库 / database $(url_host "$DATABASE_URL")" ensure_database "$DATABASE_URL"

# Every check runs even when an earlier one fails, so one run shows everything; the exit code is 1 if any failed.
check_step "ruff check" "$VENV/bin/ruff" check .
check_step "mypy" "$VENV/bin/mypy"
check_step "manage.py check" "$VENV/bin/python" manage.py check
check_step "makemigrations --check --dry-run" "$VENV/bin/python" manage.py makemigrations --check --dry-run
# --create-db: a test database left by an older checkout could hide a migration problem.
check_step "pytest" "$VENV/bin/python" -m pytest -p no:cacheprovider --create-db "$@"
finish_checks
