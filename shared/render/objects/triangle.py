"""fabric.Triangle: isosceles, apex at the top centre of the box."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.render.engine import DrawContext
from shared.render.props import num


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    w, h = num(obj, "width", "triangle") / 2, num(obj, "height", "triangle") / 2
    path = skia.Path()
    path.moveTo(-w, h)
    path.lineTo(0, -h)
    path.lineTo(w, h)
    path.close()
    ctx.fill_and_stroke(canvas, path, obj)
