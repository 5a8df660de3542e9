"""One contract for every Storage: in memory, moto's S3 and (e2e) the real SeaweedFS server."""
from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from shared.settings import Settings
from shared.storage import MemoryStorage, S3Storage, Storage, StorageUnavailable


@pytest.fixture
def moto_storage() -> Iterator[S3Storage]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="contract")
        yield S3Storage(client, "contract", prefix="tenant-a")


@pytest.fixture(scope="module")
def seaweed_storage(tmp_path_factory) -> Iterator[S3Storage]:
    from scripts.stack import Stack

    stack = Stack(workdir=tmp_path_factory.mktemp("contract-s3"))
    try:
        stack.start_s3()
        settings = Settings(**{k.removeprefix("DESIGNIMAGE_").lower(): v
                               for k, v in stack.env.items() if k.startswith("DESIGNIMAGE_")})
        yield S3Storage.from_settings(settings)
    finally:
        stack.stop()


@pytest.fixture(params=["memory", "moto", pytest.param("seaweed", marks=pytest.mark.e2e)])
def storage(request) -> Storage:
    if request.param == "memory":
        return MemoryStorage()
    return request.getfixturevalue(f"{request.param}_storage")


def test_round_trip_keeps_bytes_and_headers(storage):
    storage.put("renders/1/2/r/front/10x10.png", b"\x89PNG-bytes", content_type="image/png",
                cache_control="public, max-age=31536000, immutable")
    stored = storage.get("renders/1/2/r/front/10x10.png")
    assert stored is not None
    assert stored.data == b"\x89PNG-bytes"
    assert stored.content_type == "image/png"
    assert stored.cache_control == "public, max-age=31536000, immutable"
    assert storage.exists("renders/1/2/r/front/10x10.png")


def test_missing_key_is_none_not_an_error(storage):
    assert storage.get("nope/missing.json") is None
    assert not storage.exists("nope/missing.json")


def test_overwrite_and_delete(storage):
    storage.put("k.json", b"1", content_type="application/json")
    storage.put("k.json", b"2", content_type="application/json")
    assert storage.get("k.json").data == b"2"
    storage.delete("k.json")
    assert storage.get("k.json") is None
    storage.delete("k.json")  # deleting a missing key is not an error


def test_ping(storage):
    storage.ping()


def test_prefix_isolates_tenants_of_one_bucket(moto_storage):
    moto_storage.put("a.json", b"x", content_type="application/json")
    other = S3Storage(moto_storage._client, "contract", prefix="tenant-b")
    assert other.get("a.json") is None


def test_unreachable_endpoint_is_storage_unavailable():
    settings = Settings(s3_endpoint_url="http://127.0.0.1:9", s3_access_key_id="a",
                        s3_secret_access_key="b", s3_max_attempts=1, s3_connect_timeout_s=0.5)
    storage = S3Storage.from_settings(settings)
    with pytest.raises(StorageUnavailable):
        storage.get("x")
    with pytest.raises(StorageUnavailable):
        storage.put("x", b"1", content_type="text/plain")


def test_open_stream_yields_every_byte_in_chunks(storage):
    data = bytes(range(256)) * 5000  # 1.28 MB
    storage.put("big.png", data, content_type="image/png")
    stream = storage.open_stream("big.png", chunk_bytes=100_000)
    try:
        chunks = list(stream.chunks)
    finally:
        stream.close()
    assert b"".join(chunks) == data and len(chunks) > 1
    assert stream.content_length == len(data) and stream.content_type == "image/png"
    assert stream.etag.startswith('"')
    assert storage.open_stream("missing.png") is None
