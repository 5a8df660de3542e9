"""Thin Celery tasks: take the render lock, run the pipeline, record the outcome in job state.

Retry only what is transient (storage or Redis unreachable) with Celery's backoff; a design that
cannot render is marked ``failed`` with its reason at once and never retried.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import redis
from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init

from shared.design.sources import SourceNotAllowed
from shared.errors import ErrorCode
from shared.jobs import TASK_RENDER_DESIGN, TASK_RENDER_UPSCALE, JobStatus, JobStore, upscale_job_id
from shared.render.errors import RenderError
from shared.settings import get_settings
from shared.storage import S3Storage, StorageUnavailable
from worker.app import RETRY_BACKOFF_MAX_S, app
from worker.pipeline import DesignGone, Superseded, render_design, render_upscale
from worker.resources import ResourceError

log = logging.getLogger(__name__)

_clients: dict[str, Any] = {}


@worker_process_init.connect
def _open_clients(**_: Any) -> None:
    """Clients are made per worker process (after fork), never at import time."""
    _clients.clear()


def _storage() -> S3Storage:
    if "storage" not in _clients:
        _clients["storage"] = S3Storage.from_settings(get_settings())
    return _clients["storage"]


def _jobs() -> JobStore:
    if "jobs" not in _clients:
        settings = get_settings()
        _clients["jobs"] = JobStore(
            redis.Redis.from_url(settings.redis_url),
            queued_ttl_s=settings.queued_stale_s,
            rendering_ttl_s=settings.render_time_limit_s + 60,
            failed_ttl_s=settings.failed_ttl_s,
        )
    return _clients["jobs"]


TRANSIENT = (StorageUnavailable, redis.ConnectionError, redis.TimeoutError)
TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": RETRY_BACKOFF_MAX_S,
    "retry_jitter": True,
    "max_retries": get_settings().task_max_retries,
}


@app.task(name=TASK_RENDER_DESIGN, **TASK_OPTIONS)
def render_design_task(self: Task, website_id: int, design_id: int, revision: str) -> str:
    """Every view at full size and every thumbnail size; the manifest last."""
    def work() -> list[str]:
        return render_design(_storage(), get_settings(), website_id, design_id, revision).warnings

    return _run(self, website_id, design_id, revision, work)


@app.task(name=TASK_RENDER_UPSCALE, **TASK_OPTIONS)
def render_upscale_task(self: Task, website_id: int, design_id: int, revision: str,
                        view_code: str, width: int, height: int) -> str:
    """One view above its full size, from the vectors."""
    def work() -> list[str]:
        return render_upscale(_storage(), get_settings(), website_id, design_id, revision,
                              view_code, width, height)

    job = upscale_job_id(revision, view_code, (width, height))
    return _run(self, website_id, design_id, job, work)


def _run(task: Task, website_id: int, design_id: int, job: str, work: Callable[[], list[str]]) -> str:
    """Lock, mark rendering, do the work, and record ready or failed. Transient errors propagate
    to Celery's autoretry; after the last retry the job is marked failed."""
    jobs = _jobs()
    token = uuid.uuid4().hex
    if not jobs.acquire_lock(website_id, design_id, job, token):
        log.info("job %s is being rendered by another delivery; skipping", job)
        return "locked"
    try:
        jobs.mark(website_id, design_id, job, JobStatus.RENDERING)
        try:
            warnings = work()
        except Superseded as exc:
            log.info("%s", exc)
            jobs.release(website_id, design_id, job)
            return "superseded"
        except (ResourceError, SourceNotAllowed) as exc:
            _fail(jobs, website_id, design_id, job, ErrorCode.ASSET_INVALID, str(exc))
            return "failed"
        except (RenderError, DesignGone, SoftTimeLimitExceeded) as exc:
            _fail(jobs, website_id, design_id, job, ErrorCode.RENDER_FAILED,
                  str(exc) or type(exc).__name__)
            return "failed"
        jobs.mark(website_id, design_id, job, JobStatus.READY, warnings=warnings)
        return "ready"
    except TRANSIENT:
        if task.request.retries >= task.max_retries:
            _fail(jobs, website_id, design_id, job, ErrorCode.STORAGE_UNAVAILABLE,
                  "storage stayed unavailable after retries")
        raise
    except Exception as exc:
        log.exception("job %s of %s/%s failed unexpectedly", job, website_id, design_id)
        _fail(jobs, website_id, design_id, job, ErrorCode.RENDER_FAILED, f"unexpected {type(exc).__name__}")
        return "failed"
    finally:
        jobs.release_lock(website_id, design_id, job, token)


def _fail(jobs: JobStore, website_id: int, design_id: int, job: str, code: ErrorCode,
          reason: str) -> None:
    log.warning("job %s of %s/%s failed: %s", job, website_id, design_id, reason)
    jobs.mark(website_id, design_id, job, JobStatus.FAILED,
              error={"ErrorCode": code.code, "Reason": reason})
