"""End-to-end fixtures: one real stack per test session — Redis, SeaweedFS (`weed mini`, fresh data
folder, signatures checked), a Celery worker process and the API under uvicorn."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import httpx
import pytest

from scripts.stack import Stack
from shared.settings import Settings
from shared.storage import S3Storage
from tests.stacks import running_stack

E2E_REDIS_DB = 13


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@dataclass
class E2E:
    stack: Stack
    settings: Settings
    storage: S3Storage
    s3: object
    key: str
    website_id: int = 23

    @property
    def headers(self) -> dict[str, str]:
        return {"websiteId": str(self.website_id), "webApiClientKey": self.key}

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.stack.api_url, headers=self.headers, timeout=60, **kwargs)

    def render_count(self, design_id: int) -> int:
        """Render executions of a design, from the worker's own log lines."""
        return self.stack.log("worker").count(f"rendered design {self.website_id}/{design_id} ")


@pytest.fixture(scope="session")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2E]:
    with running_stack(tmp_path_factory.mktemp("stack"), E2E_REDIS_DB) as running:
        settings = running.settings
        s3 = boto3.client("s3", endpoint_url=settings.s3_endpoint_url,
                          aws_access_key_id=settings.s3_access_key_id,
                          aws_secret_access_key=settings.s3_secret_access_key.get_secret_value(),
                          region_name="us-east-1")
        yield E2E(running.stack, settings, running.storage, s3, running.keys[23])
