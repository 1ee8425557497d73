# Shared by scripts/demo.sh and scripts/test.sh; sourced, never run on its own.
# Everything here is idempotent: a second run does only what is missing.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO_ROOT/.venv}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\n==> %s\n' "$*"; }
die() {
    printf '\n错误 / ERROR: %s\n' "$*" >&2
    exit 1
}

# run_step LABEL COMMAND...: run one step, and on failure say which one before exiting with its code.
run_step() {
    local label="$1"
    shift
    say "$label"
    local code=0
    "$@" || code=$?
    if [ "$code" -ne 0 ]; then
        printf '\n失败 / FAILED: %s (exit code %s)\n' "$label" "$code" >&2
        exit "$code"
    fi
}

# check_step LABEL COMMAND...: like run_step, but carry on so one run reports every failing check;
# finish_checks then exits non-zero when any failed.
FAILED_CHECKS=()
check_step() {
    local label="$1"
    shift
    say "$label"
    local code=0
    "$@" || code=$?
    if [ "$code" -ne 0 ]; then
        printf '\n失败 / FAILED: %s (exit code %s)\n' "$label" "$code" >&2
        FAILED_CHECKS+=("$label")
    fi
}

finish_checks() {
    if [ "${#FAILED_CHECKS[@]}" -ne 0 ]; then
        printf '\n未通过 / FAILED checks:\n' >&2
        printf '  - %s\n' "${FAILED_CHECKS[@]}" >&2
        exit 1
    fi
    say "全部通过 / all checks passed"
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "需要 root 权限执行: $* / root is needed to run: $*"
    fi
}

# The host part of a URL such as postgres://user:pw@host:5432/db or redis://host:6379/15.
url_host() {
    local rest="${1#*://}"
    rest="${rest##*@}"
    rest="${rest%%/*}"
    printf '%s' "${rest%%:*}"
}

is_local_url() {
    case "$(url_host "$1")" in
        "" | 127.0.0.1 | localhost | ::1) return 0 ;;
        *) return 1 ;;
    esac
}

# A Python >= 3.12 (Django 6 needs it). Debian 12's python3 is 3.11, so pyenv builds are looked at too.
find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 \
        /root/.pyenv/versions/3.1[2-9]*/bin/python3 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 \
        /usr/local/bin/python3 python3; do
        [ -n "$candidate" ] || continue
        if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
            command -v "$candidate" 2>/dev/null || printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

# .venv with the project and its test tools installed from pyproject.toml; reinstalls only when it changed.
ensure_venv() {
    if ! { [ -x "$VENV/bin/python" ] &&
        "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }; then
        local python
        python="$(find_python)" || die "找不到 Python 3.12 或更高版本（Django 6 需要）。请安装 python3.12+（如 pyenv install 3.12），或用 PYTHON=/path/to/python3.12 指定。
No Python >= 3.12 found (Django 6 needs it). Install one (e.g. pyenv install 3.12) or point PYTHON=/path/to/python3.12 at it."
        say "创建虚拟环境 / creating $VENV with $python ($("$python" -V 2>&1))"
        rm -rf "$VENV"
        "$python" -m venv "$VENV" || die "无法创建虚拟环境 / could not create the virtualenv with $python (on Debian: apt-get install python3-venv)"
    fi
    local stamp="$VENV/.minsheng-installed" wanted
    wanted="$(sha256sum <"$REPO_ROOT/pyproject.toml" | cut -d' ' -f1) $("$VENV/bin/python" -V 2>&1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        say "安装依赖 / installing the project and its test tools from pyproject.toml"
        # pip may warn that a configured local index is missing: harmless, PyPI is used.
        (cd "$REPO_ROOT" && "$VENV/bin/python" -m pip install --quiet -e ".[test]")
        # A build by-product in the checkout; the installed metadata lives in the virtualenv.
        rm -rf "$REPO_ROOT/minsheng.egg-info"
        printf '%s' "$wanted" >"$stamp"
    fi
    # Directories git does not keep but the settings point at (STATICFILES_DIRS, the embedded server's data).
    mkdir -p "$REPO_ROOT/static" "$REPO_ROOT/var"
}

# Debian packages the test run needs, installed (after one apt-get update) only when something is missing.
ensure_packages() {
    local database_url="$1" redis_url="$2" missing=()
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql-client)
    # ops (issue 15): backups and their restore drill (scripts/backup.sh, tests/system/test_backup.py).
    if ! command -v pg_dump >/dev/null 2>&1 || ! command -v pg_restore >/dev/null 2>&1; then
        case " ${missing[*]} " in *" postgresql-client "*) ;; *) missing+=(postgresql-client) ;; esac
    fi
    command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
    if is_local_url "$database_url" && ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
        missing+=(postgresql)
    fi
    if is_local_url "$redis_url" && ! command -v redis-server >/dev/null 2>&1; then
        missing+=(redis-server)
    fi
    # Browser tests drive Debian's chromium (never a downloaded one); PDF tests read text and fonts back
    # with poppler; bulletins need a CJK font.
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    has_cjk_font || missing+=(fonts-wqy-microhei)
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 ||
        die "缺少软件包 / missing packages: ${missing[*]} (no apt-get on this machine: install them yourself)"
    say "安装系统软件包 / apt-get install ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    case " ${missing[*]} " in *" postgresql "*) POSTGRESQL_JUST_INSTALLED=1 ;; esac
}

