"""One render job: load, resolve, render every view × size, encode, upload, manifest LAST.

Steps run in order and each does one thing; the task module decides retry versus failed.
Uploads are idempotent (keys are per revision and the bytes are deterministic), so a job that is
delivered again after a worker died simply writes the same objects again.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from PIL import Image

from shared import layout
from shared.design.revision import render_revision
from shared.design.document import StoredDesign
from shared.designs import DesignStore
from shared.manifest import Manifest, ViewRenditions
from shared.render import RENDERER_VERSION, render_view
from shared.render.fonts import FontRegistry
from shared.renditions import encode, scaled_dpi, thumbnail_chain
from shared.settings import Settings
from shared.sizing import rendition_sizes
from shared.storage import IMMUTABLE_CACHE_CONTROL, Storage
from shared.websites import Website, WebsiteStore
from worker.resources import load_fonts, load_images

log = logging.getLogger(__name__)


class Superseded(Exception):
    """The design changed after this job was queued; the newer revision has its own job."""


class DesignGone(Exception):
    """The website or design no longer exists."""


@dataclass
class RenderOutcome:
    manifest: Manifest
    uploads: int = 0
    warnings: list[str] = field(default_factory=list)


def load_current(storage: Storage, website_id: int, design_id: int,
                 revision: str) -> tuple[Website, StoredDesign]:
    """The website and design, if the design is still at ``revision``."""
    website = WebsiteStore(storage).load(website_id)
    stored = DesignStore(storage).load(website_id, design_id)
    if website is None or stored is None:
        raise DesignGone(f"website {website_id} or design {design_id} not found")
    current = render_revision(stored.summary(), website)
    if current != revision:
        raise Superseded(f"design {design_id} is now at revision {current}")
    return website, stored


def render_design(storage: Storage, settings: Settings, website_id: int, design_id: int,
                  revision: str) -> RenderOutcome:
    started = time.perf_counter()
    website, stored = load_current(storage, website_id, design_id, revision)
    existing = storage.get(layout.manifest_key(website_id, design_id, revision))
    if existing is not None:
        manifest = Manifest.model_validate_json(existing.data)
        return RenderOutcome(manifest=manifest, warnings=manifest.warnings)

    design = stored.Design
    images = load_images([v.Canvas for v in design.Views], website, storage, settings)
    fonts = FontRegistry.system().with_fonts(load_fonts(website, storage))

    views: dict[str, ViewRenditions] = {}
    warnings: list[str] = []
    uploads = 0
    for view in design.Views:
        geometry = view.geometry
        full_w, full_h = geometry.full_size
        result = render_view(view.Canvas, full_w, full_h, scale=geometry.print_multiplier,
                             images=images, fonts=fonts)
        warnings.extend(f"{view.ViewCode}: {w}" for w in dict.fromkeys(result.warnings))
        sizes = rendition_sizes(geometry, website.thumbnail_sizes)
        renditions = thumbnail_chain(result.image, sizes)
        for (width, height), image in renditions.items():
            _upload(storage, website, design_id, revision, view.ViewCode, image,
                    scaled_dpi(view.Dpi, full_w, width))
            uploads += 1
        views[view.ViewCode] = ViewRenditions(full=(full_w, full_h), dpi=view.Dpi, sizes=sizes)
        result.image.close()

    manifest = Manifest(
        revision=revision,
        renderer_version=RENDERER_VERSION,
        media_type=website.design_image_media_type,
        views=views,
        warnings=warnings,
        fabric_version=_fabric_version(design.Views[0].Canvas),
        rendered_at=time.time(),
        render_ms=round((time.perf_counter() - started) * 1000, 1),
    )
    storage.put(layout.manifest_key(website_id, design_id, revision),
                manifest.model_dump_json().encode(), content_type="application/json",
                cache_control=IMMUTABLE_CACHE_CONTROL)
    log.info("rendered design %s/%s rev %s: %d files in %.0f ms", website_id, design_id,
             revision, uploads, manifest.render_ms)
    return RenderOutcome(manifest=manifest, uploads=uploads, warnings=warnings)


def render_upscale(storage: Storage, settings: Settings, website_id: int, design_id: int,
                   revision: str, view_code: str, width: int, height: int) -> list[str]:
    """One view re-rendered from its vectors above the full size (a rung of the upscale ladder).
    Returns the render's warnings."""
    website, stored = load_current(storage, website_id, design_id, revision)
    view = stored.Design.view(view_code)
    if view is None:
        raise DesignGone(f"view {view_code} not in design {design_id}")
    images = load_images([view.Canvas], website, storage, settings)
    fonts = FontRegistry.system().with_fonts(load_fonts(website, storage))
    geometry = view.geometry
    scale = min(width / geometry.canvas_width, height / geometry.canvas_height)
    result = render_view(view.Canvas, width, height, scale=scale, images=images, fonts=fonts)
    full_w, _ = geometry.full_size
    _upload(storage, website, design_id, revision, view_code, result.image,
            scaled_dpi(view.Dpi, full_w, width))
    result.image.close()
    return result.warnings


def _upload(storage: Storage, website: Website, design_id: int, revision: str, view_code: str,
            image: Image.Image, dpi: float | None) -> None:
    data = encode(image, website.design_image_media_type, dpi=dpi)
    key = layout.rendition_key(website.id, design_id, revision, view_code, image.width,
                               image.height, website.extension)
    storage.put(key, data, content_type=website.design_image_media_type,
                cache_control=IMMUTABLE_CACHE_CONTROL)


def _fabric_version(canvas: dict) -> str | None:
    version = canvas.get("version")
    return version if isinstance(version, str) else None
