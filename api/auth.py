"""Who is calling: ``websiteId`` + ``webApiClientKey`` headers, or a signed query (spec §3); then
the website's rate limit (``api.ratelimit``).

Website records are cached per replica for ``website_cache_ttl_s`` (default 5 s): a key revoked
in storage (``designimage key revoke``) stops working on every replica within that time. While
storage cannot be read, the last record read keeps being used, so cache hits go on being served.
"""
from __future__ import annotations

import re
import time
from typing import Annotated

from anyio import to_thread
from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from api import ratelimit
from api.deps import Services, ServicesDep
from shared import apikeys, signing
from shared.errors import AppError, ErrorCode
from shared.storage import StorageUnavailable
from shared.websites import Website

_ID = re.compile(r"[0-9]{1,18}")

# Declared as security schemes so the OpenAPI document (and clients generated from it) carry
# them; their values are read here, not by FastAPI's own checks (auto_error=False).
WebsiteIdHeader = Annotated[str | None, Security(APIKeyHeader(
    name="websiteId", scheme_name="websiteId", auto_error=False))]
ApiKeyHeader = Annotated[str | None, Security(APIKeyHeader(
    name="webApiClientKey", scheme_name="webApiClientKey", auto_error=False))]


async def load_website(services: Services, raw_id: str | None) -> Website:
    if raw_id is None or not _ID.fullmatch(raw_id.strip()) or int(raw_id) <= 0:
        raise AppError(ErrorCode.WEBSITE_ID_INVALID)
    website_id = int(raw_id)
    website = services.website_cache.get(website_id)
    if website is None:
        try:
            website = await to_thread.run_sync(services.websites.load, website_id)
        except StorageUnavailable:
            # Keep serving cache hits through an S3 outage with the last record read.
            website = services.website_cache.get_stale(website_id)
            if website is None:
                raise
        else:
            if website is not None:
                services.website_cache.put(website_id, website)
    if website is None or not website.enabled:
        raise AppError(ErrorCode.WEBSITE_UNKNOWN)
    return website


async def _by_headers(services: Services, raw_id: str | None, key: str | None) -> Website:
    website = await load_website(services, raw_id)
    if not key:
        raise AppError(ErrorCode.API_KEY_MISSING)
    if not apikeys.key_matches(key, website.active_key_hashes()):
        raise AppError(ErrorCode.API_KEY_INVALID)
    return website


async def _by_signature(services: Services, request: Request) -> Website:
    items = request.query_params.multi_items()
    params = {k.lower(): v for k, v in items}
    website = await load_website(services, params.get("websiteid"))
    if len(params) != len(items):  # a repeated name could make the signed and the served value differ
        raise AppError(ErrorCode.SIGNATURE_INVALID)
    if not signing.verify(website.signing_secret, request.url.path, dict(items), time.time()):
        raise AppError(ErrorCode.SIGNATURE_INVALID)
    return website


async def header_website(request: Request, services: ServicesDep, website_id: WebsiteIdHeader,
                         key: ApiKeyHeader) -> Website:
    """Header authentication only (for endpoints that change things or mint URLs)."""
    website = await _by_headers(services, website_id, key)
    await ratelimit.enforce(request, website)
    return website


async def reader_website(request: Request, services: ServicesDep, website_id: WebsiteIdHeader,
                         key: ApiKeyHeader) -> Website:
    """Headers, or a signed URL when the query carries a ``Signature`` (for ``<img src>``)."""
    if any(name.lower() == "signature" for name in request.query_params):
        website = await _by_signature(services, request)
    else:
        website = await _by_headers(services, website_id, key)
    await ratelimit.enforce(request, website)
    return website


HeaderWebsite = Annotated[Website, Depends(header_website)]
ReaderWebsite = Annotated[Website, Depends(reader_website)]
