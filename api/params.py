"""Case-insensitive query parsing (spec §3) into typed requests, raising coded errors."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request

from shared.design.document import VIEW_CODE_PATTERN
from shared.errors import AppError, ErrorCode

_DIGITS = re.compile(r"^[0-9]+$")
_VIEW = re.compile(VIEW_CODE_PATTERN)
MAX_ID = 2**63 - 1


def lower_params(items: list[tuple[str, str]]) -> dict[str, str]:
    """Parameter names lower-cased; the first spelling given wins."""
    params: dict[str, str] = {}
    for name, value in items:
        params.setdefault(name.lower(), value)
    return params


def design_id(params: Mapping[str, str]) -> int:
    raw = params.get("designid", "").strip()
    if not _DIGITS.match(raw) or len(raw) > 19 or not 0 < int(raw) <= MAX_ID:
        raise AppError(ErrorCode.DESIGN_ID_INVALID, {"DesignId": raw[:40]})
    return int(raw)


def view_code(params: Mapping[str, str]) -> str | None:
    raw = params.get("viewcode")
    if raw is None or raw == "":
        return None
    if not _VIEW.fullmatch(raw) or ".." in raw:
        raise AppError(ErrorCode.VIEW_NOT_FOUND, {"ViewCode": raw[:80]})
    return raw


def size(params: Mapping[str, str], name: str) -> int:
    raw = params.get(name.lower(), "").strip()
    if raw == "":
        return 0
    if not _DIGITS.match(raw):
        raise AppError(ErrorCode.SIZE_INVALID, {name: raw[:40]})
    if len(raw.lstrip("0")) > 9:  # leading zeros are not size
        raise AppError(ErrorCode.SIZE_TOO_LARGE, {name: raw[:40]})
    return int(raw)


def wait_s(params: Mapping[str, str], max_wait_s: int) -> float:
    raw = params.get("wait", "").strip()
    if not raw:
        return 0.0
    if not _DIGITS.match(raw) or len(raw.lstrip("0")) > 4:
        raise AppError(ErrorCode.SIZE_INVALID, {"wait": raw[:40]},
                       message=f"wait must be an integer number of seconds (at most {max_wait_s}).")
    return float(min(int(raw), max_wait_s))


@dataclass(frozen=True)
class ImageRequest:
    design_id: int
    view_code: str | None
    width: int
    height: int
    wait_s: float

    @classmethod
    def parse(cls, params: Mapping[str, str], max_wait_s: int) -> "ImageRequest":
        return cls(design_id(params), view_code(params), size(params, "Width"),
                   size(params, "Height"), wait_s(params, max_wait_s))


async def read_body(request: Request, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` (413 past that), whatever Content-Length claims."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise AppError(ErrorCode.TOO_LARGE, {"MaxBytes": max_bytes})
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > max_bytes:
            raise AppError(ErrorCode.TOO_LARGE, {"MaxBytes": max_bytes})
        chunks.append(chunk)
    return b"".join(chunks)


# OpenAPI: the routes parse their query by hand (names are case-insensitive), so the schema that
# clients and the fuzz test read is declared here, once.
_QUERY: dict[str, dict] = {
    "DesignId": {"schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "required": True},
    "viewCode": {"schema": {"type": "string", "pattern": VIEW_CODE_PATTERN}},
    "Width": {"schema": {"type": "integer", "minimum": 0}},
    "Height": {"schema": {"type": "integer", "minimum": 0}},
    "wait": {"schema": {"type": "integer", "minimum": 0, "maximum": 30}},
    "ExpiresIn": {"schema": {"type": "integer", "minimum": 1, "maximum": 7 * 24 * 3600}},
    "family": {"schema": {"type": "string", "minLength": 1, "maxLength": 100}, "required": True},
    "weight": {"schema": {"type": "string", "default": "normal"}},
    "style": {"schema": {"type": "string", "enum": ["normal", "italic", "oblique"]}},
}


def openapi(*query: str, body: tuple[str, dict] | None = None) -> dict:
    """``openapi_extra`` for a route: its query parameters and, optionally, its request body."""
    extra: dict = {"parameters": [{"name": n, "in": "query", "required": False, **_QUERY[n]}
                                  for n in query]}
    if body is not None:
        media_type, schema = body
        extra["requestBody"] = {"required": True, "content": {media_type: {"schema": schema}}}
    return extra


def inline_schema(schema: dict) -> dict:
    """A pydantic JSON schema with its ``$defs`` inlined, to embed in the OpenAPI document."""
    defs = schema.get("$defs", {})

    def inline(node: object) -> object:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(defs[node["$ref"].rsplit("/", 1)[1]])
            return {k: inline(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)  # type: ignore[return-value]


BINARY_BODY = ("application/octet-stream", {"type": "string", "format": "binary"})
