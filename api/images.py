"""GetDesignImage's decision: serve from cache, derive a size, or report the job (spec §3, §5, §8).

Runs in a worker thread (it may call Redis and S3), except ``cached_summary``, the hot path's one
Redis read, made on the event loop. The order keeps the hot path cheap: the design pointer comes
from Redis, renditions and manifests from in-process caches, and S3 is read at most once per cold
hit.

While Redis is down, what is rendered keeps being served: the pointer falls back to the design
document and the job state to the manifest, both in S3; only a miss answers 270, since nothing can
be enqueued. Nothing here waits for Redis to come back: its client reconnects on the next call.
"""
from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import redis
from PIL import Image

from api.deps import Services
from api.hitcache import CachedImage
from shared import layout
from shared.design.revision import render_revision
from shared.errors import AppError, ErrorCode
from shared.jobs import JobState, JobStatus, pointer_key, upscale_job_id
from shared.manifest import Manifest
from shared.renditions import encode, fit, scaled_dpi
from shared.sizing import Limits, OutputSize, ViewGeometry, resolve_size, upscale_size
from shared.websites import Website

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    """One requested image, fully resolved."""

    website: Website
    design_id: int
    revision: str
    view_code: str
    geometry: ViewGeometry
    size: OutputSize

    @property
    def cache_key(self) -> tuple[object, ...]:
        return (self.website.id, self.design_id, self.revision, self.view_code, self.size.name,
                self.website.extension)


@dataclass(frozen=True)
class Pending:
    state: JobState | None


@dataclass(frozen=True)
class LargeFile:
    """A stored rendition too large to hold in memory: the route streams it from storage."""

    key: str


async def cached_summary(services: Services, website_id: int, design_id: int) -> dict | None:
    """The pointer read on the event loop (the hot path: no thread hop). None on a Redis miss or
    error: then ``resolve_target`` in a thread reads it again and falls back to storage."""
    if services.aredis is None:
        return None
    try:
        raw = await services.aredis.get(pointer_key(website_id, design_id))
    except redis.RedisError:
        return None
    return json.loads(raw) if raw else None


def resolve_target(services: Services, website: Website, design_id: int, view_code: str | None,
                   width: int, height: int) -> Target:
    summary = design_summary(services, website.id, design_id)
    return build_target(services, website, design_id, summary, view_code, width, height)


def build_target(services: Services, website: Website, design_id: int, summary: dict,
                 view_code: str | None, width: int, height: int) -> Target:
    code = view_code or summary["default"]
    view = summary["views"].get(code)
    if view is None:
        raise AppError(ErrorCode.VIEW_NOT_FOUND, {"ViewCode": code, "Views": sorted(summary["views"])})
    geometry = ViewGeometry(view[0], view[1], view[2])
    size = resolve_size(geometry, width, height, _limits(services))
    revision = render_revision(summary, website)
    return Target(website, design_id, revision, code, geometry, size)


def design_summary(services: Services, website_id: int, design_id: int) -> dict:
    """The design's pointer from Redis; on a Redis miss, from storage (and put back in Redis).
    With Redis down, from storage: SaveDesign fails while Redis is down, so the stored document
    is the newest one."""
    try:
        summary = services.jobs.get_pointer(website_id, design_id)
    except redis.RedisError as exc:
        log.debug("pointer of %s/%s from storage: %s", website_id, design_id, exc)
        return _stored_summary(services, website_id, design_id)
    if summary is not None:
        return summary
    summary = _stored_summary(services, website_id, design_id)
    services.jobs.set_pointer(website_id, design_id, summary, only_if_absent=True)
    return summary


def _stored_summary(services: Services, website_id: int, design_id: int) -> dict:
    stored = services.designs.load(website_id, design_id)
    if stored is None:
        raise AppError(ErrorCode.DESIGN_NOT_FOUND, {"DesignId": design_id})
    return stored.summary()


def lookup(services: Services, target: Target) -> CachedImage | Pending | LargeFile:
    """The image if its revision is rendered; otherwise make sure a job exists and report it."""
    cached = services.images.get(target.cache_key)
    if cached is not None:
        return cached
    w, d, rev = target.website.id, target.design_id, target.revision
    try:
        state = services.jobs.get(w, d, rev)
    except redis.RedisError:
        manifest = load_manifest(services, w, d, rev)
        if manifest is None:
            raise AppError(ErrorCode.QUEUE_UNAVAILABLE) from None
        return _serve(services, target, manifest)
    if state is not None and state.status is JobStatus.FAILED:
        raise failure(state)
    if state is not None and state.status in (JobStatus.QUEUED, JobStatus.RENDERING):
        return Pending(state)
    manifest = load_manifest(services, w, d, rev)
    if manifest is None:
        if state is not None:  # "ready" but the files are gone (bucket wiped): render again
            services.jobs.release(w, d, rev)
        services.enqueuer.ensure_render(w, d, rev)
        return Pending(services.jobs.get(w, d, rev))
    return _serve(services, target, manifest)


def failure(state: JobState) -> AppError:
    """A failed job's answer: 271 while storage was the cause (the job is retried once its short
    failure marker expires), else 250 with the reason."""
    code = (state.error or {}).get("ErrorCode")
    if code == ErrorCode.STORAGE_UNAVAILABLE.code:
        return AppError(ErrorCode.STORAGE_UNAVAILABLE, state.error)
    return AppError(ErrorCode.RENDER_FAILED, state.error)


