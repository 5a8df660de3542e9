"""Response builders: the image (ETag, 304, caching, HEAD), the 202 envelope and success envelopes."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from api.errors import request_id
from api.hitcache import CachedImage
from shared.jobs import JobState
from shared.storage import ObjectStream

# The URL names the design, not its revision, so a copy kept long would outlive the next save
# (read-your-writes, editors re-fetching after each change). Browsers and CDNs keep the image a
# minute and then revalidate with If-None-Match: a 304 without a body, since the strong ETag only
# changes when the bytes do.
IMAGE_CACHE_CONTROL = "public, max-age=60"


def image_response(request: Request, image: CachedImage) -> Response:
    headers = {"ETag": image.etag, "Cache-Control": IMAGE_CACHE_CONTROL,
               "X-Request-Id": request_id(request)}
    if _etag_matches(request.headers.get("if-none-match"), image.etag):
        return Response(status_code=304, headers=headers)
    headers["Content-Length"] = str(len(image.data))
    body = b"" if request.method == "HEAD" else image.data
    return Response(body, media_type=image.media_type, headers=headers)


def stream_response(request: Request, stream: ObjectStream) -> Response:
    """A large file sent in chunks as they arrive from storage; memory stays flat (F30)."""
    headers = {"ETag": stream.etag, "Cache-Control": IMAGE_CACHE_CONTROL,
               "X-Request-Id": request_id(request)}
    if _etag_matches(request.headers.get("if-none-match"), stream.etag):
        stream.close()
        return Response(status_code=304, headers=headers)
    headers["Content-Length"] = str(stream.content_length)
    if request.method == "HEAD":
        stream.close()
        return Response(b"", media_type=stream.content_type, headers=headers)

    def chunks() -> Iterator[bytes]:
        try:
            yield from stream.chunks
        finally:
            stream.close()

    # A sync iterator: Starlette pulls it in the thread pool, so boto3's reads never block the loop.
    return StreamingResponse(chunks(), media_type=stream.content_type, headers=headers)


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    return "*" in candidates or etag in candidates


def processing_response(request: Request, design_id: int, view_code: str, revision: str,
                        state: JobState | None, retry_after_s: int) -> JSONResponse:
    """202: ``JobId`` names the one render job every concurrent request for the revision shares."""
    status = state.status.value if state else "queued"
    data = {
        "DesignId": design_id,
        "ViewCode": view_code,
        "JobId": revision,
        "Status": status,
        "RetryAfter": retry_after_s,
        "JobAgeSeconds": round(state.age_s(), 1) if state else 0.0,
    }
    return JSONResponse(
        {"Response": "Processing", "Message": "The design image is being rendered.", "Data": data},
        status_code=202,
        headers={"Retry-After": str(retry_after_s), "Cache-Control": "no-store",
                 "X-Request-Id": request_id(request)},
    )


def success(request: Request, data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse({"Response": "Success", "Message": None, "Data": data},
                        status_code=status_code,
                        headers={"Cache-Control": "no-store", "X-Request-Id": request_id(request)})

