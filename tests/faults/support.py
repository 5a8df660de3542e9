"""The fault suite's own stack and helpers: a private Redis (the suite stops it), SeaweedFS, one
worker pool per queue and the API, with short liveness settings so faults resolve in seconds."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import httpx

from scripts.stack import Stack
from shared.design.document import StoredDesign
from shared.design.revision import design_hash, render_revision
from shared.design.validate import parse_design
from shared.designs import DesignStore
from shared.jobs import JobState, JobStore, job_key, lock_key
from shared.settings import Settings
from shared import layout
from shared.storage import S3Storage, make_s3_client
from shared.websites import Website
from tests import factories

SAVE = "/api/4/Design/SaveDesign"
IMAGE = "/api/4/Design/GetDesignImage"
STATUS = "/api/4/Design/GetDesignImageStatus"
WEBSITE_ID = 23

# Chosen so every worker passes its start-up check: visibility 48 s > time limit 28 s + the
# longest countdown max(backoff cap 3 s, lock TTL 18 s + 1). As in production (30 s), the lock
# outlives Celery's 10 s wait before it requeues a dead pool process's job (worker_lost_wait),
# so a redelivery really finds the dead holder's lock. Website records are cached for a minute
# so a hung S3 cannot reach the hot path through a website reload during a test.
FAULT_ENV = {
    "DESIGNIMAGE_RENDER_LOCK_TTL_S": "18",
    "DESIGNIMAGE_MAX_LOST_RENDERS": "2",
    "DESIGNIMAGE_RENDER_TIME_LIMIT_S": "28",
    "DESIGNIMAGE_RETRY_BACKOFF_MAX_S": "3",
    "DESIGNIMAGE_BROKER_VISIBILITY_TIMEOUT_S": "48",
    "DESIGNIMAGE_QUEUED_STALE_S": "8",
    "DESIGNIMAGE_TASK_MAX_RETRIES": "3",
    "DESIGNIMAGE_S3_MAX_ATTEMPTS": "2",
    "DESIGNIMAGE_S3_CONNECT_TIMEOUT_S": "1",
    "DESIGNIMAGE_S3_READ_TIMEOUT_S": "3",
    "DESIGNIMAGE_LARGE_RENDER_PX": "20000000",
    "DESIGNIMAGE_WEBSITE_CACHE_TTL_S": "60",
}

T = TypeVar("T")


def wait_for(check: Callable[[], T], timeout_s: float, what: str, interval_s: float = 0.1) -> T:
    """Poll until ``check`` returns something truthy; generous bounds, never a timing claim."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout_s:.0f} s")
        time.sleep(interval_s)


def heavy_design(design_id: int, circles: int, colour: str = "#ff0000", multiplier: float = 4,
                 views: tuple[str, ...] = ("front",)) -> dict[str, Any]:
    """A genuinely slow design: blurred, translucent shadows on a 1000×1000 canvas rendered at
    ``multiplier`` (4 → 16 Mpx per view, on the render queue; 5 → 25 Mpx, the large queue).
    The top-left corner stays ``colour`` so a served image can be told apart."""
    objects = [factories.rect(0, 0, 1000, 1000, fill=colour)]
    objects += [{"type": "circle", "left": 150 + (i * 37) % 800, "top": 150 + (i * 53) % 800,
                 "radius": 60, "fill": f"#{(i * 2654435761) & 0xffffff:06x}", "opacity": 0.8,
                 "shadow": {"color": "rgba(0,0,0,0.5)", "blur": 40, "offsetX": 5, "offsetY": 5}}
                for i in range(circles)]
    return factories.design(design_id, *(
        factories.view(code, *objects, width=1000, height=1000, Dpi=300, PrintMultiplier=multiplier)
        for code in views))


def light_design(design_id: int, colour: str = "#0000ff",
                 views: tuple[str, ...] = ("front",)) -> dict[str, Any]:
    return factories.design(design_id, *(
        factories.view(code, factories.rect(0, 0, 200, 100, fill=colour)) for code in views))


@dataclass
class Faults:
    stack: Stack
    settings: Settings
    storage: S3Storage
    redis: redis.Redis
    key: str
    website: Website

    @property
    def headers(self) -> dict[str, str]:
        return {"websiteId": str(WEBSITE_ID), "webApiClientKey": self.key}

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.stack.api_url, headers=self.headers, timeout=60, **kwargs)

    @cached_property
    def s3(self) -> Any:
        return make_s3_client(self.settings)

    @property
    def jobs(self) -> JobStore:
        return JobStore.from_settings(self.redis, self.settings)

    # What the workers did, from their own log lines (every worker log, restarts included) ----
    def _worker_logs(self) -> str:
        return "".join(self.stack.log(p.stem) for p in self.stack.log_dir.glob("worker*.log"))

    def renders(self, design_id: int) -> int:
        return self._worker_logs().count(f"rendered design {WEBSITE_ID}/{design_id} ")

    def deliveries(self, design_id: int) -> int:
        return self._worker_logs().count(f" of {WEBSITE_ID}/{design_id} delivered")

    def log_count(self, text: str) -> int:
        return self._worker_logs().count(text)

    # Designs and job state ---------------------------------------------------------------
    def save(self, design: dict[str, Any]) -> str:
        """SaveDesign through the API (stores and enqueues); returns the revision."""
        with self.client() as client:
            response = client.post(SAVE, json=design)
        assert response.status_code == 202, response.text
        return response.json()["Data"]["Revision"]

    def store(self, design: dict[str, Any]) -> str:
        """Put a design in storage without enqueueing anything (as if saved before a Redis
        flush); the first GetDesignImage is a genuine miss. Returns the revision."""
        parsed = parse_design(json.dumps(design).encode(), self.website, self.settings)
        stored = StoredDesign(WebsiteId=WEBSITE_ID, SavedAt=time.time(), Design=parsed,
                              DesignHash=design_hash(parsed.model_dump(mode="json")))
        DesignStore(self.storage).save(stored)
        return render_revision(stored.summary(), self.website)

    def state(self, design_id: int, revision: str) -> JobState | None:
        return self.jobs.get(WEBSITE_ID, design_id, revision)

    def status(self, design_id: int, revision: str) -> str | None:
        state = self.state(design_id, revision)
        return state.status.value if state else None

    def stored_keys(self, design_id: int, revision: str) -> list[str]:
        """Every object under the revision's prefix, straight from S3."""
        listed = self.s3.list_objects_v2(
            Bucket=self.settings.s3_bucket,
            Prefix=layout.revision_prefix(WEBSITE_ID, design_id, revision))
        return [o["Key"] for o in listed.get("Contents", [])]

    def lock_holder_pid(self, design_id: int, revision: str) -> int | None:
        raw = self.redis.get(lock_key(WEBSITE_ID, design_id, revision))
        return int(raw.decode().split(":")[1]) if raw else None

    def marker_ttl_s(self, design_id: int, revision: str) -> float:
        return self.redis.pttl(job_key(WEBSITE_ID, design_id, revision)) / 1000

    def wait_status(self, design_id: int, revision: str, status: str, timeout_s: float = 60) -> None:
        wait_for(lambda: self.status(design_id, revision) == status, timeout_s,
                 f"design {design_id} {status}")

    def poll_image(self, params: dict[str, Any], timeout_s: float = 90) -> httpx.Response:
        """GET until the answer is not 202."""
        with self.client() as client:
            return wait_for(lambda: _not_processing(client.get(IMAGE, params=params)), timeout_s,
                            f"image {params}", interval_s=0.3)


def _not_processing(response: httpx.Response) -> httpx.Response | None:
    return None if response.status_code == 202 else response
