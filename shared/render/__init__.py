"""The renderer: fabric.js canvas JSON → transparent RGBA pixels, drawn with skia.

A pure library: the caller resolves images and fonts; nothing here does I/O.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import PIL.Image
import skia

from shared.render.engine import DrawContext, apply_clip_path, render_object
from shared.render.errors import RenderError

if TYPE_CHECKING:
    from shared.render.fonts import FontRegistry

__all__ = ["RENDERER_VERSION", "RenderError", "RenderResult", "render_view"]

# Part of every design revision: bump whenever the pixels for the same JSON change.
RENDERER_VERSION = "1"


@dataclass
class RenderResult:
    image: PIL.Image.Image
    warnings: list[str] = field(default_factory=list)


def render_view(canvas: Mapping[str, Any], width: int, height: int, *, scale: float,
                offset_x: float = 0.0, offset_y: float = 0.0,
                images: Mapping[str, PIL.Image.Image], fonts: "FontRegistry") -> RenderResult:
    """Draw the design layer of one view: output pixel = (offset_x, offset_y) + scale × canvas point.

    The canvas background/overlay are never drawn; a canvas-level clipPath is applied.
    Raises RenderError for anything that cannot be drawn faithfully.
    """
    if width <= 0 or height <= 0:
        raise RenderError(f"output size must be positive, got {width}x{height}")
    surface = skia.Surface(width, height)
    sk_canvas = surface.getCanvas()
    sk_canvas.clear(skia.ColorTRANSPARENT)
    device = (scale, 0.0, 0.0, scale, offset_x, offset_y)
    ctx = DrawContext(images=images, fonts=fonts, warnings=[], scale=scale, device=device)
    sk_canvas.setMatrix(skia.Matrix.MakeAll(scale, 0, offset_x, 0, scale, offset_y, 0, 0, 1))
    objects = canvas.get("objects")
    for index, obj in enumerate(objects if isinstance(objects, list) else []):
        if not isinstance(obj, Mapping):
            raise RenderError(f"objects[{index}] is not an object")
        render_object(sk_canvas, obj, ctx)
    clip = canvas.get("clipPath")
    if isinstance(clip, Mapping):
        apply_clip_path(sk_canvas, clip, ctx, inverted_allowed=False)
    pixels = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType,
                                                 alphaType=skia.kUnpremul_AlphaType)
    return RenderResult(PIL.Image.fromarray(pixels, "RGBA"), ctx.warnings)
