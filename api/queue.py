"""Sending render tasks: claim the job atomically in Redis, then send the task by name.

The API never imports the worker; it only needs a Celery producer pointed at the broker.
"""
from __future__ import annotations

import logging

from celery import Celery
from kombu.exceptions import OperationalError

from shared.errors import AppError, ErrorCode
from shared.jobs import TASK_RENDER_DESIGN, JobStore
from shared.settings import Settings

log = logging.getLogger(__name__)


class Enqueuer:
    def __init__(self, settings: Settings, jobs: JobStore) -> None:
        self._jobs = jobs
        self._queue = settings.render_queue
        self._celery = Celery("designimage-api", broker=settings.redis_url)
        self._celery.conf.update(
            broker_connection_retry=False,
            broker_connection_max_retries=1,
            broker_transport_options={"max_retries": 1},
            task_ignore_result=True,
        )

    def ensure_render(self, website_id: int, design_id: int, revision: str) -> bool:
        """Claim and send the render of one revision; False if it was already claimed.

        If the message cannot be sent the claim is released, so the next request tries again
        instead of waiting out the claim's TTL.
        """
        if not self._jobs.claim(website_id, design_id, revision):
            return False
        try:
            self._celery.send_task(TASK_RENDER_DESIGN, args=(website_id, design_id, revision),
                                   queue=self._queue, retry=False)
        except (OperationalError, OSError) as exc:
            log.warning("could not send render task: %s", exc)
            self._jobs.release(website_id, design_id, revision)
            raise AppError(ErrorCode.QUEUE_UNAVAILABLE) from None
        return True

    def close(self) -> None:
        self._celery.close()
