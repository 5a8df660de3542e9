"""Design endpoints: GetDesignImage (GET/HEAD), GetDesignImageStatus, SaveDesign, GetDesignImageUrl."""
from __future__ import annotations

import asyncio
import time

from anyio import to_thread
from fastapi import APIRouter, Request, Response

from api import images
from api.auth import HeaderWebsite, ReaderWebsite
from api.deps import Services, ServicesDep
from api.params import (ImageRequest, design_id, inline_schema, lower_params, openapi, read_body,
                        size, view_code)
from api.responses import image_response, processing_response, stream_response, success
from api.saving import save_design
from shared import signing
from shared.errors import AppError, ErrorCode
from shared.design.document import DesignIn

router = APIRouter(prefix="/api/4/Design", tags=["Design"])

POLL_INTERVAL_S = 0.25
IMAGE_PATH = "/api/4/Design/GetDesignImage"
MAX_URL_TTL_S = 7 * 24 * 3600


_IMAGE_ROUTE = {
    "responses": {200: {"content": {"image/png": {}, "image/jpeg": {}, "image/webp": {}}},
                  202: {"description": "Processing"}},
    "openapi_extra": openapi("DesignId", "viewCode", "Width", "Height", "wait"),
}


@router.get("/GetDesignImage", operation_id="GetDesignImage", **_IMAGE_ROUTE)
@router.head("/GetDesignImage", operation_id="HeadDesignImage", **_IMAGE_ROUTE)
async def get_design_image(request: Request, website: ReaderWebsite, services: ServicesDep) -> Response:
    """The design image, or 202 while it renders. ``wait=N`` (≤ 30 s) holds the request until ready.

    HEAD answers exactly as GET without a body, and like GET it starts the render on a miss.
    """
    query = ImageRequest.parse(lower_params(request.query_params.multi_items()),
                               services.settings.max_wait_s)
    summary = await images.cached_summary(services, website.id, query.design_id)
    if summary is None:
        target = await to_thread.run_sync(images.resolve_target, services, website, query.design_id,
                                          query.view_code, query.width, query.height)
    else:
        target = images.build_target(services, website, query.design_id, summary, query.view_code,
                                     query.width, query.height)
    cached = services.images.get(target.cache_key)
    if cached is not None:  # the hot path: no thread hop, no storage
        return image_response(request, cached)
    deadline = time.monotonic() + query.wait_s
    while True:
        result = await to_thread.run_sync(images.lookup, services, target)
        if isinstance(result, images.LargeFile):
            return await _stream(request, services, result)
        if not isinstance(result, images.Pending):
            return image_response(request, result)
        if time.monotonic() + POLL_INTERVAL_S > deadline:
            return processing_response(request, target.design_id, target.view_code,
                                       target.revision, result.state, services.settings.retry_after_s)
        await asyncio.sleep(POLL_INTERVAL_S)


async def _stream(request: Request, services: Services, large: images.LargeFile) -> Response:
    stream = await to_thread.run_sync(services.storage.open_stream, large.key)
    if stream is None:
        raise AppError(ErrorCode.UNEXPECTED, {"Reason": "a rendition listed in the manifest is missing"})
    return stream_response(request, stream)


@router.get("/GetDesignImageStatus", openapi_extra=openapi("DesignId", "viewCode"))
async def get_design_image_status(request: Request, website: ReaderWebsite,
                                  services: ServicesDep) -> Response:
    """Render status per view: job state, renditions ready, warnings and the error if it failed."""
    params = lower_params(request.query_params.multi_items())
    status = await to_thread.run_sync(images.status, services, website, design_id(params),
                                      view_code(params))
    return success(request, status)


@router.post("/SaveDesign", status_code=202, openapi_extra=openapi(
    body=("application/json", inline_schema(DesignIn.model_json_schema()))))
async def save(request: Request, website: HeaderWebsite, services: ServicesDep) -> Response:
    """Create or replace a design and enqueue its pre-render (the add-to-cart event)."""
    body = await read_body(request, services.settings.max_body_bytes)
    result = await to_thread.run_sync(save_design, services, website, body)
    return success(request, result, status_code=202)


@router.post("/GetDesignImageUrl",
             openapi_extra=openapi("DesignId", "viewCode", "Width", "Height", "ExpiresIn"))
async def get_design_image_url(request: Request, website: HeaderWebsite,
                               services: ServicesDep) -> Response:
    """A signed GetDesignImage URL for ``<img src>``: no key in the page, valid until Expires."""
    params = lower_params(request.query_params.multi_items())
    query = {"websiteId": str(website.id), "DesignId": str(design_id(params))}
    if (code := view_code(params)) is not None:
        query["viewCode"] = code
    for name in ("Width", "Height"):
        if size(params, name):
            query[name] = str(size(params, name))
    raw_ttl = params.get("expiresin", "")
    ttl_s = min(int(raw_ttl), MAX_URL_TTL_S) if raw_ttl.isdigit() and len(raw_ttl) < 9 else 3600
    expires = int(time.time()) + ttl_s
    url = f"{IMAGE_PATH}?{signing.signed_query(website.signing_secret, IMAGE_PATH, query, expires)}"
    return success(request, {"Url": url, "Expires": expires})

