"""Security fixtures.

``sec``: the real app over ``MemoryStorage`` and a real Redis, with two websites (23 and 24), each
with its own key, so every test can try one tenant's credentials against the other.

``stack``: one real stack for this folder's end-to-end tests (Redis db 14, SeaweedFS, a Celery
worker, the API under uvicorn), built like ``tests/e2e/conftest.py``; those tests are marked e2e.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
import redis
from fastapi.testclient import TestClient

from api.deps import Services
from api.main import create_app
from scripts.stack import Stack
from tests.stacks import running_stack
from shared.settings import Settings
from shared.storage import MemoryStorage, S3Storage, make_s3_client
from shared.websites import Website, WebsiteStore
from tests import factories

SECURITY_REDIS_DB = 14  # the stack's
UNIT_REDIS_DB = 15      # the unit tests' own, so parallel runs of other suites cannot flush it
SAVE = "/api/4/Design/SaveDesign"
IMAGE = "/api/4/Design/GetDesignImage"
STATUS = "/api/4/Design/GetDesignImageStatus"
URL = "/api/4/Design/GetDesignImageUrl"
ASSET = "/api/4/Asset/Upload"
FONT = "/api/4/Font/Upload"


@dataclass
class Sec:
    client: TestClient
    services: Services
    storage: MemoryStorage
    keys: dict[int, str] = field(default_factory=dict)

    def headers(self, website_id: int = 23) -> dict[str, str]:
        return {"websiteId": str(website_id), "webApiClientKey": self.keys[website_id]}

    def website(self, website_id: int) -> Website:
        website = self.services.websites.load(website_id)
        assert website is not None
        return website

    def update_website(self, website: Website) -> None:
        self.services.websites.save(website)

    def queued_tasks(self) -> int:
        return int(self.services.redis.llen(self.services.settings.render_queue))


def make_sec(redis_url: str, **settings: object) -> tuple[Sec, TestClient]:
    config = Settings(redis_url=redis_url, **{"website_cache_ttl_s": 0, **settings})
    storage = MemoryStorage()
    keys = {}
    for website_id in (23, 24):
        site, keys[website_id] = factories.website(website_id)
        WebsiteStore(storage).save(site)
    services = Services.open(config, storage=storage)
    client = TestClient(create_app(config, services), raise_server_exceptions=False)
    return Sec(client, services, storage, keys), client


@pytest.fixture
def sec_redis_url(redis_url: str) -> Iterator[str]:
    """A flushed Redis database of this folder's own (same server as the other unit tests)."""
    url = redis_url.rsplit("/", 1)[0] + f"/{UNIT_REDIS_DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def sec_redis(sec_redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(sec_redis_url)
    yield client
    client.close()


@pytest.fixture
def sec(sec_redis_url: str) -> Iterator[Sec]:
    made, client = make_sec(sec_redis_url)
    with client:
        yield made
    made.services.close()


@dataclass
class StackHandle:
    stack: Stack
    settings: Settings
    storage: S3Storage
    keys: dict[int, str]

    def headers(self, website_id: int = 23) -> dict[str, str]:
        return {"websiteId": str(website_id), "webApiClientKey": self.keys[website_id]}

    def client(self, website_id: int = 23, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.stack.api_url, headers=self.headers(website_id),
                            timeout=60, **kwargs)

    def keys_under(self, prefix: str) -> list[str]:
        """Every S3 object key under ``prefix`` (paginated listing of the real server; the stack
        uses no bucket prefix)."""
        found: list[str] = []
        pages = make_s3_client(self.settings).get_paginator("list_objects_v2").paginate(
            Bucket=self.settings.s3_bucket, Prefix=prefix)
        for page in pages:
            found += [o["Key"] for o in page.get("Contents", [])]
        return found


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackHandle]:
    with running_stack(tmp_path_factory.mktemp("security-stack"), SECURITY_REDIS_DB,
                       website_ids=(23, 24)) as running:
        yield StackHandle(running.stack, running.settings, running.storage, running.keys)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/security/" in str(item.fspath) and "stack" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
