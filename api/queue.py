"""Sending render tasks: claim the job atomically in Redis, then send the task by name.

The API never imports the worker; it only needs a Celery producer pointed at the broker. A design
whose full-size views add up to ``large_render_px`` or more is rendered on the large queue, which
has its own worker pool, so cart thumbnails never wait behind print-size renders (F22).
"""
from __future__ import annotations

import logging

from celery import Celery
from kombu.exceptions import OperationalError

from shared.errors import AppError, ErrorCode
from shared.jobs import TASK_RENDER_DESIGN, TASK_RENDER_UPSCALE, JobStore, upscale_job_id
from shared.settings import Settings
from shared.sizing import ViewGeometry

log = logging.getLogger(__name__)


class Enqueuer:
    def __init__(self, settings: Settings, jobs: JobStore) -> None:
        self._jobs = jobs
        self._queue = settings.render_queue
        self._large_queue = settings.large_queue
        self._large_render_px = settings.large_render_px
        self._celery = Celery("designimage-api", broker=settings.redis_url)
        self._celery.conf.update(
            broker_connection_retry=False,
            broker_connection_max_retries=1,
            broker_transport_options={"max_retries": 1},
            task_ignore_result=True,
        )

    def ensure_render(self, website_id: int, design_id: int, revision: str) -> bool:
        """Claim and send the render of one revision (every view × size); False if claimed already."""
        summary = self._jobs.get_pointer(website_id, design_id)
        heavy = summary is not None and full_pixels(summary) >= self._large_render_px
        return self._claim_and_send(website_id, design_id, revision, TASK_RENDER_DESIGN,
                                    (website_id, design_id, revision),
                                    self._large_queue if heavy else self._queue)

    def ensure_upscale(self, website_id: int, design_id: int, revision: str, view_code: str,
                       size: tuple[int, int]) -> bool:
        """Claim and send one above-full-size re-render of a view, on the large-render queue."""
        job = upscale_job_id(revision, view_code, size)
        return self._claim_and_send(website_id, design_id, job, TASK_RENDER_UPSCALE,
                                    (website_id, design_id, revision, view_code, *size),
                                    self._large_queue)

    def _claim_and_send(self, website_id: int, design_id: int, job: str, task: str,
                        args: tuple[object, ...], queue: str) -> bool:
        """If the message cannot be sent the claim is released, so the next request tries again
        instead of waiting out the claim's TTL."""
        if not self._jobs.claim(website_id, design_id, job):
            return False
        try:
            self._celery.send_task(task, args=args, queue=queue, retry=False)
        except (OperationalError, OSError) as exc:
            log.warning("could not send %s: %s", task, exc)
            self._jobs.release(website_id, design_id, job)
            raise AppError(ErrorCode.QUEUE_UNAVAILABLE) from None
        return True

    def close(self) -> None:
        self._celery.close()


def full_pixels(summary: dict) -> int:
    """Pixels of every view at full size: what a design render draws and encodes."""
    total = 0
    for width, height, multiplier, _dpi in summary["views"].values():
        full_w, full_h = ViewGeometry(width, height, multiplier).full_size
        total += full_w * full_h
    return total
