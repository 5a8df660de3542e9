"""What the renderer cannot draw faithfully, per object, for SaveDesign validation (code 240).

Anything listed here would otherwise come out different from what the customer saw in the editor,
so the design is refused instead of producing a silently wrong print file.
"""
from __future__ import annotations

import importlib
import math
from collections.abc import Mapping
from typing import Any

from shared.design.model import TEXT_KINDS, canonical_type
from shared.render import pathdata
from shared.render.errors import RenderError
from shared.render.paint import BLEND_MODES, is_gradient, parse_color


def unsupported_features(obj: Mapping[str, Any]) -> list[str]:
    """Human-readable reasons this one object (not its children) cannot be drawn faithfully."""
    kind = canonical_type(obj.get("type"))
    if kind is None:
        return [f"object type {obj.get('type')!r} is not supported"]
    reasons: list[str] = []
    filters = obj.get("filters")
    if isinstance(filters, list) and any(f is not None for f in filters):
        reasons.append("image filters are not supported")
    if obj.get("resizeFilter"):
        reasons.append("image resizeFilter is not supported")
    op = obj.get("globalCompositeOperation")
    if op not in (None, "") and op not in BLEND_MODES:
        reasons.append(f"globalCompositeOperation {op!r} is not supported")
    for name in ("fill", "stroke"):
        reason = _paint_reason(name, obj.get(name))
        if reason:
            reasons.append(reason)
    if obj.get("eraser"):
        reasons.append("erased areas (eraser) are not supported")
    if kind in TEXT_KINDS:
        reasons.extend(_text_reasons(obj))
    if kind == "path":
        reasons.extend(_path_reasons(obj.get("path")))
    if kind in ("polyline", "polygon"):
        reasons.extend(_points_reasons(obj.get("points")))
    return reasons


def _path_reasons(path: Any) -> list[str]:
    """Path data the parser refuses would fail the render job; say so at SaveDesign instead."""
    try:
        pathdata.simplify(pathdata.parse(path if path is not None else []))
    except RenderError as exc:
        return [str(exc)]
    return []


def _points_reasons(points: Any) -> list[str]:
    if points is None:
        return []
    if not isinstance(points, list) or not all(
            isinstance(p, Mapping) and all(_is_number(p.get(k)) for k in ("x", "y")) for p in points):
        return ["points must be a list of {x, y} numbers"]
    return []


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _paint_reason(name: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            parse_color(value)
        except ValueError:
            return f"{name} colour {value!r} is not a valid CSS colour"
        return None
    if isinstance(value, Mapping) and ("source" in value or value.get("type") == "pattern"):
        return f"pattern {name} is not supported"
    if is_gradient(value):
        if value.get("type", "linear") not in ("linear", "radial"):
            return f"gradient type {value.get('type')!r} is not supported"
        return None
    return f"{name} value of this form is not supported"


def _text_reasons(obj: Mapping[str, Any]) -> list[str]:
    """Text-specific limits come from the text module when it declares them."""
    try:
        text_module = importlib.import_module("shared.render.objects.text")
    except ModuleNotFoundError:
        return ["text objects are not supported yet"]
    hook = getattr(text_module, "unsupported_features", None)
    return list(hook(obj)) if hook is not None else []
