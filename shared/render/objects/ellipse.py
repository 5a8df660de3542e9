"""fabric.Ellipse: a full ellipse with radii rx, ry starting at angle 0."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.render.engine import DrawContext
from shared.render.props import num


def prepare(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    """fabric sets width = 2 × rx and height = 2 × ry whenever the radii are set."""
    result = dict(obj)
    if "rx" in obj:
        result["width"] = 2 * num(obj, "rx", "ellipse")
    if "ry" in obj:
        result["height"] = 2 * num(obj, "ry", "ellipse")
    return result


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    rx, ry = num(obj, "rx", "ellipse"), num(obj, "ry", "ellipse")
    path = skia.Path()
    path.addArc(skia.Rect.MakeLTRB(-rx, -ry, rx, ry), 0, 360)
    ctx.fill_and_stroke(canvas, path, obj)
