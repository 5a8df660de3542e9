"""HTTPS fetch of an allow-listed image host, connecting only to a validated public address.

The host name is resolved once; every address must be public (no loopback, private, link-local,
multicast, reserved or metadata ranges, including IPv4-mapped IPv6), and the connection goes to
that address with the original host name for TLS (SNI and certificate check) — so DNS rebinding
cannot swap in an internal address. Redirects are not followed; size and time are bounded.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx

TIMEOUT_S = 10.0


class FetchError(Exception):
    pass


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_public(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchError("image host does not resolve") from None
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(is_public_address(a) for a in addresses):
        raise FetchError("image source not allowed")
    return sorted(addresses)[0]


def fetch_https(url: str, *, max_bytes: int) -> bytes:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise FetchError("image source not allowed")
    address = resolve_public(parts.hostname, parts.port or 443)
    target = url.replace(parts.netloc, f"[{address}]" if ":" in address else address, 1)
    try:
        with httpx.Client(timeout=TIMEOUT_S, follow_redirects=False) as client:
            with client.stream("GET", target, headers={"Host": parts.hostname},
                               extensions={"sni_hostname": parts.hostname}) as response:
                if response.status_code != 200:
                    raise FetchError(f"image host answered {response.status_code}")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError("image is larger than the limit")
                    chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise FetchError(f"image could not be fetched ({type(exc).__name__})") from None
    return b"".join(chunks)
