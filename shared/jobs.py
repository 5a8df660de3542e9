"""Render-job state, design pointers and task names in Redis. Every key prefix lives here.

Keys (all under ``di:``):
- ``di:ptr:{w}:{d}``          the design's summary (hash, views, default view): the hot-path pointer.
- ``di:job:{w}:{d}:{rev}``    the job state of one revision (``JobState``); its TTL makes a lost
                              job visible: a queued or rendering marker that outlives its TTL is gone,
                              and the next request claims the job again (field case F20). Readers
                              never extend it.
- ``di:lock:{w}:{d}:{rev}``   held by the worker while it renders one revision (field case F18); its
                              value names the holder (``host:pid:token``). The lock and the rendering
                              marker live ``lock_ttl_s`` and the holder renews both while it lives.
- ``di:starts:{w}:{d}:{rev}`` render starts minus clean ends: what is left are workers that died
                              mid-render (killed, out of memory, hard time limit). Outlives the
                              broker's redelivery so a job that kills every worker is failed.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

import redis

from shared.settings import Settings

PREFIX = "di:"
POINTER_TTL_S = 7 * 24 * 3600

# Celery task names: the API sends by name and never imports the worker.
TASK_RENDER_DESIGN = "designimage.render_design"
TASK_RENDER_UPSCALE = "designimage.render_upscale"


class JobStatus(str, Enum):
    QUEUED = "queued"          # claimed and sent, not started yet (or waiting for a retry)
    RENDERING = "rendering"    # a worker holds the render lock and is drawing or uploading
    READY = "ready"            # every rendition and the manifest are in storage
    FAILED = "failed"          # the design cannot be rendered; the reason is kept until it changes


@dataclass
class JobState:
    status: JobStatus
    created_at: float
    updated_at: float
    error: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)
    attempts: int = 0

    def to_json(self) -> str:
        data = asdict(self)
        data["status"] = self.status.value
        return json.dumps(data)

    @classmethod
    def from_json(cls, raw: str | bytes) -> "JobState":
        data = json.loads(raw)
        data["status"] = JobStatus(data["status"])
        return cls(**data)

    def age_s(self, now: float | None = None) -> float:
        return max(0.0, (now or time.time()) - self.created_at)


# Held by a SaveDesign while it replaces one design (pointer and document must agree).
SAVE_LOCK_PREFIX = f"{PREFIX}save:"

# Per-website request counters of the API's rate limiter (``api/ratelimit.py``): one key per
# website and one-minute window, expiring two windows after use.
RATE_LIMIT_PREFIX = f"{PREFIX}rl:"


def upscale_job_id(revision: str, view_code: str, size: tuple[int, int]) -> str:
    """The job id of one above-full-size re-render; it shares the revision's key space."""
    return f"{revision}:{view_code}:{size[0]}x{size[1]}"


def pointer_key(website_id: int, design_id: int) -> str:
    return f"{PREFIX}ptr:{website_id}:{design_id}"


def job_key(website_id: int, design_id: int, revision: str) -> str:
    return f"{PREFIX}job:{website_id}:{design_id}:{revision}"


def lock_key(website_id: int, design_id: int, revision: str) -> str:
    return f"{PREFIX}lock:{website_id}:{design_id}:{revision}"


def starts_key(website_id: int, design_id: int, revision: str) -> str:
    return f"{PREFIX}starts:{website_id}:{design_id}:{revision}"


# Renew the lock and the rendering marker only while the lock is still ours.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  redis.call('pexpire', KEYS[2], ARGV[2])
  return 1
