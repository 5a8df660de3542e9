"""Which image ``src`` values a design may use (SSRF policy, spec §7, field case F32).

Allowed: an uploaded asset (``asset:<sha256>.<ext>``), a ``data:image/...;base64`` URL under the
size limit, or ``https://`` on a host the website explicitly allows. Everything else — other
schemes (``file:``, ``gopher:``, plain ``http:``), IP literals in any spelling (dotted, decimal
``2130706433``, octal ``0177.0.0.1``, hex, IPv6), userinfo, ports other than 443, whitespace or
control characters — is refused before anything is fetched. Where an allowed host resolves to is
checked again at fetch time (``worker.fetch``).
"""
from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

ASSET_RE = re.compile(r"^asset:(?P<sha>[0-9a-f]{64})\.(?P<ext>png|jpg|webp|gif)$")
DATA_RE = re.compile(r"^data:image/(png|jpeg|jpg|webp|gif);base64,", re.IGNORECASE)


@dataclass(frozen=True)
class SourceRef:
    kind: str   # "asset" | "data" | "https"
    value: str  # the asset file name, the data URL, or the URL


class SourceNotAllowed(ValueError):
    pass


_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\]")


def is_ip_literal(host: str) -> bool:
    """True for any host spelling the C resolver would read as an address, not a name."""
    host = host.strip("[]").rstrip(".")
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        socket.inet_aton(host)  # legacy forms: 2130706433, 0177.0.0.1, 0x7f.1, 127.1
        return True
    except OSError:
        return False


def classify(src: str, *, allowed_hosts: list[str], max_data_url_bytes: int) -> SourceRef:
    """Classify a src or raise ``SourceNotAllowed`` with a public reason."""
    if (match := ASSET_RE.match(src)) is not None:
        return SourceRef("asset", f"{match['sha']}.{match['ext']}")
    if DATA_RE.match(src):
        if len(src) > max_data_url_bytes:
            raise SourceNotAllowed("data: URL is larger than the limit")
        return SourceRef("data", src)
    if _UNSAFE_URL_CHARS.search(src):
        raise SourceNotAllowed("image source not allowed")
    try:
        parts = urlsplit(src)
        port = parts.port
    except ValueError:  # a bad port or bracket: not a URL we would fetch
        raise SourceNotAllowed("image source not allowed") from None
    if parts.scheme == "https" and parts.hostname and parts.username is None \
            and port in (None, 443) and not is_ip_literal(parts.hostname):
        host = parts.hostname.lower().rstrip(".")
        if host in {h.lower().rstrip(".") for h in allowed_hosts}:
            return SourceRef("https", src)
    raise SourceNotAllowed("image source not allowed")
