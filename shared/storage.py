"""Object storage: the ``Storage`` protocol, the boto3 ``S3Storage`` and an in-memory twin for tests.

Keys are the layout's (``shared.layout``); the configured prefix is added here and nowhere else.
Transient failures (connection errors, throttling, 5xx after boto3's own retries) surface as
``StorageUnavailable`` so callers can answer 271 or retry the job; a missing key is ``None``.
"""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from shared.settings import Settings

IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"


class StorageUnavailable(Exception):
    """The storage backend could not be reached or kept failing."""


@dataclass(frozen=True)
class StoredObject:
    data: bytes
    content_type: str
    cache_control: str | None = None


@dataclass
class ObjectStream:
    """An object read in chunks: for files too large to hold whole. ``close`` must be called."""

    content_length: int
    content_type: str
    etag: str
    chunks: Iterator[bytes]
    close: Callable[[], None]


class Storage(Protocol):
    def get(self, key: str) -> StoredObject | None: ...

    def put(
        self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None
    ) -> None: ...

    def exists(self, key: str) -> bool: ...

    def open_stream(self, key: str, chunk_bytes: int = 1 << 20) -> ObjectStream | None: ...

    def delete(self, key: str) -> None: ...

    def ping(self) -> None: ...


_MISSING_CODES = {"NoSuchKey", "404", "NotFound"}


class S3Storage:
    """One bucket, one prefix. The boto3 client is thread-safe and shared by all callers."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self._client = client
        self._bucket = bucket
        self._prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    @classmethod
    def from_settings(cls, settings: Settings) -> "S3Storage":
        return cls(make_s3_client(settings), settings.s3_bucket, settings.s3_prefix)

    def _key(self, key: str) -> str:
        return self._prefix + key

    def _get_object(self, key: str) -> dict[str, Any] | None:
        return self._call_for_key("get_object", key)

    def _call_for_key(self, operation: str, key: str) -> dict[str, Any] | None:
        """A boto3 call on one key: None for a missing key, StorageUnavailable for the rest."""
        try:
            return getattr(self._client, operation)(Bucket=self._bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING_CODES:
                return None
            raise _unavailable(exc) from exc
        except BotoCoreError as exc:
            raise _unavailable(exc) from exc

    def get(self, key: str) -> StoredObject | None:
        response = self._get_object(key)
        if response is None:
            return None
        try:
            data = response["Body"].read()
        except BotoCoreError as exc:
            raise _unavailable(exc) from exc
        return StoredObject(
            data=data,
            content_type=response.get("ContentType", "application/octet-stream"),
            cache_control=response.get("CacheControl"),
        )

    def put(
        self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None
    ) -> None:
        extra = {"CacheControl": cache_control} if cache_control else {}
        try:
            self._client.put_object(
                Bucket=self._bucket, Key=self._key(key), Body=data, ContentType=content_type, **extra
            )
        except (ClientError, BotoCoreError) as exc:
            raise _unavailable(exc) from exc

    def open_stream(self, key: str, chunk_bytes: int = 1 << 20) -> ObjectStream | None:
        response = self._get_object(key)
        if response is None:
            return None
        body = response["Body"]
        return ObjectStream(
            content_length=int(response["ContentLength"]),
            content_type=response.get("ContentType", "application/octet-stream"),
            etag=response["ETag"],
            chunks=body.iter_chunks(chunk_bytes),
            close=body.close,
        )

    def exists(self, key: str) -> bool:
        return self._call_for_key("head_object", key) is not None

    def delete(self, key: str) -> None:
        try:
            self._client.delete_object(Bucket=self._bucket, Key=self._key(key))
        except (ClientError, BotoCoreError) as exc:
            raise _unavailable(exc) from exc

    def ping(self) -> None:
        try:
            self._client.head_bucket(Bucket=self._bucket)
        except (ClientError, BotoCoreError) as exc:
            raise _unavailable(exc) from exc

    def ensure_bucket(self) -> None:
        """Create the bucket when it does not exist (local runs and tests; production pre-creates)."""
        try:
            self._client.head_bucket(Bucket=self._bucket)
        except ClientError:
            self._client.create_bucket(Bucket=self._bucket)


def _unavailable(exc: Exception) -> StorageUnavailable:
    return StorageUnavailable(f"{type(exc).__name__}: {exc}")


def make_s3_client(settings: Settings) -> Any:
    """A boto3 S3 client with bounded timeouts and boto3's standard retry mode (backoff + jitter)."""
    config = Config(
        connect_timeout=settings.s3_connect_timeout_s,
        read_timeout=settings.s3_read_timeout_s,
        retries={"max_attempts": settings.s3_max_attempts, "mode": "standard"},
        max_pool_connections=64,
        s3={"addressing_style": "path"},
    )
    credentials: dict[str, str] = {}
    if settings.s3_access_key_id and settings.s3_secret_access_key:
        credentials = {
            "aws_access_key_id": settings.s3_access_key_id,
            "aws_secret_access_key": settings.s3_secret_access_key.get_secret_value(),
        }
    return boto3.session.Session().client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        config=config,
        **credentials,
    )


class MemoryStorage:
    """A dict-backed ``Storage`` for unit tests; ``fail`` simulates an outage."""

    def __init__(self) -> None:
        self.objects: dict[str, StoredObject] = {}
        self.fail = False
        self._lock = threading.Lock()

    def _check(self) -> None:
        if self.fail:
            raise StorageUnavailable("memory storage is failing on purpose")

    def get(self, key: str) -> StoredObject | None:
        self._check()
        with self._lock:
            return self.objects.get(key)

    def put(
        self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None
    ) -> None:
        self._check()
        with self._lock:
            self.objects[key] = StoredObject(bytes(data), content_type, cache_control)

    def exists(self, key: str) -> bool:
        self._check()
        with self._lock:
            return key in self.objects

    def open_stream(self, key: str, chunk_bytes: int = 1 << 20) -> ObjectStream | None:
        stored = self.get(key)
        if stored is None:
            return None
        data = stored.data
        return ObjectStream(
            content_length=len(data),
            content_type=stored.content_type,
            etag='"' + hashlib.md5(data).hexdigest() + '"',
            chunks=(data[i:i + chunk_bytes] for i in range(0, len(data), chunk_bytes)),
            close=lambda: None,
        )

    def delete(self, key: str) -> None:
        self._check()
        with self._lock:
            self.objects.pop(key, None)

    def ping(self) -> None:
        self._check()
