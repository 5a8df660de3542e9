"""Per-website request limit (spec §3, code 290): a fixed one-minute window counted in Redis.

Every API replica increments the same key, ``di:rl:{websiteId}:{minute}``, with one Lua script
(INCR, and EXPIRE on the first hit), so the count is atomic and shared. A fixed window lets a
client burst up to twice the limit across a minute boundary; that is accepted for its cost of
one Redis round trip per request.

``Website.rate_limit_per_minute = None`` means unlimited: no Redis call is made at all, so
websites without a limit pay nothing on the hot path. Limits are set per website record.

If Redis fails, the limiter fails OPEN (a warning is logged, requests go through) and stays open
for ``PAUSE_AFTER_ERROR_S`` so an outage does not add a Redis timeout to every cache hit.
"""
from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

import redis
from anyio import to_thread
from fastapi import Request

from shared.errors import AppError, ErrorCode
from shared.jobs import RATE_LIMIT_PREFIX
from shared.websites import Website

log = logging.getLogger(__name__)

KEY_PREFIX = RATE_LIMIT_PREFIX
WINDOW_S = 60
PAUSE_AFTER_ERROR_S = 5.0

_COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class RateLimiter:
    """Counts requests per website and window; ``clock`` is injectable for tests."""

    def __init__(self, client: redis.Redis, clock: Callable[[], float] = time.time) -> None:
        self._count = client.register_script(_COUNT)
        self._clock = clock
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def retry_after_s(self, website_id: int, limit_per_minute: int) -> int | None:
        """None if this request is within the limit, else the seconds until the window ends."""
        if time.monotonic() < self._paused_until:
            return None
        now = self._clock()
        window = int(now // WINDOW_S)
        try:
            count = int(self._count(keys=[f"{KEY_PREFIX}{website_id}:{window}"],
                                    args=[2 * WINDOW_S]))
        except redis.RedisError as exc:
            with self._lock:
                self._paused_until = time.monotonic() + PAUSE_AFTER_ERROR_S
            log.warning("rate limiter: Redis unavailable (%s); not limiting for %.0f s",
                        type(exc).__name__, PAUSE_AFTER_ERROR_S)
            return None
        if count <= limit_per_minute:
            return None
        return max(1, math.ceil((window + 1) * WINDOW_S - now))


def get_limiter(request: Request) -> RateLimiter:
    """The app's limiter over the services' Redis client, made on first use (tests may set
    ``app.state.rate_limiter`` first)."""
    state = request.app.state
    if getattr(state, "rate_limiter", None) is None:
        state.rate_limiter = RateLimiter(state.services.redis)
    return state.rate_limiter


async def enforce(request: Request, website: Website) -> None:
    """Raise 429 / 290 with ``RetryAfter`` when the website is over its limit."""
    limit = website.rate_limit_per_minute
    if limit is None:
        return
    retry_after = await to_thread.run_sync(get_limiter(request).retry_after_s, website.id, limit)
    if retry_after is not None:
        raise AppError(ErrorCode.RATE_LIMITED, {"RetryAfter": retry_after,
                                                "LimitPerMinute": limit})
