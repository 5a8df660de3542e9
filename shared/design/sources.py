"""Which image ``src`` values a design may use (SSRF policy, spec §7, field case F32).

Allowed: an uploaded asset (``asset:<sha256>.<ext>``), a ``data:image/...;base64`` URL under the
size limit, or ``https://`` on a host the website explicitly allows. Everything else — other
schemes (``file:``, ``gopher:``, plain ``http:``), IP literals in any spelling (dotted, decimal
``2130706433``, octal ``0177.0.0.1``, hex, IPv6), userinfo, ports other than 443, whitespace or
control characters — is refused before anything is fetched. Where an allowed host resolves to is
checked again at fetch time (``worker.fetch``).
"""
from __future__ import annotations

import base64
import binascii
import io
import ipaddress
import re
import socket
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

from PIL import Image

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


_MAGIC = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"),
          (b"GIF89a", "GIF"))


def inspect_data_url(src: str, *, max_pixels: int) -> None:
    """Cheap checks of a ``data:`` image at save time, without decoding pixels: valid base64,
    known magic bytes, declared size within ``max_pixels`` (decompression bombs), and a complete
    file (PNG ``IEND``, JPEG end marker, WebP RIFF length, GIF trailer). The worker still decodes
    it fully under the same limits."""
    try:
        data = base64.b64decode(src.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        raise SourceNotAllowed("data: URL is not valid base64") from None
    kind = next((k for magic, k in _MAGIC if data.startswith(magic)), None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "WEBP"
    if kind is None:
        raise SourceNotAllowed("not a PNG, JPEG, WebP or GIF image")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
        except Image.DecompressionBombError:
            raise SourceNotAllowed("source image too large") from None
        except (OSError, ValueError, SyntaxError):
            raise SourceNotAllowed("not a valid image") from None
    if width * height > max_pixels:
        raise SourceNotAllowed(f"source image too large ({width}x{height} px)")
    if not _complete(kind, data):
        raise SourceNotAllowed("truncated image")


def _complete(kind: str, data: bytes) -> bool:
    """Whether the file's end marker follows its image data (bytes after it are tolerated, as
    browsers do); a heuristic in front of the worker's full decode."""
    if kind == "PNG":
        return data.rfind(b"IEND") > data.rfind(b"IDAT") > 0
    if kind == "JPEG":  # entropy-coded data never holds FF D9: after the last scan it ends the image
        last_scan = data.rfind(b"\xff\xda")
        return last_scan > 0 and data.find(b"\xff\xd9", last_scan) > 0
    if kind == "WEBP":
        return len(data) >= 8 + int.from_bytes(data[4:8], "little")
    return data.rstrip(b"\0").endswith(b";")
