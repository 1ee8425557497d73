"""The daily scan: alerts raised from the projects' state, and their notifications in batches."""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from org.models import User

from .. import causes, conf
from ..choices import AlertStatus
from ..models import Alert
from .common import notify, unit_users

NOTIFY_BATCH = 500


@dataclass
class ScanResult:
    """What one scan did: alerts raised and closed, and how many stay open."""

    raised: list[int]
    closed: int
    open: int

    def as_dict(self) -> dict:
        return {"raised": len(self.raised), "closed": self.closed, "open": self.open}


def scan_alerts(on: datetime.date | None = None, *, now=None) -> ScanResult:
    """Raise one alert per new cause and close the alerts whose cause is gone, in one transaction.

    Set-based and one statement: the causes of every scanned project are compared with the open alerts in
    one hash join, new causes are inserted with ON CONFLICT DO NOTHING against the partial unique index of
    open alerts, and alerts without a cause are closed. The number of queries does not depend on the data.
    Running it twice, or again after a worker died in the middle (the transaction rolls back), raises nothing
    twice. Notifying is a separate step (notify_pending_alerts), so a scan that committed is never undone by
    a failed message.
    """
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    with transaction.atomic():
        raised, closed = _scan(on, now)
        open_count = Alert.objects.open().count()
    return ScanResult(raised=raised, closed=closed, open=open_count)


def _scan(on: datetime.date, now) -> tuple[list[int], int]:
    sql, params = causes.all_causes_sql(causes.scanned_projects(on), on)
    # `diff` keeps only what changes: causes without an open alert (open_id NULL) and open alerts without a
    # cause (ck_key NULL); a second scan of an unchanged day writes nothing. A FULL JOIN can only be a hash
    # or merge join, so however wrong the statistics (a just-emptied alert table), the open alerts are read
    # once, never once per cause. The INSERT and the UPDATE read `diff`, not the alert table, and share the
    # statement's snapshot: neither sees the other's rows. The partial unique index of open alerts stays the
    # guarantee (ON CONFLICT DO NOTHING) against a scan running at the same time.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH diff AS (
                SELECT c.*, a.id AS open_id
                FROM ({sql}) AS c
                FULL JOIN (SELECT id, cause_key FROM supervision_alert WHERE status = %s) AS a
                    ON a.cause_key = c.ck_key
                WHERE c.ck_key IS NULL OR a.id IS NULL
            ),
            raised AS (
                INSERT INTO supervision_alert
                    (kind, cause_key, project_id, unit_id, milestone_id, month, detail, status, raised_at)
                SELECT ck_kind, ck_key, ck_project, ck_unit, ck_milestone, ck_month,
                       SUBSTR(ck_detail, 1, 300), %s, %s
                FROM diff
                WHERE open_id IS NULL
                ON CONFLICT DO NOTHING
                RETURNING id
            ),
            closed AS (
                UPDATE supervision_alert SET status = %s, closed_at = %s
                WHERE status = %s AND id IN (SELECT open_id FROM diff WHERE ck_key IS NULL)
                RETURNING id
            )
            SELECT ARRAY(SELECT id FROM raised ORDER BY id), (SELECT COUNT(*) FROM closed)
            """,
            [*params, AlertStatus.OPEN, AlertStatus.OPEN, now, AlertStatus.CLOSED, now, AlertStatus.OPEN],
        )
        raised, closed = cursor.fetchone()
    return list(raised), closed


def notify_pending_alerts(batch: int = NOTIFY_BATCH) -> int:
    """Tell the responsible units' filers about open alerts not yet notified (event = the alert), in batches;
    returns how many alerts. An alert whose notification was interrupted is picked up by the next run, and
    notify() never sends one event twice to a user."""
    done = 0
    while True:
        alerts = list(Alert.objects.open().filter(notified_at__isnull=True).order_by("pk")[:batch])
        if not alerts:
            return done
        users_by_unit: dict[int | None, list[User]] = {}
        for user in unit_users({alert.unit_id for alert in alerts}):
            users_by_unit.setdefault(user.unit_id, []).append(user)
        with transaction.atomic():
            for alert in alerts:
                notify(
                    users_by_unit.get(alert.unit_id, []),
                    event=f"supervision.alert:{alert.pk}",
                    title=f"预警：{alert.get_kind_display()}",
                    body=alert.detail,
                    url="/supervision/alerts/",
                    channels=conf.alert_channels(),
                )
            Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(notified_at=timezone.now())
        done += len(alerts)
