"""/healthz: the state of the database and of the Celery broker, for load balancers and operators.

Anyone (a load balancer has no account) learns only whether the system is up: {"status": "ok"|"error"}
with 200 or 503. Which part is down, the database vendor and the error text (which can carry the host, the
database's name and the user) are for signed-in system administrators (rule `minsheng.manage_accounts`)
only. Not "from localhost": behind a proxy on the same machine every request comes from localhost.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from org import access


def _database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the message helps the operator
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)[:200]}
    return {"ok": True, "vendor": connection.vendor}


def _broker_state() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "eager", "detail": "未配置 REDIS_URL，任务在进程内即时执行"}
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception as exc:
        return {"ok": False, "mode": "redis", "error": str(exc)[:200]}
    return {"ok": True, "mode": "redis"}


def healthz(request):
    """200 when the database and the broker answer, 503 otherwise; the body says which is which to
    administrators, and only the status to everyone else."""
    database = _database_state()
    broker = _broker_state()
    ok = database["ok"] and broker["ok"]
    body: dict = {"status": "ok" if ok else "error"}
    if access.test("manage_accounts", request.user):
        body |= {"database": database, "broker": broker}
    response = JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response
