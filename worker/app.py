"""The Celery app, its configuration derived from ``Settings``, and the start-up check of that
configuration. Nothing else lives here.

Broker choices (docs/operations.md): late acks + reject on worker loss so a killed worker's job is
delivered again; prefetch 1 and the fair pool strategy so an idle process is never starved by a
busy one's buffer (F22); no result backend (state lives in ``shared.jobs``); a visibility timeout
longer than any render plus any retry countdown, so Redis does not hand a running or waiting job
to a second worker (F18). A worker whose effective configuration breaks one of these refuses to
start.
"""
from __future__ import annotations

import logging
from typing import Any

from celery import Celery
from celery.signals import celeryd_after_setup
from kombu import Queue

from shared.jobs import TASK_RENDER_DESIGN, TASK_RENDER_UPSCALE
from shared.settings import Settings, get_settings

log = logging.getLogger(__name__)


def max_countdown_s(settings: Settings) -> int:
    """The longest a retried task waits, unacked in a worker, before it runs again: the retry
    backoff cap, or a wait for a dead holder's render lock to expire (worker.tasks)."""
    return max(settings.retry_backoff_max_s, settings.render_lock_ttl_s + 1)


def restore_interval_s(settings: Settings) -> int:
    """How often a worker looks for messages of dead workers to deliver again: a tenth of the
    visibility timeout, so a lost message is redelivered within 1.1 × the timeout."""
    return max(1, min(60, settings.broker_visibility_timeout_s // 10))


def soft_time_limit_s(settings: Settings) -> int:
    """When a render is asked to stop (SoftTimeLimitExceeded → failed with a reason): up to 15 s
    before the hard limit kills the process, leaving time to record the failure."""
    return settings.render_time_limit_s - max(1, min(15, settings.render_time_limit_s // 4))


def celery_config(settings: Settings) -> dict[str, object]:
    return {
        "broker_url": settings.redis_url,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {
            "visibility_timeout": settings.broker_visibility_timeout_s,
            "unacked_restore_interval": restore_interval_s(settings),
            "unacked_restore_throttle": 1,
        },
        "task_ignore_result": True,
        "result_backend": None,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_time_limit": settings.render_time_limit_s,
        "task_soft_time_limit": soft_time_limit_s(settings),
        "worker_max_memory_per_child": settings.worker_max_memory_per_child_kb,
        "worker_max_tasks_per_child": settings.worker_max_tasks_per_child,
        "task_default_queue": settings.render_queue,
        "task_queues": (Queue(settings.render_queue), Queue(settings.large_queue)),
        "task_routes": {
            TASK_RENDER_DESIGN: {"queue": settings.render_queue},
            TASK_RENDER_UPSCALE: {"queue": settings.large_queue},
        },
        "worker_hijack_root_logger": False,
    }


def config_problems(app: Celery, worker: Any, settings: Settings) -> list[str]:
    """What is wrong with the configuration this worker will really run with: the app's
    settings, the command line's overrides (``worker``) and each render task's own options."""
    conf = app.conf
    problems: list[str] = []
    visibility_s = (conf.broker_transport_options or {}).get("visibility_timeout", 3600)
    time_limit_s = worker.time_limit or conf.task_time_limit
    for name in (TASK_RENDER_DESIGN, TASK_RENDER_UPSCALE):
        task = app.tasks[name]
        limit_s = task.time_limit or time_limit_s
        if not limit_s:
            problems.append(f"{name} has no hard time limit")
        elif visibility_s <= limit_s + max_countdown_s(settings):
            problems.append(
                f"visibility_timeout {visibility_s} s must exceed {name}'s time limit {limit_s} s "
                f"+ the longest retry countdown {max_countdown_s(settings)} s, or Redis hands a "
                "running job to a second worker")
        if not (task.acks_late and task.reject_on_worker_lost):
            problems.append(f"{name} needs acks_late and reject_on_worker_lost")
        if not task.ignore_result:
            problems.append(f"{name} must not store results")
    if worker.prefetch_multiplier != 1:
        problems.append(f"prefetch multiplier is {worker.prefetch_multiplier}, must be 1")
    if worker.optimization not in (None, "default", "fair"):
        problems.append(f"pool strategy -O{worker.optimization}; use -Ofair")
    if conf.result_backend:
        problems.append("a result backend is configured; job state lives in Redis keys of "
                        "shared.jobs and results would pile up")
    if not worker.max_memory_per_child:
        problems.append("worker_max_memory_per_child is not set")
    if settings.queued_stale_s <= settings.retry_backoff_max_s:
        problems.append("queued_stale_s must exceed retry_backoff_max_s, or a job waiting for "
                        "its retry looks lost")
    return problems


def create_celery(settings: Settings | None = None) -> Celery:
    app = Celery("designimage", include=["worker.tasks"])
    app.conf.update(celery_config(settings or get_settings()))
    return app


app = create_celery()


@celeryd_after_setup.connect
def _refuse_unsafe_config(sender: str, instance: Any, **_: Any) -> None:
    """Stop the worker before it consumes anything if its effective config is unsafe.
    SystemExit passes through Celery's signal dispatch, which swallows ordinary exceptions."""
    problems = config_problems(instance.app, instance, get_settings())
    if problems:
        for problem in problems:
            log.critical("unsafe worker configuration: %s", problem)
        raise SystemExit("refusing to start: " + "; ".join(problems))
    log.info("broker configuration checked: %s", sender)
