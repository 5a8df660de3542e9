"""The Celery app and its configuration, derived from ``Settings``. Nothing else lives here.

Broker choices (see docs/operations.md): late acks + reject on worker loss so a killed worker's
job is delivered again; prefetch 1 so an idle worker is never starved by a busy one's buffer; no
result backend (state lives in ``shared.jobs``); a visibility timeout longer than any render plus
retry countdown, so Redis does not hand a running job to a second worker (field case F18).
"""
from __future__ import annotations

from celery import Celery
from kombu import Queue

from shared.jobs import TASK_RENDER_DESIGN, TASK_RENDER_UPSCALE
from shared.settings import Settings, get_settings

RETRY_BACKOFF_MAX_S = 120


def visibility_timeout_s(settings: Settings) -> int:
    return settings.render_time_limit_s + RETRY_BACKOFF_MAX_S + 600


def celery_config(settings: Settings) -> dict[str, object]:
    return {
        "broker_url": settings.redis_url,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {"visibility_timeout": visibility_timeout_s(settings)},
        "task_ignore_result": True,
        "result_backend": None,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_time_limit": settings.render_time_limit_s,
        "task_soft_time_limit": max(1, settings.render_time_limit_s - 15),
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


def create_celery(settings: Settings | None = None) -> Celery:
    app = Celery("designimage", include=["worker.tasks"])
    app.conf.update(celery_config(settings or get_settings()))
    return app


app = create_celery()
