"""The client's address: REMOTE_ADDR, or the forwarded address when the request came through a trusted proxy.

Behind the recommended HTTPS proxy every request arrives from the proxy's address, so rate limits, the
login lockout and the security log would all key on one address. `X-Forwarded-For` is believed only when
the direct peer is one of settings.MINSHENG_TRUSTED_PROXIES (addresses or networks); the header is then
read from the right, skipping further trusted proxies, and the first other address is the client's. A
header sent by anyone else is ignored, so a client cannot choose its own address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip_from_meta(meta) -> str:
    """The client's address from a WSGI environ or request.META ("unknown" when there is none)."""
    peer = meta.get("REMOTE_ADDR") or ""
    networks = _networks(tuple(settings.MINSHENG_TRUSTED_PROXIES))
    if not networks or not _trusted(_address(peer), networks):
        return peer or "unknown"
    for hop in reversed((meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: stop believing the header
        if not _trusted(address, networks):
            return str(address)
    return peer


def client_ip(request) -> str:
    """The client's address of a Django request (see the module's note)."""
    return client_ip_from_meta(request.META)
