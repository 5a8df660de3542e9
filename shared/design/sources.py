"""Which image ``src`` values a design may use (SSRF policy, spec §7, field case F32).

Allowed: an uploaded asset (``asset:<sha256>.<ext>``), a ``data:image/...;base64`` URL under the
size limit, or ``https://`` on a host the website explicitly allows. Everything else — other
schemes, plain http, IP literals, userinfo, ports — is refused before anything is fetched.
"""
from __future__ import annotations

import re
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


def classify(src: str, *, allowed_hosts: list[str], max_data_url_bytes: int) -> SourceRef:
    """Classify a src or raise ``SourceNotAllowed`` with a public reason."""
    if (match := ASSET_RE.match(src)) is not None:
        return SourceRef("asset", f"{match['sha']}.{match['ext']}")
    if DATA_RE.match(src):
        if len(src) > max_data_url_bytes:
            raise SourceNotAllowed("data: URL is larger than the limit")
        return SourceRef("data", src)
    parts = urlsplit(src)
    if parts.scheme.lower() == "https" and parts.hostname and not parts.username \
            and parts.port in (None, 443):
        host = parts.hostname.lower().rstrip(".")
        if host in {h.lower() for h in allowed_hosts}:
            return SourceRef("https", src)
    raise SourceNotAllowed("image source not allowed")
