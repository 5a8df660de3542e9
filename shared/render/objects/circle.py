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


def arc_path(radius: float, start_deg: float, end_deg: float, counter_clockwise: bool = False) -> skia.Path:
    """canvas arc(0, 0, r, start, end, ccw) with no closePath (a fill closes it with a chord).

    fabric 6 JSON may carry ``counterClockwise``; fabric 5 JSON never sets it.
    """
    path = skia.Path()
    oval = skia.Rect.MakeLTRB(-radius, -radius, radius, radius)
    span = start_deg - end_deg if counter_clockwise else end_deg - start_deg
    if span >= 360:
        path.addArc(oval, start_deg, -360 if counter_clockwise else 360)
        return path
    sweep = span % 360
    path.arcTo(oval, start_deg, -sweep if counter_clockwise else sweep, True)
    return path


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    path = arc_path(num(obj, "radius", "circle"), num(obj, "startAngle", "circle"),
                    num(obj, "endAngle", "circle"), bool(obj.get("counterClockwise")))
    ctx.fill_and_stroke(canvas, path, obj)
