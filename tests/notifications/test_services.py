"""notify(): once per user and event, delivered on commit through in-app, e-mail and SMS, every try logged."""

import pytest
from django.db import transaction

from notifications.choices import Channel, DeliveryStatus
from notifications.models import Delivery, Notification
from notifications.services import deliver, notify, retry_deliveries


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


class BrokenChannel:
    name = "email"
    immediate = False

    def address(self, user):
        return user.email

    def send(self, notification, address):
        raise ConnectionError("SMTP 不可用")


@pytest.mark.django_db
def test_notify_records_in_app_and_sends_email_and_sms_on_commit(filers, outboxes, capture):
    with capture(execute=False) as callbacks:
        created = notify([filers.filer], event="e1", title="请报送5月进展", body="截止6月5日", url="/filing/")
    assert len(created) == 1
    # Nothing leaves before the commit; the in-app message is there at once.
    assert outboxes.sms == []
    assert outboxes.mail == []
    assert Delivery.objects.get(channel=Channel.INAPP).status == DeliveryStatus.SENT
    for callback in callbacks:
        callback()
    assert [m.to for m in outboxes.mail] == [["filer@example.cn"]]
    assert "请报送5月进展" in outboxes.mail[0].subject
    assert "/filing/" in outboxes.mail[0].body
    assert [m.phone for m in outboxes.sms] == ["13800000001"]
    assert "截止6月5日" in outboxes.sms[0].text
    statuses = dict(Delivery.objects.values_list("channel", "status"))
    assert statuses == {"inapp": "sent", "email": "sent", "sms": "sent"}


@pytest.mark.django_db
def test_same_event_twice_sends_nothing_the_second_time(filers, outboxes, capture):
    with capture(execute=True):
        notify([filers.filer, filers.filer2], event="e2", title="提醒")
    with capture(execute=True) as second:
        again = notify([filers.filer, filers.filer2, filers.edu_filer], event="e2", title="提醒")
    assert [n.user for n in again] == [filers.edu_filer]
    assert Notification.objects.filter(event="e2").count() == 3
    assert len(outboxes.mail) == 2  # filer and filer2 once each; edu_filer has no e-mail
    assert [m.phone for m in outboxes.sms] == ["13800000001", "13800000003"]
    assert len(second) == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing(filers, outboxes):
    def failing_change():
        with transaction.atomic():
            notify([filers.filer], event="e3", title="不会发出")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert Notification.objects.count() == 0
    assert outboxes.sms == []
    assert outboxes.mail == []


@pytest.mark.django_db(transaction=True)
def test_committed_change_sends_once_with_eager_task(filers, outboxes):
    with transaction.atomic():
        notify([filers.filer], event="e4", title="发出")
    assert len(outboxes.sms) == 1
    assert len(outboxes.mail) == 1


@pytest.mark.django_db
def test_users_without_address_get_skipped_deliveries(filers, outboxes, capture):
    with capture(execute=True):
        notify([filers.lanshan_filer], event="e5", title="提醒")
    statuses = dict(Delivery.objects.values_list("channel", "status"))
    assert statuses == {"inapp": "sent", "email": "skipped", "sms": "skipped"}
    assert outboxes.sms == []
    assert outboxes.mail == []


@pytest.mark.django_db
def test_only_requested_channels_and_in_app_always(filers, outboxes, capture):
    with capture(execute=True):
        notify([filers.filer], event="e6", title="只发短信", channels=("sms",))
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["inapp", "sms"]
    assert len(outboxes.sms) == 1
    assert outboxes.mail == []


@pytest.mark.django_db
def test_failed_delivery_is_logged_and_can_be_retried(filers, outboxes, settings, capture):
    settings.NOTIFICATION_CHANNELS = {"email": f"{__name__}.BrokenChannel"}
    with capture(execute=True):
        notify([filers.filer], event="e7", title="提醒")
    failed = Delivery.objects.get(channel=Channel.EMAIL)
    assert failed.status == DeliveryStatus.FAILED
    assert "SMTP 不可用" in failed.error
    assert failed.attempts == 1
    assert Delivery.objects.get(channel=Channel.SMS).status == DeliveryStatus.SENT
    settings.NOTIFICATION_CHANNELS = {}
    with capture(execute=True):
        assert retry_deliveries(Delivery.objects.all()) == 1
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert failed.attempts == 2
    assert len(outboxes.mail) == 1


@pytest.mark.django_db
def test_delivering_twice_sends_once(filers, outboxes, capture):
    with capture(execute=False):
        notify([filers.filer], event="e8", title="提醒")
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert deliver(ids) == {"sent": 2, "failed": 0}
    assert deliver(ids) == {"sent": 0, "failed": 0}
    assert len(outboxes.sms) == 1
    assert len(outboxes.mail) == 1


@pytest.mark.django_db
def test_inactive_users_and_duplicates_are_ignored(filers, outboxes, capture):
    filers.filer2.is_active = False
    filers.filer2.save(update_fields=["is_active"])
    with capture(execute=True):
        created = notify([filers.filer, filers.filer, filers.filer2], event="e9", title="提醒")
    assert [n.user for n in created] == [filers.filer]


@pytest.mark.django_db
def test_notify_takes_a_queryset(filers, outboxes, capture):
    from org.models import User

    with capture(execute=True):
        created = notify(User.objects.filter(unit=filers.hrss), event="e10", title="提醒")
    assert {n.user.username for n in created} == {"filer", "filer2"}
