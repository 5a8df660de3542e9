"""API tests: the real app over in-memory storage and a real Redis; no worker consumes the queue,
so the tests can count exactly what was published."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis
from fastapi.testclient import TestClient

from api.deps import Services
from api.main import create_app
from shared.settings import Settings
from shared.storage import MemoryStorage
from shared.websites import WebsiteStore
from tests import factories


@dataclass
class Api:
    client: TestClient
    services: Services
    storage: MemoryStorage
    key: str
    website_id: int = 23

    @property
    def headers(self) -> dict[str, str]:
        return {"websiteId": str(self.website_id), "webApiClientKey": self.key}

    def queued_tasks(self) -> int:
        return int(self.services.redis.llen(self.services.settings.render_queue))


@pytest.fixture
def api(redis_url: str, redis_client: redis.Redis) -> Iterator[Api]:
    settings = Settings(redis_url=redis_url, website_cache_ttl_s=0)
    storage = MemoryStorage()
    site, key = factories.website(23)
    WebsiteStore(storage).save(site)
    other, _ = factories.website(24)
    WebsiteStore(storage).save(other)
    services = Services.open(settings, storage=storage)
    with TestClient(create_app(settings, services)) as client:
        yield Api(client, services, storage, key)
    services.close()
