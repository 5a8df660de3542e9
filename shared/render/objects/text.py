"""fabric text, i-text and textbox: layout as fabric 5.3 does it, glyph outlines painted by the engine.

The engine calls ``draw`` with (0,0) at the object's centre in its own unscaled units, like fabric's
``_render(ctx)``. fabric recomputes a text's width and height when it loads the JSON, so placement
uses ``prepare`` (the engine's hook) rather than the saved ``width``/``height``, which can be stale or
absent.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.design.model import canonical_type
from shared.render import pathdata
from shared.render.fonts import FontRegistry
from shared.render.text.draw import paint_text
from shared.render.text.layout import TextLayout, layout_text
from shared.render.text.metrics import StyleFonts
from shared.render.text.textpath import paint_text_on_path

KINDS = ("text", "i-text", "textbox")


def layout(obj: Mapping[str, Any], ctx: Any) -> tuple[TextLayout, StyleFonts]:
    """The fabric layout of a text object; font warnings go to ``ctx.warnings``."""
    kind = canonical_type(obj.get("type")) or "text"
    fonts = StyleFonts(ctx.fonts, ctx.warnings)
    return layout_text(obj, kind, fonts.measure), fonts


def dimensions(obj: Mapping[str, Any], fonts: FontRegistry) -> tuple[float, float]:
    """(width, height) fabric computes for this object on load (what positions it on the canvas)."""
    if isinstance(obj.get("path"), Mapping):
        left, top, right, bottom = pathdata.bounds(pathdata.simplify(pathdata.parse(obj["path"].get("path") or [])))
        return right - left, bottom - top
    kind = canonical_type(obj.get("type")) or "text"
    text_layout = layout_text(obj, kind, StyleFonts(fonts, []).measure)
    return text_layout.width, text_layout.height


def prepare(obj: Mapping[str, Any], fonts: FontRegistry) -> dict[str, Any]:
    """The object with the width/height fabric recomputes on load (saved ones may be stale or absent)."""
    width, height = dimensions(obj, fonts)
    return {**obj, "width": width, "height": height}


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: Any) -> None:
    text_layout, fonts = layout(obj, ctx)
    if isinstance(obj.get("path"), Mapping):
        text_layout.width, text_layout.height = dimensions(obj, ctx.fonts)
        paint_text_on_path(canvas, text_layout, fonts, ctx)
    else:
        paint_text(canvas, text_layout, fonts, ctx)
