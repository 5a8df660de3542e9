"""Revisions: a design's content hash, and the revision its renders are stored under (spec §4).

revision = hash(canonical design JSON) + renderer version + the website's render settings, so an
edit, a renderer upgrade or a settings change each lead to new files, never to stale ones.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def design_hash(design: Any) -> str:
    return hashlib.sha256(canonical_json(design)).hexdigest()


def revision(design_hash_hex: str, renderer_version: str, settings_digest: str) -> str:
    material = f"{design_hash_hex}|{renderer_version}|{settings_digest}".encode()
    return hashlib.sha256(material).hexdigest()[:24]
