"""fabric.Line: a stroked segment; its box is derived from x1, y1, x2, y2 (never the JSON size)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.render.engine import DrawContext
from shared.render.props import num


def prepare(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    """fabric Line._setWidthHeight: |x2 − x1| × |y2 − y1|; a missing left/top comes from the points."""
    x1, y1, x2, y2 = (num(obj, k, "line") for k in ("x1", "y1", "x2", "y2"))
    result = {**obj, "width": abs(x2 - x1), "height": abs(y2 - y1)}
    result.setdefault("left", _edge_to_origin(obj.get("originX", "left"), x1, x2, "left", "right"))
    result.setdefault("top", _edge_to_origin(obj.get("originY", "top"), y1, y2, "top", "bottom"))
    return result


def _edge_to_origin(origin: Any, a: float, b: float, nearest: str, farthest: str) -> float:
    """fabric makeEdgeToOriginGetter (note: ignores the stroke width)."""
    if origin == nearest:
        return min(a, b)
    if origin == farthest:
        return max(a, b)
    return min(a, b) + abs(b - a) / 2


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    x1, y1, x2, y2 = (num(obj, k, "line") for k in ("x1", "y1", "x2", "y2"))
    w, h = num(obj, "width", "line"), num(obj, "height", "line")
    x_mult = -1 if x1 <= x2 else 1
    y_mult = -1 if y1 <= y2 else 1
    path = skia.Path()
    path.moveTo(x_mult * w / 2, y_mult * h / 2)
    path.lineTo(-x_mult * w / 2, -y_mult * h / 2)
    ctx.fill_and_stroke(canvas, path, obj, fill=None)
