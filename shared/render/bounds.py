"""Conservative output-pixel bounds of what an object can paint, to size offscreen layers.

Layers for opacity, shadows and clip paths would otherwise span the whole output; a blur over a
4000×4000 layer costs far more than over the object. The bounds only need to contain the ink:
they pad for stroke joins and, for text, for glyphs that overhang their line box.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import skia

from shared.design.model import TEXT_KINDS, canonical_type
from shared.render import transform as tf
from shared.render.props import get, num

# canvas composite operations that replace the destination outside the drawn area as well
FULL_CANVAS_OPS = frozenset({"source-in", "source-out", "destination-in", "destination-atop", "copy"})

Prepare = Callable[[Mapping[str, Any], str], Mapping[str, Any]]


def local_bounds(obj: Mapping[str, Any], kind: str, prepare: Prepare) -> skia.Rect:
    """Bounds in the object's own unscaled frame (centre at 0), groups by their children."""
    if kind == "group":
        rect = skia.Rect.MakeEmpty()
        for child in obj.get("objects") or []:
            child_kind = canonical_type(child.get("type")) if isinstance(child, Mapping) else None
            if child_kind is None:
                continue
            prepared = prepare(child, child_kind)
            child_rect = local_bounds(prepared, child_kind, prepare)
            rect.join(to_skia(tf.own_matrix(prepared, child_kind)).mapRect(child_rect))
        return rect
    w, h = num(obj, "width", kind), num(obj, "height", kind)
    stroke = num(obj, "strokeWidth", kind) if get(obj, "stroke", kind) else 0.0
    pad = stroke / 2 * max(num(obj, "strokeMiterLimit", kind), 1.5)
    if get(obj, "strokeUniform", kind):
        scale = min(abs(num(obj, "scaleX", kind)), abs(num(obj, "scaleY", kind)))
        pad = pad / scale if scale else pad
    pad += stroke / 2 + 1
    if kind in TEXT_KINDS:
        pad += num({"fontSize": 40.0, **obj}, "fontSize") * 1.5
    return skia.Rect.MakeLTRB(-w / 2 - pad, -h / 2 - pad, w / 2 + pad, h / 2 + pad)


def device_bounds(canvas: skia.Canvas, local: skia.Rect, margin_px: float = 2.0) -> skia.Rect:
    """``local`` mapped through the canvas's current matrix, plus an anti-aliasing margin."""
    rect = canvas.getTotalMatrix().mapRect(local)
    return rect.makeOutset(margin_px, margin_px)


def to_skia(m: tf.Matrix) -> skia.Matrix:
    return skia.Matrix.MakeAll(m[0], m[2], m[4], m[1], m[3], m[5], 0.0, 0.0, 1.0)
