"""Reading fabric object properties with fabric 5 defaults and JavaScript coercion.

fabric copies every JSON key onto the object (``null`` included) and falls back to the class
prototype for missing keys; arithmetic then coerces ``null`` to 0. These helpers do the same so
sparse and hand-written JSON render as fabric would render it.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

# fabric.Object.prototype values that matter for drawing.
DEFAULTS: dict[str, Any] = {
    "originX": "left", "originY": "top", "left": 0.0, "top": 0.0, "width": 0.0, "height": 0.0,
    "scaleX": 1.0, "scaleY": 1.0, "angle": 0.0, "skewX": 0.0, "skewY": 0.0,
    "flipX": False, "flipY": False, "opacity": 1.0, "visible": True,
    "fill": "rgb(0,0,0)", "stroke": None, "strokeWidth": 1.0, "strokeDashArray": None,
    "strokeDashOffset": 0.0, "strokeLineCap": "butt", "strokeLineJoin": "miter",
    "strokeMiterLimit": 4.0, "strokeUniform": False, "paintFirst": "fill", "fillRule": "nonzero",
    "globalCompositeOperation": "source-over", "shadow": None, "backgroundColor": "",
    "objectCaching": True,
}

# Per-class prototype overrides (fabric.Image and fabric.Group have no stroke by default).
KIND_DEFAULTS: dict[str, dict[str, Any]] = {
    "image": {"strokeWidth": 0.0, "cropX": 0.0, "cropY": 0.0},
    "group": {"strokeWidth": 0.0},
    "circle": {"radius": 0.0, "startAngle": 0.0, "endAngle": 360.0},
    "ellipse": {"rx": 0.0, "ry": 0.0},
    "rect": {"rx": 0.0, "ry": 0.0},
    "line": {"x1": 0.0, "y1": 0.0, "x2": 0.0, "y2": 0.0},
}

_MISSING = object()


def get(obj: Mapping[str, Any], name: str, kind: str | None = None) -> Any:
    """The raw property value: the JSON value if present (even null), else the prototype default."""
    value = obj.get(name, _MISSING)
    if value is not _MISSING:
        return value
    if kind is not None and name in KIND_DEFAULTS.get(kind, {}):
        return KIND_DEFAULTS[kind][name]
    return DEFAULTS.get(name)


def to_number(value: Any, default: float = 0.0) -> float:
    """JavaScript ``Number(value)`` for JSON values: null/false → 0, true → 1, bad → default."""
    if value is None or value is False:
        return 0.0
    if value is True:
        return 1.0
    if isinstance(value, (int, float)):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip() or 0)
        except ValueError:
            return default
    else:
        return default
    return result if math.isfinite(result) else default


def num(obj: Mapping[str, Any], name: str, kind: str | None = None) -> float:
    """A numeric property with fabric's default and coercion."""
    default = get({}, name, kind)
    return to_number(get(obj, name, kind), to_number(default))


def flag(obj: Mapping[str, Any], name: str, kind: str | None = None) -> bool:
    """A boolean property (JavaScript truthiness)."""
    return bool(get(obj, name, kind))