def _serve(services: Services, target: Target, manifest: Manifest) -> CachedImage | Pending | LargeFile:
    image = rendition(services, target, manifest)
    if isinstance(image, CachedImage):
        services.images.put(target.cache_key, image)
    return image


def load_manifest(services: Services, website_id: int, design_id: int, revision: str) -> Manifest | None:
    key = (website_id, design_id, revision)
    manifest = services.manifests.get(key)
    if manifest is None:
        stored = services.storage.get(layout.manifest_key(website_id, design_id, revision))
        if stored is None:
            return None
        manifest = Manifest.model_validate_json(stored.data)
        services.manifests.put(key, manifest)
    return manifest


def rendition(services: Services, target: Target, manifest: Manifest
              ) -> CachedImage | Pending | LargeFile:
    """A stored rendition as is, or a cheap resize of the smallest stored one that covers it.

    Large stored renditions (print files) are streamed, not read whole (F30). Content larger
    than the full size is re-rendered from the vectors by the worker at a rung of a bounded
    ladder (``upscale_size``) and resized from there, so the answer is sharp and arbitrary sizes
    cannot cause unbounded renders.
    """
    view = manifest.views[target.view_code]
    size = target.size
    if (size.width, size.height) in view.sizes:
        if size.width * size.height >= services.settings.stream_above_px:
            return LargeFile(_key(target, (size.width, size.height)))
        data = _read(services, target, (size.width, size.height))
        return CachedImage.of(data, manifest.media_type)
    source = view.smallest_covering(size.content_width, size.content_height)
    if source is None:
        source = upscale_size(target.geometry, (size.content_width, size.content_height),
                              _limits(services))
        pending = _ensure_upscale(services, target, source)
        if pending is not None:
            return pending
    with _decode_slot(services, source):
        data = _read(services, target, source)
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            derived = fit(image.convert("RGBA"), size)
        del data
    dpi = scaled_dpi(view.dpi, view.full[0], size.content_width)
    return CachedImage.of(encode(derived, manifest.media_type, dpi=dpi), manifest.media_type)


def _ensure_upscale(services: Services, target: Target, rung: tuple[int, int]) -> Pending | None:
    """None when the rung's file is in storage; otherwise its job state (claimed if needed)."""
    w, d = target.website.id, target.design_id
    job = upscale_job_id(target.revision, target.view_code, rung)
    key = layout.rendition_key(w, d, target.revision, target.view_code, rung[0], rung[1],
                               target.website.extension)
    try:
        state = services.jobs.get(w, d, job)
    except redis.RedisError:
        if services.storage.exists(key):
            return None
        raise AppError(ErrorCode.QUEUE_UNAVAILABLE) from None
    if state is not None and state.status is JobStatus.FAILED:
        raise failure(state)
    if state is not None and state.status in (JobStatus.QUEUED, JobStatus.RENDERING):
        return Pending(state)
    if services.storage.exists(key):
        return None
    if state is not None:  # "ready" but the file is gone: render it again
        services.jobs.release(w, d, job)
    services.enqueuer.ensure_upscale(w, d, target.revision, target.view_code, rung)
    return Pending(services.jobs.get(w, d, job))


def _limits(services: Services) -> Limits:
    return Limits(services.settings.max_side_px, services.settings.max_area_px)


def _key(target: Target, size: tuple[int, int]) -> str:
    return layout.rendition_key(target.website.id, target.design_id, target.revision,
                                target.view_code, size[0], size[1], target.website.extension)


@contextmanager
def _decode_slot(services: Services, source: tuple[int, int]) -> Iterator[None]:
    """Decoding a large source takes ~4 bytes a pixel: at most a few at once per process."""
    if source[0] * source[1] < services.settings.stream_above_px:
        yield
        return
    with services.large_derives:
        yield


def _read(services: Services, target: Target, size: tuple[int, int]) -> bytes:
    stored = services.storage.get(_key(target, size))
    if stored is None:
        raise AppError(ErrorCode.UNEXPECTED, {"Reason": "a rendition listed in the manifest is missing"})
    return stored.data


def status(services: Services, website: Website, design_id: int, view_code: str | None) -> dict:
    """GetDesignImageStatus: the current revision's job state and what is ready, per view."""
    summary = design_summary(services, website.id, design_id)
    codes = [view_code] if view_code else sorted(summary["views"])
    for code in codes:
        if code not in summary["views"]:
            raise AppError(ErrorCode.VIEW_NOT_FOUND, {"ViewCode": code, "Views": sorted(summary["views"])})
    revision = render_revision(summary, website)
    try:
        state = services.jobs.get(website.id, design_id, revision)
    except redis.RedisError:
        state = None  # the manifest decides; without one, enqueueing below answers 270
    manifest = load_manifest(services, website.id, design_id, revision)
    if manifest is not None:
        job_status = JobStatus.READY.value
    elif state is not None:
        job_status = state.status.value
    else:
        services.enqueuer.ensure_render(website.id, design_id, revision)
        job_status = JobStatus.QUEUED.value
    views = []
    for code in codes:
        ready = manifest.views[code] if manifest and code in manifest.views else None
        views.append({
            "ViewCode": code,
            "Status": job_status,
            "FullSize": ready.full if ready else None,
            "Renditions": [f"{w}x{h}" for w, h in ready.sizes] if ready else [],
        })
    return {
        "DesignId": design_id,
        "Revision": revision,
        "Status": job_status,
        "JobAgeSeconds": round(state.age_s(), 1) if state else None,
        "Views": views,
        "Warnings": manifest.warnings if manifest else (state.warnings if state else []),
        "Error": state.error if state and state.status is JobStatus.FAILED else None,
    }
