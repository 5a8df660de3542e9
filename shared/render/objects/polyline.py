"""fabric.Polyline: an open run of points; box and pathOffset are derived from the points."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.render import transform as tf
from shared.render.engine import DrawContext
from shared.render.errors import RenderError
from shared.render.props import num, to_number


def points_of(obj: Mapping[str, Any]) -> list[tuple[float, float]]:
    raw = obj.get("points")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise RenderError("polyline points must be a list")
    points = []
    for point in raw:
        if not isinstance(point, Mapping):
            raise RenderError("polyline points must be {x, y} objects")
        points.append((to_number(point.get("x")), to_number(point.get("y"))))
    return points


def position_dimensions(obj: Mapping[str, Any], kind: str, left: float, top: float,
                        right: float, bottom: float) -> dict[str, Any]:
    """fabric Polyline._setPositionDimensions: size and pathOffset from geometry bounds.

    A missing left/top is placed so the stroke's outer edge sits at the geometry's corner.
    """
    result = {**obj, "width": right - left, "height": bottom - top,
              "pathOffset": {"x": (left + right) / 2, "y": (top + bottom) / 2}}
    half_stroke = num(obj, "strokeWidth", kind) / 2
    x, y = tf.from_top_left(result, kind, left - half_stroke, top - half_stroke)
    result.setdefault("left", x)
    result.setdefault("top", y)
    return result


def prepare_points(obj: Mapping[str, Any], kind: str) -> Mapping[str, Any]:
    points = points_of(obj)
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]
    return position_dimensions(obj, kind, min(xs), min(ys), max(xs), max(ys))


def prepare(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return prepare_points(obj, "polyline")


def outline(obj: Mapping[str, Any], closed: bool) -> skia.Path | None:
    """fabric commonRender: points relative to pathOffset; None when there is nothing to draw."""
    points = points_of(obj)
    if not points:
        return None
    offset = obj["pathOffset"]
    path = skia.Path()
    path.moveTo(points[0][0] - offset["x"], points[0][1] - offset["y"])
    for x, y in points:
        path.lineTo(x - offset["x"], y - offset["y"])
    if closed:
        path.close()
    return path


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    path = outline(obj, closed=False)
    if path is not None:
        ctx.fill_and_stroke(canvas, path, obj)
