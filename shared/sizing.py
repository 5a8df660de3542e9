"""Size rules of GetDesignImage (spec §3) and the rendition set of a view (spec §5). Pure functions.

One rounding rule everywhere: round half up (``floor(x + 0.5)``), so a print size computed from a
fractional canvas and multiplier is the same in every view and every process.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from shared.errors import AppError, ErrorCode


def round_half_up(value: float) -> int:
    return int(math.floor(value + 0.5))


@dataclass(frozen=True)
class ViewGeometry:
    """A view's editor canvas (fabric units, may be fractional) and its print multiplier."""

    canvas_width: float
    canvas_height: float
    print_multiplier: float = 1.0

    @property
    def full_size(self) -> tuple[int, int]:
        """The print-ready size: canvas × multiplier, each side at least 1 px."""
        return (
            max(1, round_half_up(self.canvas_width * self.print_multiplier)),
            max(1, round_half_up(self.canvas_height * self.print_multiplier)),
        )

    def fit(self, width: int, height: int) -> tuple[int, int]:
        """Size of the design scaled to fit inside width × height, aspect kept."""
        scale = min(width / self.canvas_width, height / self.canvas_height)
        return (
            min(width, max(1, round_half_up(self.canvas_width * scale))),
            min(height, max(1, round_half_up(self.canvas_height * scale))),
        )

    def longest_side(self, side: int) -> tuple[int, int]:
        """The size whose longest side is ``side``, aspect kept (a thumbnail size)."""
        return self.fit(side, side)


@dataclass(frozen=True)
class OutputSize:
    """A requested image: ``width × height`` with the design drawn as ``content`` at ``offset``."""

    width: int
    height: int
    content_width: int
    content_height: int

    @property
    def offset(self) -> tuple[int, int]:
        return (self.width - self.content_width) // 2, (self.height - self.content_height) // 2

    @property
    def padded(self) -> bool:
        return (self.width, self.height) != (self.content_width, self.content_height)

    @property
    def name(self) -> str:
        return f"{self.width}x{self.height}"


@dataclass(frozen=True)
class Limits:
    max_side_px: int
    max_area_px: int

    def check(self, width: int, height: int) -> None:
        if width > self.max_side_px or height > self.max_side_px or width * height > self.max_area_px:
            raise AppError(
                ErrorCode.SIZE_TOO_LARGE,
                {"Width": width, "Height": height, "MaxSide": self.max_side_px,
                 "MaxArea": self.max_area_px},
            )


def resolve_size(view: ViewGeometry, width: int, height: int, limits: Limits) -> OutputSize:
    """Spec §3 size rules. Zero means absent. Raises 234 over the limits."""
    if width < 0 or height < 0:
        raise AppError(ErrorCode.SIZE_INVALID)
    if not width and not height:
        width, height = view.full_size
    elif not height:
        height = max(1, round_half_up(width * view.canvas_height / view.canvas_width))
    elif not width:
        width = max(1, round_half_up(height * view.canvas_width / view.canvas_height))
    limits.check(width, height)
    content_width, content_height = view.fit(width, height)
    return OutputSize(width, height, content_width, content_height)


def rendition_sizes(view: ViewGeometry, thumbnail_sides: list[int]) -> list[tuple[int, int]]:
    """What one render job produces for a view: full size, then each thumbnail smaller than it,
    largest first (so each thumbnail can be resized from the previous one)."""
    full = view.full_size
    sizes = {full}
    for side in thumbnail_sides:
        if side < max(full):
            sizes.add(view.longest_side(side))
    return sorted(sizes, key=lambda s: s[0] * s[1], reverse=True)


def upscale_size(view: ViewGeometry, content: tuple[int, int], limits: Limits) -> tuple[int, int]:
    """The re-render size for content larger than the full size: the full size doubled until it
    covers ``content``, capped at the limits. A bounded ladder, so arbitrary widths cannot cause
    unbounded renders (field case F14d)."""
    full_w, full_h = view.full_size
    factor = 2
    while full_w * factor < content[0] or full_h * factor < content[1]:
        factor *= 2
    cap = min(
        limits.max_side_px / full_w,
        limits.max_side_px / full_h,
        math.sqrt(limits.max_area_px / (full_w * full_h)),
    )
    if factor > cap:
        return max(1, math.floor(full_w * cap)), max(1, math.floor(full_h * cap))
    return full_w * factor, full_h * factor