end
return 0
"""
_END = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('decr', KEYS[1]) end return 0"


class JobStore:
    """Job states and pointers over a sync Redis client (the API calls it from a thread)."""

    def __init__(self, client: redis.Redis, *, queued_ttl_s: int, lock_ttl_s: int,
                 failed_ttl_s: int) -> None:
        self.redis = client
        self._queued_ttl_s = queued_ttl_s
        self.lock_ttl_s = lock_ttl_s
        self._failed_ttl_s = failed_ttl_s

    @classmethod
    def from_settings(cls, client: redis.Redis, settings: Settings) -> "JobStore":
        return cls(client, queued_ttl_s=settings.queued_stale_s,
                   lock_ttl_s=settings.render_lock_ttl_s, failed_ttl_s=settings.failed_ttl_s)

    # Pointers ---------------------------------------------------------------------------------
    def get_pointer(self, website_id: int, design_id: int) -> dict[str, Any] | None:
        raw = self.redis.get(pointer_key(website_id, design_id))
        return json.loads(raw) if raw else None

    def set_pointer(self, website_id: int, design_id: int, summary: dict[str, Any], *,
                    only_if_absent: bool = False) -> None:
        """Savers overwrite; readers that filled a miss from storage only set an absent pointer,
        so a reader holding an older document can never replace a newer save's pointer."""
        self.redis.set(pointer_key(website_id, design_id), json.dumps(summary),
                       ex=POINTER_TTL_S, nx=only_if_absent)

    def save_lock(self, website_id: int, design_id: int) -> "redis.lock.Lock":
        """Serialises the saves of one design: drop pointer, write document, set pointer must not
        interleave with another save's, or the pointer could name content storage no longer has."""
        return self.redis.lock(f"{SAVE_LOCK_PREFIX}{website_id}:{design_id}", timeout=30,
                               blocking_timeout=20)

    def drop_pointer(self, website_id: int, design_id: int) -> None:
        self.redis.delete(pointer_key(website_id, design_id))

    # Job states -------------------------------------------------------------------------------
    def get(self, website_id: int, design_id: int, revision: str) -> JobState | None:
        raw = self.redis.get(job_key(website_id, design_id, revision))
        return JobState.from_json(raw) if raw else None

    def claim(self, website_id: int, design_id: int, revision: str) -> bool:
        """Atomically mark the revision queued (``SET NX EX``). True for exactly one caller."""
        now = time.time()
        state = JobState(JobStatus.QUEUED, created_at=now, updated_at=now)
        return bool(self.redis.set(job_key(website_id, design_id, revision), state.to_json(),
                                   nx=True, ex=self._queued_ttl_s))

    def release(self, website_id: int, design_id: int, revision: str) -> None:
        """Forget the job (a claim whose message could not be sent, a superseded job, or a failed
        one being retried), so the next request starts it afresh."""
        self.redis.delete(job_key(website_id, design_id, revision),
                          starts_key(website_id, design_id, revision))

    def mark(self, website_id: int, design_id: int, revision: str, status: JobStatus, *,
             error: dict[str, Any] | None = None, warnings: list[str] | None = None,
             ttl_s: int | None = None) -> JobState:
        """Record a state. ``ttl_s`` overrides the status's own TTL (a failure that may heal)."""
        previous = self.get(website_id, design_id, revision)
        now = time.time()
        state = JobState(
            status,
            created_at=previous.created_at if previous else now,
            updated_at=now,
            error=error,
            warnings=warnings or [],
            attempts=(previous.attempts if previous else 0) + (status is JobStatus.RENDERING),
        )
        ttl = ttl_s or {
            JobStatus.QUEUED: self._queued_ttl_s,
            JobStatus.RENDERING: self.lock_ttl_s,
            JobStatus.READY: POINTER_TTL_S,
            JobStatus.FAILED: self._failed_ttl_s,
        }[status]
        self.redis.set(job_key(website_id, design_id, revision), state.to_json(), ex=ttl)
        if status is JobStatus.READY:
            self.redis.delete(starts_key(website_id, design_id, revision))
        return state

    # Render lock ------------------------------------------------------------------------------
    def acquire_lock(self, website_id: int, design_id: int, revision: str, token: str) -> bool:
        return bool(self.redis.set(lock_key(website_id, design_id, revision), token, nx=True,
                                   ex=self.lock_ttl_s))

    def renew_lock(self, website_id: int, design_id: int, revision: str, token: str) -> bool:
        """Extend our lock and the rendering marker by ``lock_ttl_s``; False if the lock is lost."""
        return bool(self.redis.eval(
            _RENEW, 2, lock_key(website_id, design_id, revision),
            job_key(website_id, design_id, revision), token, self.lock_ttl_s * 1000))

    def lock_remaining_s(self, website_id: int, design_id: int, revision: str) -> float:
        """Seconds until the lock expires unless renewed (0 when it is free)."""
        return max(0, self.redis.pttl(lock_key(website_id, design_id, revision))) / 1000

    def begin_render(self, website_id: int, design_id: int, revision: str) -> int:
        """Count a render start (called under the lock); returns how many earlier starts never
        ended, i.e. how many workers died rendering this job."""
        key = starts_key(website_id, design_id, revision)
        started, _ = self.redis.pipeline().incr(key).expire(key, self._failed_ttl_s).execute()
        return int(started) - 1

    def end_render(self, website_id: int, design_id: int, revision: str) -> None:
        """The worker survived its render (whatever the outcome): it was not lost. A count
        already cleared (ready, released) stays cleared."""
        self.redis.eval(_END, 1, starts_key(website_id, design_id, revision))

    def release_lock(self, website_id: int, design_id: int, revision: str, token: str) -> None:
        """Release only our own lock (compare-and-delete in one Lua step)."""
        self.redis.eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end "
            "return 0", 1, lock_key(website_id, design_id, revision), token)
