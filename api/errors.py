"""One place that turns exceptions into the JSON error envelope (spec §3) with ``X-Request-Id``."""
from __future__ import annotations

import logging
import uuid

import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import AppError, ErrorCode
from shared.storage import StorageUnavailable

log = logging.getLogger(__name__)


def request_id(request: Request) -> str:
    if not hasattr(request.state, "request_id"):
        request.state.request_id = uuid.uuid4().hex
    return request.state.request_id


def error_response(request: Request, error: ErrorCode, data: object = None,
                   message: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"Response": "Error", "Message": message or error.message, "Data": data,
            "ErrorCode": str(error.code)}
    return JSONResponse(body, status_code=error.http_status,
                        headers={"X-Request-Id": request_id(request), "Cache-Control": "no-store",
                                 **(headers or {})})


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    headers = None
    if exc.error.http_status in (429, 503):  # the error's own RetryAfter (e.g. the rate window's end)
        retry_after = exc.data.get("RetryAfter", 5) if isinstance(exc.data, dict) else 5
        headers = {"Retry-After": str(retry_after)}
    return error_response(request, exc.error, exc.data, exc.message, headers)


async def _storage_down(request: Request, exc: Exception) -> JSONResponse:
    log.warning("storage unavailable: %s", exc)
    return error_response(request, ErrorCode.STORAGE_UNAVAILABLE, headers={"Retry-After": "5"})


async def _redis_down(request: Request, exc: Exception) -> JSONResponse:
    log.warning("redis unavailable: %s", exc)
    return error_response(request, ErrorCode.QUEUE_UNAVAILABLE, headers={"Retry-After": "5"})


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    body = {"Response": "Error", "Message": str(exc.detail), "Data": None, "ErrorCode": None}
    return JSONResponse(body, status_code=exc.status_code,
                        headers={"X-Request-Id": request_id(request), **(exc.headers or {})})


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(request, ErrorCode.DESIGN_INVALID,
                          [{"Field": ".".join(str(p) for p in e["loc"]), "Message": e["msg"]}
                           for e in exc.errors()[:20]])


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    rid = request_id(request)
    log.exception("unexpected error (request %s)", rid)
    return error_response(request, ErrorCode.UNEXPECTED, {"RequestId": rid})


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StorageUnavailable, _storage_down)
    app.add_exception_handler(redis.RedisError, _redis_down)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
