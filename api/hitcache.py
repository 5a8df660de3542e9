"""Bounded in-process caches for the hot path (spec §8).

Renditions and manifests are immutable per revision, so they can be kept without invalidation;
the bound is in bytes (renditions) or entries (manifests), evicting the least recently used.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Hashable, TypeVar

V = TypeVar("V")


@dataclass(frozen=True)
class CachedImage:
    data: bytes
    media_type: str
    etag: str

    @classmethod
    def of(cls, data: bytes, media_type: str) -> "CachedImage":
        return cls(data, media_type, '"' + hashlib.blake2b(data, digest_size=16).hexdigest() + '"')


class LruCache(Generic[V]):
    """Thread-safe LRU bounded by a total weight (bytes for images, 1 per entry otherwise)."""

    def __init__(self, max_weight: int, weigh: Callable[[V], int] = lambda _: 1) -> None:
        self._max = max_weight
        self._weigh = weigh
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        weight = self._weigh(value)
        if weight > self._max:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._weight -= self._weigh(old)
            self._items[key] = value
            self._weight += weight
            while self._weight > self._max:
                _, evicted = self._items.popitem(last=False)
                self._weight -= self._weigh(evicted)

    def __len__(self) -> int:
        return len(self._items)


class TtlCache(Generic[V]):
    """Small time-bounded cache for mutable records (website records, so a revoked key stops
    working within the TTL)."""

    def __init__(self, ttl_s: float) -> None:
        self._ttl_s = ttl_s
        self._items: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            hit = self._items.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def get_stale(self, key: Hashable) -> V | None:
        """The last value stored, however old: for when the source cannot be read."""
        with self._lock:
            hit = self._items.get(key)
        return hit[1] if hit else None

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[key] = (time.monotonic() + self._ttl_s, value)
