"""Signing in records last_login without a change-history row (the auditor's 最近修改 stays meaningful)."""

from tests.conftest import PASSWORD


def test_signing_in_sets_last_login_and_leaves_no_history_row(client, org):
    before = org.staff.history.count()

    response = client.post("/login/", {"username": "staff", "password": PASSWORD})

    assert response.status_code == 302
    org.staff.refresh_from_db()
    assert org.staff.last_login is not None
    assert org.staff.history.count() == before
