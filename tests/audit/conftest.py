import pytest
from django.db import connection


@pytest.fixture
def tamper():
    """Run SQL with the append-only trigger disabled, as someone holding the database owner's rights would
    (ALTER TABLE is transactional: the test's rollback puts the trigger back)."""

    def run(sql: str, params=None) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_securityevent DISABLE TRIGGER audit_securityevent_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_securityevent ENABLE TRIGGER audit_securityevent_append_only")

    return run


@pytest.fixture
def archive_dir(settings, tmp_path):
    """The archives and checkpoints of this test only."""
    settings.MINSHENG_AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    return settings.MINSHENG_AUDIT_ARCHIVE_DIR
