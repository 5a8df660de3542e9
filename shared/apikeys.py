"""API keys: generated once, stored only as SHA-256 hashes, checked in constant time.

Keys are 32 random bytes, so a fast hash is the right tool (no password stretching needed); the
stored hash cannot be turned back into a usable key.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets


def new_key() -> tuple[str, str]:
    """A new (key_id, key). The key id is public (for listing and revoking); the key is secret."""
    key_id = secrets.token_hex(4)
    return key_id, f"dik_{key_id}_{secrets.token_urlsafe(32)}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(key: str, stored_hashes: list[str]) -> bool:
    """True if ``key`` hashes to any stored hash. Every hash is compared, so timing tells nothing."""
    candidate = hash_key(key)
    found = False
    for stored in stored_hashes:
        found |= hmac.compare_digest(candidate, stored)
    return found
