"""A real stack (Redis, SeaweedFS, Celery worker pools, API) for a test session, with websites
and their keys, plus polling of GetDesignImage — shared by tests/e2e and tests/security."""
from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import redis

from scripts.stack import Stack
from shared.settings import Settings
from shared.storage import S3Storage
from shared.websites import Website, WebsiteStore

IMAGE = "/api/4/Design/GetDesignImage"


@dataclass
class RunningStack:
    stack: Stack
    settings: Settings
    storage: S3Storage
    keys: dict[int, str]


@contextmanager
def running_stack(workdir: Path, redis_db: int, website_ids: tuple[int, ...] = (23,)
                  ) -> Iterator[RunningStack]:
    """Start everything on a flushed Redis database and a fresh S3 data folder; stop it all after."""
    stack = Stack(workdir=workdir, redis_db=redis_db)
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        redis.Redis.from_url(stack.start_redis()).flushdb()
        stack.start_s3()
        os.environ.update(stack.env)
        settings = stack.settings()
        storage = S3Storage.from_settings(settings)
        keys = {}
        for website_id in website_ids:
            site = Website(id=website_id, name=f"test shop {website_id}")
            keys[website_id] = site.add_key()
            WebsiteStore(storage).save(site)
        stack.start_workers()
        stack.start_api()
        yield RunningStack(stack, settings, storage, keys)
    finally:
        stack.stop()


def poll_image(client: httpx.Client, params: dict, timeout_s: float = 60) -> httpx.Response:
    """GetDesignImage until it answers something other than 202 (or the time is up)."""
    deadline = time.monotonic() + timeout_s
    while True:
        response = client.get(IMAGE, params=params)
        if response.status_code != 202 or time.monotonic() > deadline:
            return response
        assert response.headers["Retry-After"]
        time.sleep(0.2)
