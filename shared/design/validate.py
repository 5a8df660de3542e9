"""SaveDesign validation: limits first, then the body model, then every object of every view.

Anything the renderer cannot draw faithfully is refused here with 240 and the object's path
(spec §6), so a print file is never silently wrong. Nothing is stored when this raises.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from shared.design.document import DesignIn
from shared.design.model import canonical_type, walk_objects
from shared.design.sources import SourceNotAllowed, classify, inspect_data_url
from shared.errors import AppError, ErrorCode
from shared.settings import Settings
from shared.websites import Website

NUMERIC_FIELDS = (
    "left", "top", "width", "height", "scaleX", "scaleY", "angle", "skewX", "skewY", "opacity",
    "strokeWidth", "rx", "ry", "radius", "fontSize", "lineHeight", "charSpacing", "cropX", "cropY",
    "x1", "y1", "x2", "y2", "startAngle", "endAngle", "strokeMiterLimit",
)

# Ranges outside which a value draws nothing (or nothing sensible) in the editor either: refused
# so a print file is never silently blank. (low, high), inclusive.
RANGES: dict[str, tuple[float, float]] = {
    "fontSize": (0.01, 10_000),
    "scaleX": (-10_000, 10_000),
    "scaleY": (-10_000, 10_000),
    "left": (-1e6, 1e6),
    "top": (-1e6, 1e6),
    "width": (0, 1e6),
    "height": (0, 1e6),
    "strokeWidth": (0, 10_000),
    "charSpacing": (-10_000, 100_000),
    "lineHeight": (0, 100),
}


def parse_design(body: bytes, website: Website, settings: Settings) -> DesignIn:
    if len(body) > settings.max_body_bytes:
        raise AppError(ErrorCode.TOO_LARGE, {"MaxBytes": settings.max_body_bytes})
    raw = _load_json(body, settings.max_json_depth)
    try:
        design = DesignIn.model_validate(raw)
    except ValidationError as exc:
        raise AppError(ErrorCode.DESIGN_INVALID, _pydantic_details(exc)) from None
    if len(design.Views) > settings.max_views:
        raise AppError(ErrorCode.TOO_LARGE, {"Views": len(design.Views), "MaxViews": settings.max_views})
    _check_print_sizes(design, settings)
    total = 0
    for index, view in enumerate(design.Views):
        total += _check_canvas(view.Canvas, f"Views[{index}].Canvas", website, settings)
        if total > settings.max_objects:
            raise AppError(ErrorCode.TOO_LARGE, {"Objects": total, "MaxObjects": settings.max_objects})
    return design


def _check_print_sizes(design: DesignIn, settings: Settings) -> None:
    """Every view's print size (canvas × multiplier) must be a size the service may render and
    serve; a larger one would be rendered for nothing or exhaust a worker's memory."""
    for index, view in enumerate(design.Views):
        width, height = view.geometry.full_size
        if (width > settings.max_side_px or height > settings.max_side_px
                or width * height > settings.max_area_px):
            raise AppError(ErrorCode.TOO_LARGE, [_detail(
                f"Views[{index}]", f"print size {width}x{height} px (canvas × PrintMultiplier) is "
                f"over the limits: each side ≤ {settings.max_side_px}, area ≤ {settings.max_area_px}")])


def _load_json(body: bytes, max_depth: int) -> Any:
    try:
        raw = json.loads(body)
    except RecursionError:
        raise AppError(ErrorCode.DESIGN_INVALID, [_detail("", "JSON is nested too deeply")]) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise AppError(ErrorCode.DESIGN_INVALID, [_detail("", f"not valid JSON: {exc}")]) from None
    depth = _depth(raw)
    if depth > max_depth:
        raise AppError(ErrorCode.DESIGN_INVALID,
                       [_detail("", f"JSON is nested {depth} levels deep; the limit is {max_depth}")])
    return raw


