"""One round trip per append: `audit_append` takes the chain's lock, checks that the tip is still the one
the caller chained onto, and inserts, all inside one statement (so the lock is held for microseconds, not
across a client round trip). When the tip has moved (another process appended), it inserts nothing and
returns the current tip; the caller re-chains onto it and tries again (audit.services)."""

from django.db import migrations

APPEND = """
CREATE OR REPLACE FUNCTION audit_append(
    durable boolean, p_seq bigint, p_at timestamptz, p_kind varchar, p_result varchar, p_user_id bigint,
    p_username varchar, p_role varchar, p_ip varchar, p_user_agent varchar, p_method varchar, p_path varchar,
    p_target varchar, p_detail jsonb, p_algorithm varchar, p_prev_hash varchar, p_hash varchar,
    OUT ok boolean, OUT seq bigint, OUT hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    tip_seq bigint;
    tip_hash varchar;
BEGIN
    SELECT t.seq, t.hash INTO tip_seq, tip_hash FROM audit_chain_tip(durable) t;
    IF tip_seq = p_seq - 1 AND tip_hash = p_prev_hash THEN
        INSERT INTO audit_securityevent
            (seq, at, kind, result, user_id, username, role, ip, user_agent, method, path, target, detail,
             algorithm, prev_hash, hash)
        VALUES (p_seq, p_at, p_kind, p_result, p_user_id, p_username, p_role, p_ip, p_user_agent, p_method,
                p_path, p_target, p_detail, p_algorithm, p_prev_hash, p_hash);
        ok := true;
        seq := p_seq;
        hash := p_hash;
    ELSE
        ok := false;
        seq := tip_seq;
        hash := tip_hash;
    END IF;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS audit_append(
    boolean, bigint, timestamptz, varchar, varchar, bigint, varchar, varchar, varchar, varchar, varchar,
    varchar, varchar, jsonb, varchar, varchar, varchar);
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [migrations.RunSQL(APPEND, DROP)]
