"""HTTPS fetch of an allow-listed image host, connecting only to a validated public address.

The host must be a name, not an IP literal in any spelling. It is resolved once; every address
must be public (no loopback, private, shared (100.64/10), link-local, multicast, reserved or
metadata ranges, including IPv4 embedded in IPv6: mapped, NAT64, 6to4, Teredo), and the
connection goes to that address with the original host name for TLS (SNI and certificate check),
so DNS rebinding cannot swap in an internal address. Redirects are not followed, proxies from the
environment are ignored (they would connect elsewhere), the answer must be an image, and its size
and total time are bounded.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urlsplit

import httpx

from shared.design.sources import is_ip_literal

TIMEOUT_S = 10.0
TOTAL_TIME_S = 30.0
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    pass


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    embedded = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            embedded.append(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            embedded.append(ip.sixtofour)
        if ip.teredo is not None:
            embedded.extend(ip.teredo)
        if ip in NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return all(a.is_global and not a.is_multicast for a in embedded)


def resolve_public(host: str, port: int) -> str:
    if is_ip_literal(host):
        raise FetchError("image source not allowed")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchError("image host does not resolve") from None
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(is_public_address(a) for a in addresses):
        raise FetchError("image source not allowed")
    return sorted(addresses)[0]


def fetch_https(url: str, *, max_bytes: int, transport: httpx.BaseTransport | None = None) -> bytes:
    """The body of ``url``; ``transport`` is for tests (the default opens real connections)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise FetchError("image source not allowed")
    address = resolve_public(parts.hostname, parts.port or 443)
    target = url.replace(parts.netloc, f"[{address}]" if ":" in address else address, 1)
    deadline = time.monotonic() + TOTAL_TIME_S
    try:
        with httpx.Client(timeout=TIMEOUT_S, follow_redirects=False, trust_env=False,
                          transport=transport) as client:
            with client.stream("GET", target, headers={"Host": parts.hostname},
                               extensions={"sni_hostname": parts.hostname}) as response:
                if response.status_code != 200:
                    raise FetchError(f"image host answered {response.status_code}")
                if not response.headers.get("content-type", "").lower().startswith("image/"):
                    raise FetchError("image host answered something that is not an image")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError("image is larger than the limit")
                    if time.monotonic() > deadline:
                        raise FetchError("image took too long to download")
                    chunks.append(chunk)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"image could not be fetched ({type(exc).__name__})") from None
    return b"".join(chunks)
