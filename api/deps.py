"""The API's clients and caches, opened in the lifespan and handed to routes as dependencies.

Tests override ``get_services`` (``app.dependency_overrides``) or build ``Services`` themselves.
"""
from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated

import redis
import redis.asyncio as aioredis
from fastapi import Depends, Request

from api.hitcache import CachedImage, LruCache, TtlCache
from api.queue import Enqueuer
from shared.designs import DesignStore
from shared.jobs import JobStore
from shared.manifest import Manifest
from shared.settings import Settings
from shared.storage import S3Storage, Storage
from shared.websites import Website, WebsiteStore


@dataclass
class Services:
    settings: Settings
    storage: Storage
    redis: redis.Redis
    jobs: JobStore
    enqueuer: Enqueuer
    websites: WebsiteStore
    designs: DesignStore
    images: LruCache[CachedImage]
    manifests: LruCache[Manifest] = field(default_factory=lambda: LruCache(20_000))
    website_cache: TtlCache[Website] = field(default_factory=lambda: TtlCache(5.0))
    # An asyncio client for the hot path's pointer read; bound to the serving event loop, so the
    # lifespan opens and closes it (``serve_async``), also for services a test injected.
    aredis: aioredis.Redis | None = None
    large_derives: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(2))

    @classmethod
    def open(cls, settings: Settings, storage: Storage | None = None) -> "Services":
        storage = storage or S3Storage.from_settings(settings)
        client = redis.Redis.from_url(settings.redis_url, socket_timeout=2.0,
                                      socket_connect_timeout=2.0, health_check_interval=30)
        jobs = JobStore.from_settings(client, settings)
        return cls(
            settings=settings,
            storage=storage,
            redis=client,
            jobs=jobs,
            enqueuer=Enqueuer(settings, jobs),
            websites=WebsiteStore(storage),
            designs=DesignStore(storage),
            images=LruCache(settings.hit_cache_bytes, weigh=lambda c: len(c.data)),
            website_cache=TtlCache(settings.website_cache_ttl_s),
            large_derives=threading.BoundedSemaphore(settings.max_concurrent_large_derives),
        )

    def close(self) -> None:
        self.enqueuer.close()
        self.redis.close()

    @asynccontextmanager
    async def serve_async(self) -> AsyncIterator[None]:
        self.aredis = aioredis.Redis.from_url(self.settings.redis_url, socket_timeout=2.0,
                                              socket_connect_timeout=2.0)
        try:
            yield
        finally:
            await self.aredis.aclose()
            self.aredis = None


async def get_services(request: Request) -> Services:
    """Async on purpose: FastAPI runs a plain ``def`` dependency in the thread pool, a thread hop
    per request on the hot path."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]
