"""Thin Celery tasks: take the render lock, run the pipeline, record the outcome in job state.

A delivery renders only if it holds the job's lock and the job is not already ready or failed, so
a second delivery (visibility timeout, a re-enqueue after a lost message, a duplicate send) never
renders or uploads again. Retry only what is transient (storage or Redis unreachable) with
Celery's backoff; a design that cannot render is marked ``failed`` at once, and a job whose
worker keeps dying is failed after ``max_lost_renders`` lost attempts.
"""
from __future__ import annotations

import logging
import math
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis
from celery import Task
from celery.exceptions import MaxRetriesExceededError, SoftTimeLimitExceeded
from celery.signals import worker_process_init

from shared.design.sources import SourceNotAllowed
from shared.errors import ErrorCode
from shared.jobs import TASK_RENDER_DESIGN, TASK_RENDER_UPSCALE, JobStatus, JobStore, upscale_job_id
from shared.render.errors import RenderError
from shared.settings import get_settings
from shared.storage import S3Storage, StorageUnavailable
from worker.app import app
from worker.pipeline import DesignGone, Superseded, render_design, render_upscale
from worker.resources import ResourceError

log = logging.getLogger(__name__)

_clients: dict[str, Any] = {}
_DONE = (JobStatus.READY, JobStatus.FAILED)


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
        client = redis.Redis.from_url(settings.redis_url, socket_timeout=5.0,
                                      socket_connect_timeout=5.0)
        _clients["jobs"] = JobStore.from_settings(client, settings)
    return _clients["jobs"]


TRANSIENT = (StorageUnavailable, redis.ConnectionError, redis.TimeoutError)
TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": get_settings().retry_backoff_max_s,
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
    """Lock, skip a finished job, count the start, render while renewing the lock, record the
    outcome. A worker that dies never reaches ``end_render``: that is how lost attempts count."""
    jobs = _jobs()
    log.info("job %s of %s/%s delivered (retry %d)", job, website_id, design_id,
             task.request.retries)
    token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
    if not jobs.acquire_lock(website_id, design_id, job, token):
        return _wait_for_holder(task, jobs, website_id, design_id, job)
    try:
        state = jobs.get(website_id, design_id, job)
        if state is not None and state.status in _DONE:
            log.info("job %s of %s/%s is %s already; not rendered again", job, website_id,
                     design_id, state.status.value)
            return state.status.value
        lost = jobs.begin_render(website_id, design_id, job)
        try:
            if lost >= get_settings().max_lost_renders:
                _fail(jobs, website_id, design_id, job, ErrorCode.RENDER_FAILED,
                      f"the worker rendering this design was lost {lost} times "
                      "(killed, out of memory or over the time limit)")
                return "failed"
            with _renewing(jobs, website_id, design_id, job, token):
                return _render(task, jobs, website_id, design_id, job, work)
        finally:
            jobs.end_render(website_id, design_id, job)
    finally:
        jobs.release_lock(website_id, design_id, job, token)


def _render(task: Task, jobs: JobStore, website_id: int, design_id: int, job: str,
            work: Callable[[], list[str]]) -> str:
    """Transient errors propagate to Celery's autoretry (the job shows as queued meanwhile);
    after the last retry the job fails for a short while only, since storage may come back."""
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
    except TRANSIENT as exc:
        if task.request.retries >= task.max_retries:
            _fail(jobs, website_id, design_id, job, ErrorCode.STORAGE_UNAVAILABLE,
                  f"storage stayed unavailable after {task.request.retries} retries",
                  ttl_s=get_settings().queued_stale_s)
        else:
            log.warning("job %s of %s/%s will be retried: %s", job, website_id, design_id, exc)
            jobs.mark(website_id, design_id, job, JobStatus.QUEUED)
        raise
    except Exception as exc:
        log.exception("job %s of %s/%s failed unexpectedly", job, website_id, design_id)
        _fail(jobs, website_id, design_id, job, ErrorCode.RENDER_FAILED, f"unexpected {type(exc).__name__}")
        return "failed"


def _wait_for_holder(task: Task, jobs: JobStore, website_id: int, design_id: int, job: str) -> str:
    """Another delivery holds the lock: a live worker (this delivery is a duplicate) or a dead
    one (its lock runs out within ``lock_ttl_s``, since nobody renews it). Come back once the
    lock would have run out: by then the job is done, or this delivery takes it over. A live
    holder is bounded by the time limit, so the waits are bounded too."""
    state = jobs.get(website_id, design_id, job)
    if state is not None and state.status in _DONE:
        log.info("job %s of %s/%s is %s already; not rendered again", job, website_id,
                 design_id, state.status.value)
        return state.status.value
    settings = get_settings()
    waits = math.ceil(settings.render_time_limit_s / settings.render_lock_ttl_s) + 1
    countdown_s = math.ceil(jobs.lock_remaining_s(website_id, design_id, job)) + 1
    log.info("job %s of %s/%s is locked by another delivery; checking again in %d s", job,
             website_id, design_id, countdown_s)
    try:
        raise task.retry(countdown=countdown_s, max_retries=task.max_retries + waits)
    except MaxRetriesExceededError:
        log.warning("job %s of %s/%s stayed locked; leaving it to the holder", job, website_id,
                    design_id)
        return "locked"


@contextmanager
def _renewing(jobs: JobStore, website_id: int, design_id: int, job: str, token: str) -> Iterator[None]:
    """Renew the lock and the rendering marker every third of their TTL while the body runs."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(jobs.lock_ttl_s / 3):
            try:
                if not jobs.renew_lock(website_id, design_id, job, token):
                    log.warning("job %s of %s/%s: render lock lost", job, website_id, design_id)
                    return
            except redis.RedisError as exc:
                log.warning("job %s of %s/%s: could not renew the lock: %s", job, website_id,
                            design_id, exc)

    thread = threading.Thread(target=renew, name=f"renew-{design_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _fail(jobs: JobStore, website_id: int, design_id: int, job: str, code: ErrorCode,
          reason: str, ttl_s: int | None = None) -> None:
    log.warning("job %s of %s/%s failed: %s", job, website_id, design_id, reason)
    jobs.mark(website_id, design_id, job, JobStatus.FAILED,
              error={"ErrorCode": code.code, "Reason": reason}, ttl_s=ttl_s)
