"""Shared fixtures of the login-security tests: the security events emitted, a clock."""

import datetime
import zoneinfo

import pytest
import time_machine

from minsheng.security_events import security_event

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# 2026年12月3日 09:12 in Beijing time: the last-login notice's example.
START = datetime.datetime(2026, 12, 3, 9, 12, tzinfo=SHANGHAI)


@pytest.fixture
def events():
    """The security events emitted during the test, as (kind, kwargs)."""
    seen: list[tuple[str, dict]] = []

    def receive(sender, **kwargs):
        seen.append((str(kwargs["kind"]), kwargs))

    security_event.connect(receive, dispatch_uid="tests.accounts.events")
    yield seen
    security_event.disconnect(dispatch_uid="tests.accounts.events")


@pytest.fixture
def clock():
    """Time standing still at START until the test shifts it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def kinds(events) -> list[str]:
    return [kind for kind, _ in events]
