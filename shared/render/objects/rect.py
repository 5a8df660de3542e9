"""fabric.Rect: a box with optional rounded corners (fabric's own bezier corner constant)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.render.engine import DrawContext
from shared.render.props import num

_K = 1 - 0.5522847498  # fabric's corner control-point factor


def outline(width: float, height: float, rx: float, ry: float) -> skia.Path:
    """fabric Rect._render's path, centred at 0; radii clamp to half the size."""
    rx = min(rx, width / 2) if rx else 0.0
    ry = min(ry, height / 2) if ry else 0.0
    x, y, w, h = -width / 2, -height / 2, width, height
    rounded = rx != 0 or ry != 0
    path = skia.Path()
    path.moveTo(x + rx, y)
    path.lineTo(x + w - rx, y)
    if rounded:
        path.cubicTo(x + w - _K * rx, y, x + w, y + _K * ry, x + w, y + ry)
    path.lineTo(x + w, y + h - ry)
    if rounded:
        path.cubicTo(x + w, y + h - _K * ry, x + w - _K * rx, y + h, x + w - rx, y + h)
    path.lineTo(x + rx, y + h)
    if rounded:
        path.cubicTo(x + _K * rx, y + h, x, y + h - _K * ry, x, y + h - ry)
    path.lineTo(x, y + ry)
    if rounded:
        path.cubicTo(x, y + _K * ry, x + _K * rx, y, x + rx, y)
    path.close()
    return path


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    path = outline(num(obj, "width", "rect"), num(obj, "height", "rect"),
                   num(obj, "rx", "rect"), num(obj, "ry", "rect"))
    ctx.fill_and_stroke(canvas, path, obj)
