"""The error-code table of the API contract (spec §3) and the one exception type that carries a code.

Code raises ``AppError(ErrorCode.X, data)``; the HTTP layer maps it to the JSON envelope. The public
message is fixed per code; internal detail goes to logs, never into the envelope.
"""
from __future__ import annotations

from enum import Enum
from typing import Any


class ErrorCode(Enum):
    # name = (code, HTTP status, public message)
    WEBSITE_ID_INVALID = (220, 400, "The websiteId header is missing or not an integer.")
    WEBSITE_UNKNOWN = (221, 401, "The website is unknown or disabled.")
    API_KEY_MISSING = (225, 401, "The webApiClientKey header is missing.")
    API_KEY_INVALID = (226, 401, "The webApiClientKey is not valid for this website.")
    SIGNATURE_INVALID = (227, 403, "The signed URL has a bad signature or has expired.")
    DESIGN_ID_INVALID = (230, 400, "DesignId is missing or not a positive integer.")
    DESIGN_NOT_FOUND = (231, 404, "The design was not found for this website.")
    VIEW_NOT_FOUND = (232, 404, "The viewCode is not a view of this design.")
    SIZE_INVALID = (233, 400, "Width and Height must be non-negative integers.")
    SIZE_TOO_LARGE = (234, 400, "The requested Width/Height is over the limits.")
    DESIGN_INVALID = (240, 422, "The design document is invalid.")
    TOO_LARGE = (241, 413, "The request body or design is too large.")
    ASSET_INVALID = (242, 422, "An asset is missing, not allowed, or not a valid image.")
    RENDER_FAILED = (250, 500, "The design could not be rendered.")
    QUEUE_UNAVAILABLE = (270, 503, "The render queue is unavailable; try again shortly.")
    STORAGE_UNAVAILABLE = (271, 503, "Storage is unavailable; try again shortly.")
    RATE_LIMITED = (290, 429, "Rate limit exceeded for this key.")
    UNEXPECTED = (299, 500, "An unexpected error occurred.")

    @property
    def code(self) -> int:
        return self.value[0]

    @property
    def http_status(self) -> int:
        return self.value[1]

    @property
    def message(self) -> str:
        return self.value[2]


class AppError(Exception):
    """An error with a contract code. ``data`` is public detail (field path, reason); ``message``
    overrides the table's sentence when a more specific public sentence helps the caller."""

    def __init__(self, error: ErrorCode, data: Any = None, message: str | None = None) -> None:
        super().__init__(message or error.message)
        self.error = error
        self.data = data
        self.message = message or error.message
