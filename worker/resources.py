"""Everything a render needs besides the design: decoded images and the website's fonts.

Each image ``src`` is classified by the SSRF policy (``shared.design.sources``) before anything is
fetched; bytes are bounded, and decoding refuses bombs and truncated files (F02, F14, F32).
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from PIL import Image

from shared import layout
from shared.design.model import image_sources
from shared.design.sources import SourceNotAllowed, classify
from shared.render.images import ImageDecodeError, decode_image
from shared.settings import Settings
from shared.storage import Storage
from shared.websites import Website
from worker.fetch import FetchError, fetch_https


class ResourceError(Exception):
    """A resource the design needs is missing, not allowed, or not a valid image (code 242)."""

    def __init__(self, src: str, reason: str) -> None:
        super().__init__(f"{reason}: {_short(src)}")
        self.src = _short(src)
        self.reason = reason


def load_images(canvases: list[Mapping[str, Any]], website: Website, storage: Storage,
                settings: Settings) -> dict[str, Image.Image]:
    images: dict[str, Image.Image] = {}
    for canvas in canvases:
        for src in image_sources(canvas):
            if src in images:
                continue
            data = _image_bytes(src, website, storage, settings)
            try:
                images[src] = decode_image(data, max_pixels=settings.max_source_pixels)
            except ImageDecodeError as exc:
                raise ResourceError(src, str(exc)) from None
    return images


def _image_bytes(src: str, website: Website, storage: Storage, settings: Settings) -> bytes:
    try:
        ref = classify(src, allowed_hosts=website.allowed_asset_hosts,
                       max_data_url_bytes=settings.max_data_url_bytes)
    except SourceNotAllowed as exc:
        raise ResourceError(src, str(exc)) from None
    if ref.kind == "asset":
        stored = storage.get(layout.asset_key(website.id, *ref.value.rsplit(".", 1)))
        if stored is None:
            raise ResourceError(src, "asset not found")
        return stored.data
    if ref.kind == "data":
        try:
            return base64.b64decode(ref.value.split(",", 1)[1], validate=True)
        except (binascii.Error, ValueError):
            raise ResourceError(src, "data: URL is not valid base64") from None
    try:
        return fetch_https(ref.value, max_bytes=settings.max_asset_bytes)
    except FetchError as exc:
        raise ResourceError(src, str(exc)) from None


def load_fonts(website: Website, storage: Storage) -> list[tuple[str, str, str, bytes]]:
    """The website's uploaded font faces as (family, weight, style, bytes)."""
    faces = []
    for face in website.fonts:
        stored = storage.get(face.key)
        if stored is None:
            raise ResourceError(face.key, f"font file of family {face.family!r} is missing")
        faces.append((face.family, face.weight, face.style, stored.data))
    return faces


def _short(src: str) -> str:
    return src if len(src) <= 120 else src[:100] + "…"
