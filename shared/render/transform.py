"""fabric 5 geometry as pure matrix math: object box, origins, own matrix, decomposition.

Matrices are fabric's 6-tuples ``(a, b, c, d, e, f)``: x' = a·x + c·y + e, y' = b·x + d·y + f.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from shared.render.props import get, num, flag

Matrix = tuple[float, float, float, float, float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_ORIGIN_X = {"left": -0.5, "center": 0.0, "right": 0.5}
_ORIGIN_Y = {"top": -0.5, "center": 0.0, "bottom": 0.5}


def multiply(a: Matrix, b: Matrix) -> Matrix:
    """``a · b`` (fabric.util.multiplyTransformMatrices): b is applied first."""
    return (
        a[0] * b[0] + a[2] * b[1],
        a[1] * b[0] + a[3] * b[1],
        a[0] * b[2] + a[2] * b[3],
        a[1] * b[2] + a[3] * b[3],
        a[0] * b[4] + a[2] * b[5] + a[4],
        a[1] * b[4] + a[3] * b[5] + a[5],
    )


def invert(m: Matrix) -> Matrix:
    det = m[0] * m[3] - m[1] * m[2]
    if det == 0:
        return IDENTITY
    r = 1.0 / det
    a, b, c, d = m[3] * r, -m[1] * r, -m[2] * r, m[0] * r
    return (a, b, c, d, -(a * m[4] + c * m[5]), -(b * m[4] + d * m[5]))


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def translate(x: float, y: float) -> Matrix:
    return (1.0, 0.0, 0.0, 1.0, x, y)


def scale(sx: float, sy: float) -> Matrix:
    return (sx, 0.0, 0.0, sy, 0.0, 0.0)


def dimensions_matrix(scale_x: float, scale_y: float, skew_x: float, skew_y: float,
                      flip_x: bool, flip_y: bool) -> Matrix:
    """fabric.util.calcDimensionsMatrix: scale (with flips) · skewX · skewY, angles in degrees."""
    m = scale(-scale_x if flip_x else scale_x, -scale_y if flip_y else scale_y)
    if skew_x:
        m = multiply(m, (1.0, 0.0, math.tan(math.radians(skew_x)), 1.0, 0.0, 0.0))
    if skew_y:
        m = multiply(m, (1.0, math.tan(math.radians(skew_y)), 0.0, 1.0, 0.0, 0.0))
    return m


def rotate(angle_deg: float) -> Matrix:
    rad = math.radians(angle_deg)
    cos, sin = math.cos(rad), math.sin(rad)
    return (cos, sin, -sin, cos, 0.0, 0.0)


def origin_factor(value: Any, axis: str) -> float:
    """fabric's originXOffset/originYOffset; numeric origins are fractions of the box (0..1)."""
    table = _ORIGIN_X if axis == "x" else _ORIGIN_Y
    if isinstance(value, str):
        return table.get(value, -0.5)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) - 0.5
    return -0.5


def size_after_transform(width: float, height: float, m: Matrix) -> tuple[float, float]:
    """Axis-aligned size of a width×height box centred at 0 under the linear part of m."""
    xs, ys = [], []
    for px, py in ((-width / 2, -height / 2), (width / 2, -height / 2),
                   (-width / 2, height / 2), (width / 2, height / 2)):
        x, y = m[0] * px + m[2] * py, m[1] * px + m[3] * py
        xs.append(x)
        ys.append(y)
    return max(xs) - min(xs), max(ys) - min(ys)


def transformed_dimensions(obj: Mapping[str, Any], kind: str, *, skew: bool = True) -> tuple[float, float]:
    """fabric _getTransformedDimensions: the scaled (and skewed) box including the stroke.

    The stroke counts once, unscaled, when ``strokeUniform`` is set.
    """
    stroke_width = num(obj, "strokeWidth", kind)
    uniform = flag(obj, "strokeUniform", kind)
    dim_x = num(obj, "width", kind) + (0.0 if uniform else stroke_width)
    dim_y = num(obj, "height", kind) + (0.0 if uniform else stroke_width)
    sx, sy = num(obj, "scaleX", kind), num(obj, "scaleY", kind)
    skew_x = num(obj, "skewX", kind) if skew else 0.0
    skew_y = num(obj, "skewY", kind) if skew else 0.0
    if skew_x == 0 and skew_y == 0:
        w, h = dim_x * sx, dim_y * sy
    else:
        w, h = size_after_transform(dim_x, dim_y,
                                    dimensions_matrix(sx, sy, skew_x, skew_y, False, False))
    if uniform:
        return w + stroke_width, h + stroke_width
    return w, h


def center_point(obj: Mapping[str, Any], kind: str) -> tuple[float, float]:
    """fabric getCenterPoint: (left, top) moved from the origin to the centre, rotated about it."""
    left, top = num(obj, "left", kind), num(obj, "top", kind)
    off_x = -origin_factor(get(obj, "originX", kind), "x")
    off_y = -origin_factor(get(obj, "originY", kind), "y")
    x, y = left, top
    if off_x or off_y:
        dim_x, dim_y = transformed_dimensions(obj, kind)
        x, y = left + off_x * dim_x, top + off_y * dim_y
    angle = num(obj, "angle", kind)
    if angle:
        rad = math.radians(angle)
        cos, sin = math.cos(rad), math.sin(rad)
        dx, dy = x - left, y - top
        x, y = left + dx * cos - dy * sin, top + dx * sin + dy * cos
    return x, y


def from_top_left(obj: Mapping[str, Any], kind: str, x: float, y: float) -> tuple[float, float]:
    """fabric translateToGivenOrigin(point, 'left', 'top', originX, originY), without rotation.

    Used where fabric derives a missing left/top from geometry (polylines, paths).
    """
    dim_x, dim_y = transformed_dimensions(obj, kind)
    return (x + (origin_factor(get(obj, "originX", kind), "x") + 0.5) * dim_x,
            y + (origin_factor(get(obj, "originY", kind), "y") + 0.5) * dim_y)


def own_matrix(obj: Mapping[str, Any], kind: str) -> Matrix:
    """fabric calcOwnMatrix: translate(centre) · rotate(angle) · scale(flip) · skewX · skewY."""
    cx, cy = center_point(obj, kind)
    m = translate(cx, cy)
    angle = num(obj, "angle", kind)
    if angle:
        m = multiply(m, rotate(angle))
    return multiply(m, dimensions_matrix(
        num(obj, "scaleX", kind), num(obj, "scaleY", kind), num(obj, "skewX", kind),
        num(obj, "skewY", kind), flag(obj, "flipX", kind), flag(obj, "flipY", kind)))


def decompose_scale(m: Matrix) -> tuple[float, float]:
    """fabric.util.qrDecompose scale factors, as absolute values (getObjectScaling in a group)."""
    denom = math.hypot(m[0], m[1])
    if denom == 0:
        return 0.0, 0.0
    return abs(denom), abs((m[0] * m[3] - m[2] * m[1]) / denom)


def max_scale(m: Matrix) -> float:
    """The largest stretch of the linear part: how many output pixels one unit can cover."""
    return max(math.hypot(m[0], m[1]), math.hypot(m[2], m[3]))
