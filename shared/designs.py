"""Saved designs in storage (``designs/{websiteId}/{designId}.json``)."""
from __future__ import annotations

from shared import layout
from shared.design.document import StoredDesign
from shared.storage import Storage


class DesignStore:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    def load(self, website_id: int, design_id: int) -> StoredDesign | None:
        stored = self._storage.get(layout.design_key(website_id, design_id))
        return StoredDesign.model_validate_json(stored.data) if stored else None

    def save(self, design: StoredDesign) -> None:
        self._storage.put(
            layout.design_key(design.WebsiteId, design.Design.DesignId),
            design.model_dump_json().encode(),
            content_type="application/json",
            cache_control="no-store",
        )
