"""minsheng.net: the client's address is REMOTE_ADDR, or the forwarded one when the direct peer is a
configured trusted proxy; a forwarded header from anyone else is ignored (no client picks its address)."""

import pytest

from minsheng.net import client_ip, client_ip_from_meta

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.MINSHENG_TRUSTED_PROXIES = ["10.0.0.0/24", "192.168.1.7"]


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.MINSHENG_TRUSTED_PROXIES = []

    assert (
        client_ip_from_meta({"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"})
        == "203.0.113.9"
    )


def test_a_trusted_proxy_is_believed(behind_proxy):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.20"}

    assert client_ip_from_meta(meta) == "198.51.100.20"


def test_an_untrusted_peer_cannot_choose_its_address(behind_proxy):
    meta = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}

    assert client_ip_from_meta(meta) == "203.0.113.9"


def test_addresses_the_client_prepended_are_ignored(behind_proxy):
    # The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the address it saw.
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.1.1.1, 198.51.100.20"}

    assert client_ip_from_meta(meta) == "198.51.100.20"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(behind_proxy):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.1.1.1, 198.51.100.20, 192.168.1.7, 10.0.0.9"}

    assert client_ip_from_meta(meta) == "198.51.100.20"


def test_a_malformed_hop_stops_the_walk_at_the_proxy(behind_proxy):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.20, not-an-address"}

    assert client_ip_from_meta(meta) == PROXY


def test_only_trusted_proxies_in_the_header_leave_the_peer(behind_proxy):
    assert client_ip_from_meta({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "10.0.0.3"}) == PROXY
    assert client_ip_from_meta({"REMOTE_ADDR": PROXY}) == PROXY


def test_ipv6_clients_and_proxies(settings):
    settings.MINSHENG_TRUSTED_PROXIES = ["fd00::/8"]

    meta = {"REMOTE_ADDR": "fd00::1", "HTTP_X_FORWARDED_FOR": "2001:db8::5"}

    assert client_ip_from_meta(meta) == "2001:db8::5"


def test_no_address_at_all_is_unknown(settings):
    settings.MINSHENG_TRUSTED_PROXIES = []

    assert client_ip_from_meta({}) == "unknown"


def test_client_ip_reads_the_request(rf, behind_proxy):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20")

    assert client_ip(request) == "198.51.100.20"
