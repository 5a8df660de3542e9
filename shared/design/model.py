"""fabric.js design vocabulary shared by validation, revisioning and the renderer.

fabric 5 writes lower-case kebab type names (``i-text``), fabric 6+ writes class names (``IText``);
older editors wrote still other spellings. Everything downstream works on one canonical kind.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

# Canonical kinds the renderer draws, in fabric 5 spelling.
KINDS: tuple[str, ...] = (
    "rect", "circle", "ellipse", "triangle", "line", "polyline", "polygon", "path",
    "text", "i-text", "textbox", "image", "group",
)

TEXT_KINDS = frozenset({"text", "i-text", "textbox"})

_ALIASES: dict[str, str] = {
    "itext": "i-text",
    "i-text": "i-text",
    "fabrictext": "text",
    "fabricimage": "image",
}


def canonical_type(type_name: object) -> str | None:
    """The canonical kind for a fabric ``type`` value in any known spelling, or None if unknown."""
    if not isinstance(type_name, str):
        return None
    key = type_name.strip().lower()
    key = _ALIASES.get(key, key)
    return key if key in KINDS else None


def walk_objects(canvas: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every object of a canvas with its JSON path: top-level objects, group children, clip paths.

    The canvas-level ``clipPath`` is included; ``backgroundImage``/``overlayImage`` are not part of
    the design layer and are skipped.
    """
    yield from _walk_list(canvas.get("objects"), "objects")
    clip = canvas.get("clipPath")
    if isinstance(clip, Mapping):
        yield from _walk_one(clip, "clipPath")


def _walk_list(objects: object, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if not isinstance(objects, list):
        return
    for index, obj in enumerate(objects):
        if isinstance(obj, Mapping):
            yield from _walk_one(obj, f"{path}[{index}]")


def _walk_one(obj: Mapping[str, Any], path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    yield path, obj
    yield from _walk_list(obj.get("objects"), f"{path}.objects")
    clip = obj.get("clipPath")
    if isinstance(clip, Mapping):
        yield from _walk_one(clip, f"{path}.clipPath")


def image_sources(canvas: Mapping[str, Any]) -> list[str]:
    """Distinct image ``src`` values of a canvas, in first-seen order (what the worker must fetch)."""
    seen: dict[str, None] = {}
    for _, obj in walk_objects(canvas):
        if canonical_type(obj.get("type")) == "image" and isinstance(obj.get("src"), str):
            seen.setdefault(obj["src"], None)
    return list(seen)


def font_families(canvas: Mapping[str, Any]) -> list[str]:
    """Distinct font families named by text objects (including per-character styles)."""
    seen: dict[str, None] = {}
    for _, obj in walk_objects(canvas):
        if canonical_type(obj.get("type")) not in TEXT_KINDS:
            continue
        family = obj.get("fontFamily", "Times New Roman")
        if isinstance(family, str):
            seen.setdefault(family, None)
        for style in _char_styles(obj.get("styles")):
            if isinstance(style.get("fontFamily"), str):
                seen.setdefault(style["fontFamily"], None)
    return list(seen)


def _char_styles(styles: object) -> Iterator[Mapping[str, Any]]:
    """Per-character style dicts in both the 5.2+ list form and the older nested-dict form."""
    if isinstance(styles, list):
        for run in styles:
            if isinstance(run, Mapping) and isinstance(run.get("style"), Mapping):
                yield run["style"]
    elif isinstance(styles, Mapping):
        for line in styles.values():
            if isinstance(line, Mapping):
                for style in line.values():
                    if isinstance(style, Mapping):
                        yield style
