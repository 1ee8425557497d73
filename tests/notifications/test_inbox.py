"""The inbox page, the API (own notifications only) and the admin inbox."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify


@pytest.fixture
def inbox(filers, outboxes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify([filers.filer], event="a", title="第一条", body="正文一", url="/filing/")
        notify([filers.filer], event="b", title="第二条")
        notify([filers.edu_filer, filers.staff], event="a", title="别人的")
    return filers


@pytest.mark.django_db
def test_inbox_page_needs_sign_in(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith("/filing/login/")


@pytest.mark.django_db
def test_inbox_lists_own_notifications_and_marks_read(client, inbox, django_assert_num_queries):
    client.force_login(inbox.filer)
    response = client.get(reverse("notifications:inbox"))
    body = response.content.decode()
    assert "第一条" in body
    assert "第二条" in body
    assert "别人的" not in body
    own = Notification.objects.get(user=inbox.filer, event="a")
    client.post(reverse("notifications:read", args=[own.pk]))
    own.refresh_from_db()
    assert own.is_read
    # Someone else's notification is out of reach.
    other = Notification.objects.get(user=inbox.edu_filer)
    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert not other.is_read
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(user=inbox.filer, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_inbox_page_query_count_does_not_grow(client, inbox, django_assert_max_num_queries):
    client.force_login(inbox.filer)
    for i in range(20):
        notify([inbox.filer], event=f"many-{i}", title=f"消息{i}", channels=())
    with django_assert_max_num_queries(7):
        assert client.get(reverse("notifications:inbox")).status_code == 200


@pytest.mark.django_db
def test_api_lists_own_only_and_marks_read(client, inbox, django_assert_num_queries):
    client.force_login(inbox.filer)
    with django_assert_num_queries(4):  # session, user, count, page
        data = client.get("/api/v1/notifications/").json()
    assert [n["title"] for n in data["results"]] == ["第二条", "第一条"]
    other = Notification.objects.get(user=inbox.edu_filer)
    assert client.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    first = Notification.objects.get(user=inbox.filer, event="a")
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    unread = client.get("/api/v1/notifications/?unread=true").json()["results"]
    assert [n["title"] for n in unread] == ["第二条"]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}


@pytest.mark.django_db
def test_api_needs_sign_in(client):
    assert client.get("/api/v1/notifications/").status_code == 403


@pytest.mark.django_db
def test_admin_inbox_shows_own_notifications(client, inbox):
    client.force_login(inbox.staff)
    body = client.get("/admin/notifications/notification/").content.decode()
    assert "别人的" in body
    assert "第一条" not in body
    client.force_login(inbox.filer)  # filers have no admin
    assert client.get("/admin/notifications/notification/").status_code in (302, 403)
