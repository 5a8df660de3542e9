"""fabric.Polygon: a polyline closed back to its first point."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.render.engine import DrawContext
from shared.render.objects.polyline import outline, prepare_points


def prepare(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return prepare_points(obj, "polygon")


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    path = outline(obj, closed=True)
    if path is not None:
        ctx.fill_and_stroke(canvas, path, obj)
