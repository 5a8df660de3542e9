"""Revisions: a design's content hash, and the revision its renders are stored under (spec §4).

revision = hash(canonical design JSON) + renderer version + the website's render settings, so an
edit, a renderer upgrade or a settings change each lead to new files, never to stale ones.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from shared.websites import Website


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def design_hash(design: Any) -> str:
    return hashlib.sha256(canonical_json(design)).hexdigest()


def revision(design_hash_hex: str, renderer_version: str, settings_digest: str) -> str:
    """The revision from its parts; callers use ``render_revision``."""
    material = f"{design_hash_hex}|{renderer_version}|{settings_digest}".encode()
    return hashlib.sha256(material).hexdigest()[:24]


def render_revision(summary: Mapping[str, Any], website: Website) -> str:
    """The revision of a design summary (``StoredDesign.summary()``, the Redis pointer) for this
    website with the renderer that is running: the one rule the API and the worker share."""
    from shared.render import RENDERER_VERSION

    digest = website.render_settings_digest(summary.get("fonts", ()))
    return revision(summary["h"], RENDERER_VERSION, digest)
