"""fabric.Circle: an arc of ``radius`` from startAngle to endAngle (degrees, clockwise)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.render.engine import DrawContext
from shared.render.props import num


def prepare(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    """fabric sets width = height = 2 × radius whenever radius is set."""
    if "radius" not in obj:
        return obj
    diameter = 2 * num(obj, "radius", "circle")
    return {**obj, "width": diameter, "height": diameter}


def arc_path(radius: float, start_deg: float, end_deg: float) -> skia.Path:
    """canvas arc(0, 0, r, start, end, false) with no closePath (fill closes it with a chord)."""
    path = skia.Path()
    oval = skia.Rect.MakeLTRB(-radius, -radius, radius, radius)
    sweep = end_deg - start_deg
    if sweep >= 360:
        sweep = 360.0
    else:
        sweep %= 360
    if sweep >= 360:
        path.addArc(oval, start_deg, 360)
    else:
        path.arcTo(oval, start_deg, sweep, True)
    return path


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    path = arc_path(num(obj, "radius", "circle"), num(obj, "startAngle", "circle"),
                    num(obj, "endAngle", "circle"))
    ctx.fill_and_stroke(canvas, path, obj)
