"""The per-revision manifest, written LAST by a render job: its presence means every rendition it
lists is complete in storage, so readers never see a half-uploaded set (spec §4)."""
from __future__ import annotations

from pydantic import BaseModel, Field


class ViewRenditions(BaseModel):
    full: tuple[int, int]
    dpi: float | None = None
    sizes: list[tuple[int, int]]  # every stored size of this view, full size included

    def smallest_covering(self, width: int, height: int) -> tuple[int, int] | None:
        """The smallest stored rendition at least width × height (the source for a cheap resize)."""
        covering = [s for s in self.sizes if s[0] >= width and s[1] >= height]
        return min(covering, key=lambda s: s[0] * s[1]) if covering else None


class Manifest(BaseModel):
    revision: str
    renderer_version: str
    media_type: str
    views: dict[str, ViewRenditions]
    warnings: list[str] = Field(default_factory=list)
    fabric_version: str | None = None
    rendered_at: float
    render_ms: float
