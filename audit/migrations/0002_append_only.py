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

HEAD = "INSERT INTO audit_chainhead (id, last_seq, last_hash) VALUES (1, 0, '') ON CONFLICT (id) DO NOTHING"


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_security_log")]

    operations = [
        migrations.RunSQL(FUNCTION + TRIGGERS, DROP),
        migrations.RunSQL(HEAD, migrations.RunSQL.noop),
    ]
