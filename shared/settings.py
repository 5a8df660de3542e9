"""Service configuration: the only code that reads the environment.

Every setting is an environment variable ``DESIGNIMAGE_<NAME>`` (case-insensitive). Tests build
``Settings(...)`` directly; processes call the cached ``get_settings()`` once at start-up.
"""
from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESIGNIMAGE_", extra="ignore")

    # Redis: Celery broker, job state and the design→revision pointers.
    redis_url: str = "redis://127.0.0.1:6379/0"

    # S3 (AWS in production; SeaweedFS on this machine). Credentials None = boto3's default chain.
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_bucket: str = "designimage"
    s3_prefix: str = ""
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_connect_timeout_s: float = 3.0
    s3_read_timeout_s: float = 10.0
    s3_max_attempts: int = Field(default=4, ge=1, le=10)

    # Output limits (spec §3): each side and the area of a requested image.
    max_side_px: int = Field(default=10_000, ge=16)
    max_area_px: int = Field(default=50_000_000, ge=256)

    # Input limits (spec §7).
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    max_json_depth: int = Field(default=64, ge=4)
    max_objects: int = Field(default=5_000, ge=1)
    max_views: int = Field(default=32, ge=1)
    max_source_pixels: int = Field(default=60_000_000, ge=1_000)
    max_asset_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    max_data_url_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)

    # Job timing. A queued/rendering marker older than its TTL is treated as lost and re-enqueued.
    queued_stale_s: int = Field(default=300, ge=5)
    render_time_limit_s: int = Field(default=300, ge=5)
    failed_ttl_s: int = Field(default=7 * 24 * 3600, ge=60)
    retry_after_s: int = Field(default=2, ge=1)
    max_wait_s: int = Field(default=30, ge=0, le=30)

    # Worker liveness and the broker (docs/operations.md). A render holds a lock and a
    # "rendering" marker that live render_lock_ttl_s and are renewed while the worker lives, so a
    # killed worker's job is seen as lost within that time; a job whose worker was lost
    # max_lost_renders times is failed. The visibility timeout must exceed the time limit plus
    # the longest retry countdown (checked when a worker starts).
    render_lock_ttl_s: int = Field(default=30, ge=3)
    max_lost_renders: int = Field(default=3, ge=1)
    broker_visibility_timeout_s: int = Field(default=1800, ge=5)
    retry_backoff_max_s: int = Field(default=120, ge=1)

    # Large files (F30): stored renditions of at least this many pixels are streamed from S3 in
    # chunks, never held whole or cached in memory; at most this many large sources are decoded
    # at once to derive another size, which bounds the API's memory.
    stream_above_px: int = Field(default=4_000_000, ge=1)
    max_concurrent_large_derives: int = Field(default=2, ge=1)

    # API hot path.
    hit_cache_bytes: int = Field(default=256 * 1024 * 1024, ge=0)
    website_cache_ttl_s: float = Field(default=5.0, ge=0)

    # Celery queues: design renders (every view × size) vs. heavy above-full-size re-renders, so
    # cart thumbnails never wait behind print-size work (field case F22).
    render_queue: str = "render"
    large_queue: str = "render-large"
    large_render_px: int = Field(default=16_000_000, ge=1)  # full-size pixels of all views
    worker_max_memory_per_child_kb: int = Field(default=2_000_000, ge=100_000)
    worker_max_tasks_per_child: int = Field(default=200, ge=1)
    task_max_retries: int = Field(default=5, ge=0)

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        if self.max_area_px < self.max_side_px:
            raise ValueError("DESIGNIMAGE_MAX_AREA_PX must be at least DESIGNIMAGE_MAX_SIDE_PX")
        if (self.s3_access_key_id is None) != (self.s3_secret_access_key is None):
            raise ValueError(
                "set both DESIGNIMAGE_S3_ACCESS_KEY_ID and DESIGNIMAGE_S3_SECRET_ACCESS_KEY, or neither"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
