"""The log is append-only in the database itself, whatever code (or person with the app's rights) asks.

A statement trigger refuses UPDATE and DELETE on the records, except a DELETE made by the archive
procedure, which sets the transaction-local `minsheng.audit_archiving` to 'on' (audit.services). Archive
rows, the anchors the chain continues from, refuse both without exception. This stops the application and
mistakes; someone holding the database owner's rights can still disable a trigger, and then the hash chain
(manage.py verify_audit_log) shows what was changed.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_securityevent'
       AND coalesce(current_setting('minsheng.audit_archiving', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '安全审计日志只能追加，不能修改或删除（% %）', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

TRIGGERS = """
CREATE TRIGGER audit_securityevent_append_only BEFORE UPDATE OR DELETE ON audit_securityevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_auditarchive_append_only BEFORE UPDATE OR DELETE ON audit_auditarchive
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_securityevent_append_only ON audit_securityevent;
DROP TRIGGER IF EXISTS audit_auditarchive_append_only ON audit_auditarchive;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""

# The tip of the chain for the next append (audit.services): the chain's advisory lock first, then the last
# record, or the newest archive's anchor when the table is empty, or (0, ''). VOLATILE, so the SELECT after
# the lock takes a fresh snapshot and sees the append that held the lock before. Unless `durable`, the
# append's transaction commits without waiting for its WAL flush (settings.MINSHENG_AUDIT_SYNCHRONOUS_COMMIT).
TIP = """
CREATE OR REPLACE FUNCTION audit_chain_tip(durable boolean, OUT seq bigint, OUT hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NOT durable THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
    PERFORM pg_advisory_xact_lock(5571868998461117440);
    SELECT e.seq, e.hash INTO seq, hash FROM audit_securityevent e ORDER BY e.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        SELECT a.last_seq, a.last_hash INTO seq, hash FROM audit_auditarchive a ORDER BY a.last_seq DESC LIMIT 1;
        IF NOT FOUND THEN
            seq := 0;
            hash := '';
        END IF;
    END IF;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_security_log")]

    operations = [
        migrations.RunSQL(FUNCTION + TRIGGERS, DROP),
        migrations.RunSQL(TIP, "DROP FUNCTION IF EXISTS audit_chain_tip(boolean)"),
    ]
