"""fabric 5's per-object render decisions: visibility and whether an object draws via its cache.

Caching changes pixels, not just speed: a cached object is flattened before its opacity, shadow
and composite operation apply; an uncached one (inside a cached group) applies them per fill and
stroke.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.render.paint import parse_shadow
from shared.render.props import flag, get, num


def is_hidden(obj: Mapping[str, Any], kind: str) -> bool:
    """fabric isNotVisible."""
    return (num(obj, "opacity", kind) == 0 or not flag(obj, "visible", kind)
            or (not num(obj, "width", kind) and not num(obj, "height", kind)
                and num(obj, "strokeWidth", kind) == 0))


def will_draw_shadow(obj: Mapping[str, Any]) -> bool:
    """fabric willDrawShadow (recursive for groups): a shadow with a non-zero offset."""
    shadow = parse_shadow(obj.get("shadow"), [])
    if shadow is not None and (shadow.offset_x or shadow.offset_y):
        return True
    children = obj.get("objects")
    return isinstance(children, list) and any(
        isinstance(c, Mapping) and will_draw_shadow(c) for c in children)


def _paints(value: Any) -> bool:
    return bool(value) and value != "transparent"


def should_cache(obj: Mapping[str, Any], kind: str, parent_on_cache: bool) -> bool:
    """fabric shouldCache per class: images cache only when they must, groups not over shadows.

    needsItsOwnCache tests ``typeof shadow === 'object'``, which is true for null too, so any
    stroke-first object with both fill and stroke gets its own cache.
    """
    needs_own = bool(obj.get("clipPath")) or (
        get(obj, "paintFirst", kind) == "stroke" and _paints(get(obj, "fill", kind))
        and _paints(get(obj, "stroke", kind)) and num(obj, "strokeWidth", kind) != 0)
    if kind == "image":
        return needs_own
    cached = needs_own or (flag(obj, "objectCaching", kind) and not parent_on_cache)
    if cached and kind == "group":
        children = obj.get("objects") if isinstance(obj.get("objects"), list) else []
        if any(isinstance(c, Mapping) and will_draw_shadow(c) for c in children):
            return False
    return cached
