"""Fault tests: one stack per session that the tests may break (kill workers, stop Redis and
SeaweedFS) without touching tests/e2e's stack or the machine's Redis."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis

from scripts.stack import Stack
from shared.settings import Settings
from shared.storage import S3Storage
from shared.websites import Website, WebsiteStore
from tests.faults.support import FAULT_ENV, WEBSITE_ID, Faults


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Faults]:
    stack = Stack(workdir=tmp_path_factory.mktemp("faults-stack"))
    stack.env.update(FAULT_ENV)
    previous_env = dict(os.environ)
    try:
        stack.workdir.mkdir(parents=True, exist_ok=True)
        stack.start_redis(private=True)
        stack.start_s3()
        os.environ.update(stack.env)
        settings = Settings()
        storage = S3Storage.from_settings(settings)
        website = Website(id=WEBSITE_ID, name="fault shop")
        key = website.add_key()
        WebsiteStore(storage).save(website)
        stack.start_workers()
        stack.start_api()
        client = redis.Redis.from_url(settings.redis_url)
        yield Faults(stack, settings, storage, client, key, website)
        client.close()
    finally:
        stack.stop()
        os.environ.clear()
        os.environ.update(previous_env)
