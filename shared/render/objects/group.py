"""fabric.Group: children positioned relative to the group centre, drawn in order.

fabric 5's Group.drawObject draws neither a background colour nor the group's own fill/stroke.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.render.engine import DrawContext
from shared.render.errors import RenderError


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    children = obj.get("objects") or []
    if not isinstance(children, list):
        raise RenderError("group objects must be a list")
    for child in children:
        if not isinstance(child, Mapping):
            raise RenderError("group member is not an object")
        ctx.render_object(canvas, child)
