"""Uploads: customer images (content-addressed assets) and a website's font files."""
from __future__ import annotations

import hashlib
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request, Response

from api.auth import HeaderWebsite
from api.deps import Services, ServicesDep
from api.params import BINARY_BODY, lower_params, openapi, read_body
from api.responses import success
from shared import layout
from shared.errors import AppError, ErrorCode
from shared.render.fonts import FontError, inspect_font
from shared.render.images import ImageDecodeError, decode_image
from shared.storage import IMMUTABLE_CACHE_CONTROL
from shared.websites import FontFace, Website

router = APIRouter(prefix="/api/4", tags=["Assets"])

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"GIF87a", "gif", "image/gif"),
    (b"GIF89a", "gif", "image/gif"),
)
_FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")
WEIGHTS = {"normal", "bold", "100", "200", "300", "400", "500", "600", "700", "800", "900"}
STYLES = {"normal", "italic", "oblique"}


@router.post("/Asset/Upload", status_code=201, openapi_extra=openapi(body=BINARY_BODY))
async def upload_asset(request: Request, website: HeaderWebsite, services: ServicesDep) -> Response:
    """Store a customer image (PNG, JPEG, WebP, GIF; raw body). Answers the ``Src`` to use in
    designs. Identical bytes give the same reference."""
    body = await read_body(request, services.settings.max_asset_bytes)
    return success(request, await to_thread.run_sync(_store_asset, services, website, body), 201)


def _store_asset(services: Services, website: Website, body: bytes) -> dict[str, Any]:
    ext, media_type = _sniff(body)
    try:
        with decode_image(body, max_pixels=services.settings.max_source_pixels) as image:
            width, height = image.size
    except ImageDecodeError as exc:
        raise AppError(ErrorCode.ASSET_INVALID, {"Reason": str(exc)}) from None
    sha = hashlib.sha256(body).hexdigest()
    services.storage.put(layout.asset_key(website.id, sha, ext), body, content_type=media_type,
                         cache_control=IMMUTABLE_CACHE_CONTROL)
    return {"Src": f"asset:{sha}.{ext}", "Sha256": sha, "MediaType": media_type,
            "Width": width, "Height": height}


def _sniff(body: bytes) -> tuple[str, str]:
    for magic, ext, media_type in _MAGIC:
        if body.startswith(magic):
            return ext, media_type
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "webp", "image/webp"
    raise AppError(ErrorCode.ASSET_INVALID, {"Reason": "not a PNG, JPEG, WebP or GIF image"})


@router.post("/Font/Upload", status_code=201,
             openapi_extra=openapi("family", "weight", "style", body=BINARY_BODY))
async def upload_font(request: Request, website: HeaderWebsite, services: ServicesDep) -> Response:
    """Register a font file (TTF/OTF, raw body) for ``family`` / ``weight`` / ``style`` (query)."""
    params = lower_params(request.query_params.multi_items())
    family = params.get("family", "").strip()
    weight = params.get("weight", "normal").strip().lower()
    style = params.get("style", "normal").strip().lower()
    if not family or len(family) > 100 or weight not in WEIGHTS or style not in STYLES:
        raise AppError(ErrorCode.DESIGN_INVALID, {"Reason": "family (1-100 chars), weight "
                       "(normal, bold, 100-900) and style (normal, italic) are required"})
    body = await read_body(request, services.settings.max_asset_bytes)
    face = await to_thread.run_sync(_store_font, services, website, body, family, weight, style)
    return success(request, face, 201)


def _store_font(services: Services, website: Website, body: bytes, family: str, weight: str,
                style: str) -> dict[str, Any]:
    if not body.startswith(_FONT_MAGIC):
        raise AppError(ErrorCode.ASSET_INVALID, {"Reason": "not a TrueType/OpenType font"})
    try:
        names = inspect_font(body)
    except FontError as exc:
        raise AppError(ErrorCode.ASSET_INVALID, {"Reason": str(exc)}) from None
    sha = hashlib.sha256(body).hexdigest()
    ext = "otf" if body.startswith(b"OTTO") else "ttf"
    key = layout.font_key(website.id, sha, ext)
    services.storage.put(key, body, content_type=f"font/{ext}", cache_control=IMMUTABLE_CACHE_CONTROL)
    fresh = services.websites.load(website.id) or website
    fresh.fonts = [f for f in fresh.fonts if (f.family, f.weight, f.style) != (family, weight, style)]
    fresh.fonts.append(FontFace(family=family, weight=weight, style=style, key=key))
    services.websites.save(fresh)
    services.website_cache.put(fresh.id, fresh)
    return {"Family": family, "Weight": weight, "Style": style, "Sha256": sha,
            "NamesInFile": names}
