"""SaveDesign: validate, store, point Redis at the new revision, enqueue its pre-render.

Order matters for read-your-writes: the old pointer is dropped before the new document is
written, so no reader can be sent to the old revision once this returns; if Redis is down the
save fails before anything is stored. Saves of one design are serialised by a Redis lock, so
concurrent saves cannot leave the pointer naming content that storage no longer holds.
"""
from __future__ import annotations

import time
from typing import Any

from redis.exceptions import LockError

from api.deps import Services
from shared import layout
from shared.design.document import DesignIn, StoredDesign
from shared.design.model import image_sources
from shared.design.revision import design_hash, render_revision
from shared.design.sources import ASSET_RE
from shared.design.validate import parse_design
from shared.errors import AppError, ErrorCode
from shared.jobs import JobStatus
from shared.websites import Website


def save_design(services: Services, website: Website, body: bytes) -> dict[str, Any]:
    design = parse_design(body, website, services.settings)
    _check_assets(services, website, design)
    content_hash = design_hash(design.model_dump(mode="json"))
    w, d = website.id, design.DesignId
    stored = StoredDesign(WebsiteId=w, DesignHash=content_hash, SavedAt=time.time(), Design=design)
    revision = render_revision(stored.summary(), website)

    try:
        with services.jobs.save_lock(w, d):
            existing = services.designs.load(w, d)
            changed = existing is None or existing.DesignHash != content_hash
            if changed:
                services.jobs.drop_pointer(w, d)
                services.designs.save(stored)
            services.jobs.set_pointer(w, d, stored.summary())
    except LockError:
        raise AppError(ErrorCode.QUEUE_UNAVAILABLE, {"Reason": "another save of this design is "
                                                     "still running"}) from None

    state = services.jobs.get(w, d, revision)
    if state is not None and state.status is JobStatus.FAILED:
        services.jobs.release(w, d, revision)  # re-saving a failed design is the way to retry it
        state = None
    if state is None and not services.storage.exists(layout.manifest_key(w, d, revision)):
        services.enqueuer.ensure_render(w, d, revision)
        state = services.jobs.get(w, d, revision)
    status = state.status.value if state else JobStatus.READY.value
    return {"DesignId": d, "Revision": revision, "Changed": changed, "Status": status,
            "Views": [v.ViewCode for v in design.Views], "DefaultView": design.DefaultView}


def _check_assets(services: Services, website: Website, design: DesignIn) -> None:
    """Every uploaded asset a design names must exist, so a missing one fails now with 242."""
    for index, view in enumerate(design.Views):
        for src in image_sources(view.Canvas):
            match = ASSET_RE.match(src)
            if match and not services.storage.exists(
                    layout.asset_key(website.id, match["sha"], match["ext"])):
                raise AppError(ErrorCode.ASSET_INVALID,
                               [{"Field": f"Views[{index}].Canvas", "Message": f"asset not found: {src}"}])
