"""The kind registry: canonical fabric kind → the module that draws it.

Each module exposes ``draw(canvas, obj, ctx)`` and may expose ``prepare(obj) -> dict`` to derive
what fabric recomputes on load (box size from points or path data, left/top when absent).
Modules are imported on first use so a missing optional module only fails designs that need it.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from shared.render.errors import RenderError

_MODULES: dict[str, str] = {
    "rect": "rect", "circle": "circle", "ellipse": "ellipse", "triangle": "triangle",
    "line": "line", "polyline": "polyline", "polygon": "polygon", "path": "path",
    "image": "image", "group": "group", "text": "text", "i-text": "text", "textbox": "text",
}


def module_for(kind: str) -> ModuleType:
    """The drawing module for a canonical kind; RenderError if the kind has none."""
    name = _MODULES.get(kind)
    if name is None:
        raise RenderError(f"object type {kind!r} is not supported")
    try:
        return importlib.import_module(f"shared.render.objects.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"shared.render.objects.{name}":
            raise
        raise RenderError(f"object type {kind!r} is not supported yet") from exc
