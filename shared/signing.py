"""Signed GetDesignImage URLs for ``<img src>``: HMAC-SHA256 over the canonical request (spec §3).

Canonical request: the path, a newline, then every query parameter except ``Signature`` with its
name lower-cased, sorted by name, as ``name=value`` joined by ``&``, name and value percent-encoded
(RFC 3986, nothing left unescaped) so a value holding ``&`` or ``=`` cannot pass for another
parameter. The signature is base64url without padding.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from urllib.parse import quote, urlencode

_UNIX_S = re.compile(r"[0-9]{1,12}")


def canonical_request(path: str, params: Mapping[str, str]) -> str:
    pairs = sorted((k.lower(), str(v)) for k, v in params.items() if k.lower() != "signature")
    return path + "\n" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def sign(secret: str, path: str, params: Mapping[str, str]) -> str:
    digest = hmac.new(
        secret.encode(), canonical_request(path, params).encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def verify(secret: str, path: str, params: Mapping[str, str], now_s: float) -> bool:
    """True if the signature matches and ``Expires`` is in the future."""
    lowered = {k.lower(): v for k, v in params.items()}
    signature, expires = lowered.get("signature"), lowered.get("expires")
    if not signature or not expires or not _UNIX_S.fullmatch(expires) or int(expires) < now_s:
        return False
    # bytes, not str: compare_digest refuses non-ASCII str, and the signature is client input
    return hmac.compare_digest(sign(secret, path, params).encode(), signature.encode())


def signed_query(secret: str, path: str, params: Mapping[str, str], expires_s: int) -> str:
    """The query string (with Expires and Signature) of a signed URL for ``path``."""
    full = {**params, "Expires": str(expires_s)}
    full["Signature"] = sign(secret, path, full)
    return urlencode(full)
