"""Thin Celery tasks: take the render lock, run the pipeline, record the outcome in job state.

Retry only what is transient (storage or Redis unreachable) with Celery's backoff; a design that
cannot render is marked ``failed`` with its reason at once and never retried.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any

import redis
from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init

from shared.design.sources import SourceNotAllowed
from shared.errors import ErrorCode
from shared.jobs import TASK_RENDER_DESIGN, JobStatus, JobStore
from shared.render.errors import RenderError
from shared.settings import get_settings
from shared.storage import S3Storage, StorageUnavailable
from worker.app import RETRY_BACKOFF_MAX_S, app
from worker.pipeline import DesignGone, Superseded, render_design
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


@app.task(
    bind=True,
    name=TASK_RENDER_DESIGN,
    autoretry_for=(StorageUnavailable, redis.ConnectionError, redis.TimeoutError),
    retry_backoff=2,
    retry_backoff_max=RETRY_BACKOFF_MAX_S,
    retry_jitter=True,
    max_retries=get_settings().task_max_retries,
)
def render_design_task(self: Task, website_id: int, design_id: int, revision: str) -> str:
    jobs = _jobs()
    token = uuid.uuid4().hex
    if not jobs.acquire_lock(website_id, design_id, revision, token):
        log.info("revision %s is being rendered by another delivery; skipping", revision)
        return "locked"
    try:
        jobs.mark(website_id, design_id, revision, JobStatus.RENDERING)
        try:
            outcome = render_design(_storage(), get_settings(), website_id, design_id, revision)
        except Superseded as exc:
            log.info("%s", exc)
            jobs.release(website_id, design_id, revision)
            return "superseded"
        except (ResourceError, SourceNotAllowed) as exc:
            _fail(jobs, website_id, design_id, revision, ErrorCode.ASSET_INVALID, str(exc))
            return "failed"
        except (RenderError, DesignGone, SoftTimeLimitExceeded) as exc:
            _fail(jobs, website_id, design_id, revision, ErrorCode.RENDER_FAILED, str(exc) or type(exc).__name__)
            return "failed"
        jobs.mark(website_id, design_id, revision, JobStatus.READY, warnings=outcome.warnings)
        return "ready"
    except (StorageUnavailable, redis.ConnectionError, redis.TimeoutError):
        if self.request.retries >= self.max_retries:
            _fail(jobs, website_id, design_id, revision, ErrorCode.STORAGE_UNAVAILABLE,
                  "storage stayed unavailable after retries")
        raise
    except Exception as exc:
        log.exception("render of %s/%s rev %s failed unexpectedly", website_id, design_id, revision)
        _fail(jobs, website_id, design_id, revision, ErrorCode.RENDER_FAILED, f"unexpected {type(exc).__name__}")
        return "failed"
    finally:
        jobs.release_lock(website_id, design_id, revision, token)


def _fail(jobs: JobStore, website_id: int, design_id: int, revision: str, code: ErrorCode,
          reason: str) -> None:
    log.warning("render of %s/%s rev %s failed: %s", website_id, design_id, revision, reason)
    jobs.mark(website_id, design_id, revision, JobStatus.FAILED,
              error={"ErrorCode": code.code, "Reason": reason})
