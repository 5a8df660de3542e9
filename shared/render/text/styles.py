"""Per-character text styles: both JSON forms, fabric's defaults and complete declarations.

fabric 5.2+ saves ``styles`` as ``[{start, end, style}]`` over the text without newlines; older
editors saved ``{line: {char: style}}``. Both become ``{line: {char: style}}`` keyed by the
unwrapped line index and grapheme index, exactly as ``fabric.util.stylesFromArray`` builds it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

StyleMap = dict[int, dict[int, dict[str, Any]]]

# fabric.Text._styleProperties: what a character style may override.
STYLE_PROPERTIES = (
    "stroke", "strokeWidth", "fill", "fontFamily", "fontSize", "fontWeight", "fontStyle",
    "underline", "overline", "linethrough", "deltaY", "textBackgroundColor",
)

# fabric 5.3 defaults for text objects, used when the JSON omits a property.
TEXT_DEFAULTS: dict[str, Any] = {
    "text": "",
    "fontSize": 40,
    "fontWeight": "normal",
    "fontFamily": "Times New Roman",
    "fontStyle": "normal",
    "underline": False,
    "overline": False,
    "linethrough": False,
    "textAlign": "left",
    "lineHeight": 1.16,
    "charSpacing": 0,
    "textBackgroundColor": "",
    "fill": "rgb(0,0,0)",
    "stroke": None,
    "strokeWidth": 1,
    "deltaY": 0,
    "direction": "ltr",
    "paintFirst": "fill",
    "splitByGrapheme": False,
}


def prop(obj: Mapping[str, Any], name: str) -> Any:
    """An object property with fabric's default when it is absent or null."""
    value = obj.get(name)
    if value is None and name != "stroke":
        return TEXT_DEFAULTS.get(name)
    return value


def graphemes(text: str) -> list[str]:
    """fabric 5 ``graphemeSplit``: one entry per code point (surrogate pairs joined)."""
    return list(text)


def parse_styles(styles: object, text: str) -> StyleMap:
    """Either JSON form of ``styles`` as ``{line: {grapheme: style}}``; junk entries are ignored."""
    if isinstance(styles, list):
        return _from_array(styles, text)
    out: StyleMap = {}
    if not isinstance(styles, Mapping):
        return out
    for line_key, line in styles.items():
        if not isinstance(line, Mapping):
            continue
        for char_key, style in line.items():
            line_index, char_index = _as_int(line_key), _as_int(char_key)
            if line_index is None or char_index is None or not isinstance(style, Mapping):
                continue
            normalised = _normalise(style)
            if normalised:
                out.setdefault(line_index, {})[char_index] = normalised
    return out


def _from_array(styles: list[Any], text: str) -> StyleMap:
    """``fabric.util.stylesFromArray``: indices count characters, newlines excluded."""
    ranges = [s for s in styles if isinstance(s, Mapping) and isinstance(s.get("style"), Mapping)]
    out: StyleMap = {}
    char_index = -1
    style_index = 0
    for line_index, line in enumerate(text.split("\n")):
        for c in range(len(graphemes(line))):
            char_index += 1
            if style_index >= len(ranges):
                continue
            current = ranges[style_index]
            start, end = _as_int(current.get("start")), _as_int(current.get("end"))
            if start is None or end is None:
                style_index += 1
                continue
            if start <= char_index < end:
                style = _normalise(current["style"])
                if style:
                    out.setdefault(line_index, {})[c] = style
                if char_index == end - 1:
                    style_index += 1
    return out


def _normalise(style: Mapping[str, Any]) -> dict[str, Any]:
    """Keep style properties only; the older ``textDecoration`` string becomes the three flags."""
    out = {k: v for k, v in style.items() if k in STYLE_PROPERTIES}
    decoration = style.get("textDecoration")
    if isinstance(decoration, str):
        for flag, word in (("underline", "underline"), ("linethrough", "line-through"),
                           ("overline", "overline")):
            if word in decoration:
                out[flag] = True
    return out


def _as_int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def complete_style(base: Mapping[str, Any], decl: Mapping[str, Any] | None) -> dict[str, Any]:
    """``getCompleteStyleDeclaration``: the char's own style over the object's properties."""
    out = {name: prop(base, name) for name in STYLE_PROPERTIES}
    if decl:
        out.update({k: v for k, v in decl.items() if v is not None or k == "stroke"})
    return out


def font_key(style: Mapping[str, Any]) -> tuple[Any, ...]:
    """What ``_getFontDeclaration`` puts in the canvas font string (style, weight, size, family)."""
    return (style["fontStyle"], style["fontWeight"], style["fontSize"], style["fontFamily"])


def style_changed(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """``fabric.util.hasStyleChanged`` without the text-span decoration check."""
    return any(a.get(k) != b.get(k) for k in (
        "fill", "stroke", "strokeWidth", "fontSize", "fontFamily", "fontWeight", "fontStyle",
        "textBackgroundColor", "deltaY"))
