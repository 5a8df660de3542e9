"""fabric.Path: SVG path data (string or fabric's command arrays) centred on its bounds."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.render import pathdata
from shared.render.engine import DrawContext
from shared.render.objects.polyline import position_dimensions

_COMMANDS = "_simplified_path"  # prepared commands, kept beside the JSON keys


def prepare(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    """fabric Path._setPath: simplify, then size and pathOffset from the exact curve bounds."""
    commands = pathdata.simplify(pathdata.parse(obj.get("path") or []))
    result = position_dimensions(obj, "path", *pathdata.bounds(commands))
    result[_COMMANDS] = commands
    return result


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    offset = obj["pathOffset"]
    path = pathdata.to_skia(obj[_COMMANDS], offset["x"], offset["y"])
    ctx.fill_and_stroke(canvas, path, obj)