POSTGRESQL_JUST_INSTALLED=0

has_cjk_font() {
    command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q .
}

# A CJK font for PDF bulletins (WeasyPrint): the demo installs one when the machine has none and apt-get
# and root are at hand; otherwise it warns, since everything else works without it.
ensure_cjk_font() {
    has_cjk_font && return 0
    if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }; then
        say "安装中文字体 / apt-get install fonts-wqy-microhei (PDF bulletins)"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
            as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends fonts-wqy-microhei ||
            say "警告 / WARNING: 中文字体安装失败，PDF 简报中的中文可能无法显示 / no CJK font installed"
    else
        say "警告 / WARNING: 未找到中文字体，PDF 简报中的中文可能无法显示 / no CJK font for PDF bulletins"
    fi
}

postgres_cluster_version() {
    ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1
}

# PostgreSQL answers at DATABASE_URL; a local server is started when it is down.
ensure_postgres() {
    local url="$1" host
    host="$(url_host "$url")"
    if pg_isready -q -d "$url" -t 3 2>/dev/null; then
        return 0
    fi
    is_local_url "$url" || die "PostgreSQL 无法连接 / PostgreSQL at $host does not answer (DATABASE_URL=$url)"
    local version
    version="$(postgres_cluster_version)"
    [ -n "$version" ] || die "没有找到本地 PostgreSQL 集群 / no local PostgreSQL cluster in /etc/postgresql"
    say "启动 PostgreSQL / starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    local i
    for i in $(seq 1 30); do
        pg_isready -q -d "$url" -t 2 2>/dev/null && break
        sleep 1
    done
    pg_isready -q -d "$url" -t 2 || die "PostgreSQL 启动失败 / PostgreSQL did not start (see /var/log/postgresql/)"
    if [ "$POSTGRESQL_JUST_INSTALLED" = 1 ]; then
        # Debian's fresh cluster asks for a password on 127.0.0.1; the test URL has none. Trust local TCP
        # connections, on a cluster this script itself just installed (an existing one is never touched).
        local hba="/etc/postgresql/$version/main/pg_hba.conf"
        as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    fi
}

# Redis answers at REDIS_URL; a local server is started (no persistence) when it is down.
ensure_redis() {
    local url="$1"
    if [ "$(redis-cli -u "$url" ping 2>/dev/null)" = "PONG" ]; then
        return 0
    fi
    is_local_url "$url" || die "Redis 无法连接 / Redis does not answer at REDIS_URL=$url"
    say "启动 Redis / starting redis-server on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    local i
    for i in $(seq 1 20); do
        [ "$(redis-cli -u "$url" ping 2>/dev/null)" = "PONG" ] && return 0
        sleep 0.5
    done
    die "Redis 启动失败 / redis-server did not start"
}

# The database named in DATABASE_URL exists (pytest-django makes its own test_ database beside it).
ensure_database() {
    "$VENV/bin/python" -m minsheng.dbtools "$1"
}
