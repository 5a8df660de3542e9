"""The website (tenant) record stored at ``websites/{id}.json``: keys, render settings, limits."""
from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from shared import apikeys, layout
from shared.storage import Storage

MediaType = Literal["image/png", "image/jpeg", "image/webp"]
EXTENSIONS: dict[str, str] = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
DEFAULT_THUMBNAIL_SIZES = (64, 128, 256, 512, 1024)


class ApiKeyRecord(BaseModel):
    key_id: str
    key_hash: str
    created_at: float
    revoked_at: float | None = None


class FontFace(BaseModel):
    family: str = Field(min_length=1, max_length=100)
    weight: str = "normal"
    style: str = "normal"
    key: str


class Website(BaseModel):
    id: int = Field(gt=0)
    name: str
    enabled: bool = True
    keys: list[ApiKeyRecord] = Field(default_factory=list)
    signing_secret: str = Field(default_factory=lambda: secrets.token_urlsafe(32))
    design_image_media_type: MediaType = "image/png"
    thumbnail_sizes: list[int] = Field(default_factory=lambda: list(DEFAULT_THUMBNAIL_SIZES))
    allowed_asset_hosts: list[str] = Field(default_factory=list)
    rate_limit_per_minute: int | None = Field(default=None, gt=0)
    fonts: list[FontFace] = Field(default_factory=list)

    @field_validator("thumbnail_sizes")
    @classmethod
    def _sizes(cls, sizes: list[int]) -> list[int]:
        if any(s < 1 or s > 4096 for s in sizes):
            raise ValueError("thumbnail sizes must be between 1 and 4096 px")
        return sorted(set(sizes))

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.design_image_media_type]

    def active_key_hashes(self) -> list[str]:
        return [k.key_hash for k in self.keys if k.revoked_at is None]

    def render_settings_digest(self, font_families: Iterable[str] = ()) -> str:
        """What of this website changes a design's rendered files; part of its revision. Only the
        uploaded fonts of the families the design names count, so uploading a font re-renders
        the designs that use it and no others."""
        wanted = {family.lower() for family in font_families}
        settings = {"media_type": self.design_image_media_type, "thumbnails": self.thumbnail_sizes,
                    "fonts": [f.model_dump() for f in self.fonts if f.family.lower() in wanted]}
        return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]

    def add_key(self) -> str:
        """Adds a new key and returns it in clear; only its hash is kept."""
        key_id, key = apikeys.new_key()
        self.keys.append(
            ApiKeyRecord(key_id=key_id, key_hash=apikeys.hash_key(key), created_at=time.time())
        )
        return key

    def revoke_key(self, key_id: str) -> bool:
        for record in self.keys:
            if record.key_id == key_id and record.revoked_at is None:
                record.revoked_at = time.time()
                return True
        return False


class WebsiteStore:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    def load(self, website_id: int) -> Website | None:
        stored = self._storage.get(layout.website_key(website_id))
        return Website.model_validate_json(stored.data) if stored else None

    def save(self, website: Website) -> None:
        self._storage.put(
            layout.website_key(website.id),
            website.model_dump_json(indent=1).encode(),
            content_type="application/json",
            cache_control="no-store",
        )
