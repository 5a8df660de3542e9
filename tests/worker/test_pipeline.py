"""The render pipeline over in-memory storage: what it writes, in which order, and when it refuses."""
from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from shared import layout
from shared.design.document import DesignIn, StoredDesign
from shared.design.revision import design_hash, render_revision
from shared.designs import DesignStore
from shared.settings import Settings
from shared.storage import MemoryStorage
from shared.websites import WebsiteStore
from tests import factories
from worker.pipeline import Superseded, render_design
from worker.resources import ResourceError


class RecordingStorage(MemoryStorage):
    def __init__(self) -> None:
        super().__init__()
        self.puts: list[str] = []

    def put(self, key, data, *, content_type, cache_control=None):
        self.puts.append(key)
        super().put(key, data, content_type=content_type, cache_control=cache_control)


def saved(storage: MemoryStorage, body: dict, **website_extra) -> str:
    site, _ = factories.website(23, **website_extra)
    WebsiteStore(storage).save(site)
    design = DesignIn.model_validate(body)
    content = design_hash(design.model_dump(mode="json"))
    stored = StoredDesign(WebsiteId=23, DesignHash=content, SavedAt=0, Design=design)
    DesignStore(storage).save(stored)
    return render_revision(stored.summary(), site)


def test_every_view_and_size_then_manifest_last():
    storage = RecordingStorage()
    body = factories.design(1, factories.view("front", width=600, height=300),
                            factories.view("back", width=100, height=100, PrintMultiplier=3, Dpi=150))
    revision = saved(storage, body)
    storage.puts.clear()
    outcome = render_design(storage, Settings(), 23, 1, revision)
    assert storage.puts[-1] == layout.manifest_key(23, 1, revision)
    renders = [k for k in storage.puts if k.endswith(".png")]
    assert len(renders) == outcome.uploads == len(set(renders))
    front = outcome.manifest.views["front"]
    assert front.sizes == [(600, 300), (512, 256), (256, 128), (128, 64), (64, 32)]
    back = outcome.manifest.views["back"]
    assert back.full == (300, 300) and (256, 256) in back.sizes and (1024, 1024) not in back.sizes
    full = Image.open(io.BytesIO(storage.get(
        layout.rendition_key(23, 1, revision, "back", 300, 300, "png")).data))
    assert round(full.info["dpi"][0]) == 150
    thumb = Image.open(io.BytesIO(storage.get(
        layout.rendition_key(23, 1, revision, "back", 64, 64, "png")).data))
    assert round(thumb.info["dpi"][0]) == 32  # same physical size as the print file
    assert json.loads(storage.get(layout.manifest_key(23, 1, revision)).data)["revision"] == revision


def test_second_run_of_a_finished_revision_uploads_nothing():
    storage = RecordingStorage()
    revision = saved(storage, factories.design(2))
    render_design(storage, Settings(), 23, 2, revision)
    storage.puts.clear()
    render_design(storage, Settings(), 23, 2, revision)
    assert storage.puts == []


def test_outdated_revision_is_superseded_and_writes_nothing():
    storage = RecordingStorage()
    old = saved(storage, factories.design(3))
    saved(storage, factories.design(3, factories.view("front", factories.rect(fill="#00ff00"))))
    storage.puts.clear()
    with pytest.raises(Superseded):
        render_design(storage, Settings(), 23, 3, old)
    assert storage.puts == []


def test_missing_asset_fails_before_any_upload():
    storage = RecordingStorage()
    src = "asset:" + "a" * 64 + ".png"
    revision = saved(storage, factories.design(4, factories.view("front", {"type": "image", "src": src})))
    storage.puts.clear()
    with pytest.raises(ResourceError, match="asset not found"):
        render_design(storage, Settings(), 23, 4, revision)
    assert storage.puts == []


def test_jpeg_and_webp_websites_encode_their_media_type():
    for media_type, fmt in (("image/jpeg", "JPEG"), ("image/webp", "WEBP")):
        storage = MemoryStorage()
        revision = saved(storage, factories.design(5), design_image_media_type=media_type)
        outcome = render_design(storage, Settings(), 23, 5, revision)
        ext = {"image/jpeg": "jpg", "image/webp": "webp"}[media_type]
        key = layout.rendition_key(23, 5, revision, "front", 200, 100, ext)
        stored = storage.get(key)
        assert stored.content_type == media_type and outcome.manifest.media_type == media_type
        assert Image.open(io.BytesIO(stored.data)).format == fmt