def _depth(value: Any) -> int:
    """Nesting depth without recursion (the input may be hostile)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, dict):
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)
    return deepest


def _check_canvas(canvas: Mapping[str, Any], path: str, website: Website, settings: Settings) -> int:
    objects = canvas.get("objects", [])
    if not isinstance(objects, list):
        raise AppError(ErrorCode.DESIGN_INVALID, [_detail(f"{path}.objects", "must be a list")])
    count = 0
    for obj_path, obj in walk_objects(canvas):
        count += 1
        where = f"{path}.{obj_path}"
        kind = canonical_type(obj.get("type"))
        if kind is None:
            raise AppError(ErrorCode.DESIGN_INVALID, [_detail(
                f"{where}.type", f"object type {obj.get('type')!r} is not supported")])
        for name in NUMERIC_FIELDS:
            if name in obj and obj[name] is not None and not _finite(obj[name]):
                raise AppError(ErrorCode.DESIGN_INVALID,
                               [_detail(f"{where}.{name}", "must be a finite number")])
            low, high = RANGES.get(name, (-math.inf, math.inf))
            if name in obj and obj[name] is not None and not low <= obj[name] <= high:
                raise AppError(ErrorCode.DESIGN_INVALID,
                               [_detail(f"{where}.{name}", f"must be between {low:g} and {high:g}")])
        _check_kind(kind, obj, where, website, settings)
        reasons = _unsupported(obj)
        if reasons:
            raise AppError(ErrorCode.DESIGN_INVALID, [_detail(where, r) for r in reasons])
    bad_entries = _non_object_entries(canvas, path)
    if bad_entries:
        raise AppError(ErrorCode.DESIGN_INVALID, [_detail(p, "must be an object") for p in bad_entries])
    return count


def _check_kind(kind: str, obj: Mapping[str, Any], where: str, website: Website,
                settings: Settings) -> None:
    if kind in ("text", "i-text", "textbox") and not isinstance(obj.get("text", ""), str):
        raise AppError(ErrorCode.DESIGN_INVALID, [_detail(f"{where}.text", "must be a string")])
    if kind == "image":
        src = obj.get("src")
        if not isinstance(src, str) or not src:
            raise AppError(ErrorCode.DESIGN_INVALID, [_detail(f"{where}.src", "must be a string")])
        try:
            ref = classify(src, allowed_hosts=website.allowed_asset_hosts,
                           max_data_url_bytes=settings.max_data_url_bytes)
            if ref.kind == "data":
                inspect_data_url(src, max_pixels=settings.max_source_pixels)
        except SourceNotAllowed as exc:
            raise AppError(ErrorCode.ASSET_INVALID, [_detail(f"{where}.src", str(exc))]) from None
    if kind == "group" and not isinstance(obj.get("objects", []), list):
        raise AppError(ErrorCode.DESIGN_INVALID, [_detail(f"{where}.objects", "must be a list")])


def _unsupported(obj: Mapping[str, Any]) -> list[str]:
    from shared.render.support import unsupported_features  # the renderer owns what it can draw

    return unsupported_features(obj)


def _non_object_entries(canvas: Mapping[str, Any], path: str) -> list[str]:
    """Paths of list entries that are not JSON objects (``walk_objects`` skips them)."""
    bad = [f"{path}.objects[{i}]" for i, o in enumerate(canvas.get("objects", [])) if not isinstance(o, dict)]
    for obj_path, obj in walk_objects(canvas):
        children = obj.get("objects")
        if isinstance(children, list):
            bad += [f"{path}.{obj_path}.objects[{i}]" for i, o in enumerate(children)
                    if not isinstance(o, dict)]
    return bad


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _detail(field: str, message: str) -> dict[str, str]:
    return {"Field": field, "Message": message}


def _pydantic_details(exc: ValidationError) -> list[dict[str, str]]:
    details = []
    for error in exc.errors(include_url=False)[:20]:
        field = ""
        for part in error["loc"]:
            field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
        details.append(_detail(field, error["msg"]))
    return details
