"""Redis down (the broker URL on a closed port): building a bulletin from the admin or the API, or
uploading a large ledger, is refused at once with a Chinese message and nothing is written, instead of the
request hanging on reconnect loops (~20 s) or answering 500; the notifications of an action that did commit
are marked failed, to be sent again from the admin."""

import signal
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bulletins.models import Bulletin
from ledgers.models import LedgerImport
from notifications.choices import Channel, DeliveryStatus
from notifications.models import Delivery, Notification
from notifications.services import notify
from tests.clients import VerifiedAPIClient as APIClient
from tests.clients import VerifiedClient as Client
from tests.fixtures.celery_worker import celery_conf
from tests.fixtures.ledgers import build_workbook

pytestmark = pytest.mark.django_db

# A bound on the whole request, far below the ~20 s it hung before: the refusal comes within about a second.
DEADLINE = 8


@pytest.fixture
def redis_down():
    """The Celery app pointed at a local port nobody listens on, as when Redis has stopped."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    with celery_conf(task_always_eager=False, broker_url=url, result_backend=url):
        yield


class StillHanging(Exception):
    pass


def within_deadline(call):
    """`call()`'s result; the test fails if it has not returned within DEADLINE seconds (an alarm in this
    thread, so the request runs on the test's own database connection and transaction)."""

    def expire(signum, frame):
        raise StillHanging

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(DEADLINE)
    try:
        return call()
    except StillHanging:
        pytest.fail(f"the request still hangs after {DEADLINE} s with Redis down")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.usefixtures("redis_down")
def test_building_a_bulletin_in_the_admin_is_refused_in_chinese(org, small_plan):
    client = Client()
    client.force_login(org.staff)

    response = within_deadline(
        lambda: client.post(
            reverse("admin:bulletins_bulletin_build_list"), {"region": org.city.pk, "year": 2016, "month": 9}
        )
    )

    assert response.status_code == 200  # the form again, with the refusal
    assert "后台任务队列（Redis）暂时无法连接，本次操作未执行、未保存任何内容。" in response.content.decode()
    assert not Bulletin.objects.exists()


@pytest.mark.usefixtures("redis_down")
def test_building_a_bulletin_through_the_api_answers_503_with_a_code(org, small_plan):
    client = APIClient()
    client.force_login(org.staff)

    response = within_deadline(
        lambda: client.post(
            "/api/v1/bulletins/build/", {"region": "371300", "year": 2016, "month": 9}, format="json"
        )
    )

    assert response.status_code == 503
    assert response.json()["code"] == "queue_unavailable"
    assert response.json()["detail"].startswith("后台任务队列（Redis）暂时无法连接")
    assert not Bulletin.objects.exists()


@pytest.mark.usefixtures("redis_down")
def test_a_large_ledger_upload_is_refused_before_anything_is_stored(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LEDGER_ASYNC_BYTES = 0  # every upload would run in a worker
    rows = [["项目编号", "月份", "指标名称", "累计完成值"], ["01", "1-9月", "新增城镇就业人数", 1]]
    upload = SimpleUploadedFile("九月进展.xlsx", build_workbook(("9月", rows)).getvalue())
    client = Client()
    client.force_login(org.staff)

    response = within_deadline(
        lambda: client.post(
            reverse("admin:ledgers_ledgerimport_upload"),
            {"kind": "progress", "region": org.city.pk, "year": "", "file": upload},
        )
    )

    assert response.status_code == 200
    assert "后台任务队列（Redis）暂时无法连接" in response.content.decode()
    assert not LedgerImport.objects.exists()
    assert not any(tmp_path.rglob("*.xlsx"))


@pytest.mark.usefixtures("redis_down")
def test_notifications_of_a_committed_action_are_failed_for_a_later_resend(
    filers, outboxes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        within_deadline(lambda: notify([filers.filer], event="queue-down", title="提醒"))

    assert Notification.objects.filter(user=filers.filer).count() == 1  # the action and its record stand
    queued = Delivery.objects.exclude(channel=Channel.INAPP)
    assert queued.exists()
    assert set(queued.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    assert queued.first().error.startswith("后台任务队列（Redis）无法连接")
