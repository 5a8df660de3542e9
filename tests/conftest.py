"""Fixtures shared by every test: a real Redis (the machine's, or one started for the run)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from scripts.stack import Stack

UNIT_REDIS_DB = 12


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    stack = Stack(workdir=tmp_path_factory.mktemp("redis"), redis_db=UNIT_REDIS_DB)
    url = stack.start_redis()
    yield url
    stack.stop()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()
