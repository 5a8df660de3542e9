"""Fonts and measurement for one render: style → face, text → width, and the warnings they raise.

Every substitution is reported: a family that resolves nowhere, characters the chosen font lacks
(drawn with a fallback face, per script), and code points no installed font covers (they print as
.notdef boxes). Each warning is added once per render.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.render.fonts import FALLBACK_FAMILY, FontRegistry, ResolvedFont
from shared.render.text.shaping import ShapedText, shaper_for


class StyleFonts:
    """Resolves complete char styles to faces and measures/shapes text, collecting warnings."""

    def __init__(self, registry: FontRegistry, warnings: list[str]) -> None:
        self.registry = registry
        self.shaper = shaper_for(registry)
        self.warnings = warnings
        self._fonts: dict[tuple[str, str, str], ResolvedFont] = {}
        self._substituted: dict[tuple[str, str], set[int]] = {}

    def font(self, style: Mapping[str, Any]) -> ResolvedFont:
        key = (str(style["fontFamily"]), str(style["fontWeight"]), str(style["fontStyle"]))
        font = self._fonts.get(key)
        if font is None:
            font = self._fonts[key] = self.registry.resolve(*key)
            if font.is_fallback:
                self._warn(f"font family {key[0]!r} is not available; rendered with {FALLBACK_FAMILY}")
        return font

    def shape(self, text: str, style: Mapping[str, Any], *, rtl: bool = False) -> ShapedText:
        shaped = self.shaper.shape(text, self.font(style), rtl=rtl)
        if shaped.missing:
            points = _points(sorted(shaped.missing))
            self._warn(f"no installed font has a glyph for {points}; drawn as a missing-glyph box")
        for cp, family in shaped.substituted:
            self._note_substitution(str(style["fontFamily"]), family, cp)
        return shaped

    def measure(self, text: str, style: Mapping[str, Any]) -> float:
        """Advance in px at the style's fontSize (canvas ``measureText().width``)."""
        return self.shape(text, style).advance * float(style["fontSize"])

    def _note_substitution(self, requested: str, fallback: str, cp: int) -> None:
        """One warning per (requested font, fallback font), rewritten as code points add up,
        since text is shaped piece by piece."""
        points = self._substituted.setdefault((requested, fallback), set())
        if cp in points:
            return
        message = self._substitution_message(requested, fallback, points)
        points.add(cp)
        updated = self._substitution_message(requested, fallback, points)
        if message in self.warnings:
            self.warnings[self.warnings.index(message)] = updated
        else:
            self.warnings.append(updated)

    @staticmethod
    def _substitution_message(requested: str, fallback: str, points: set[int]) -> str:
        return f"font {requested!r} has no glyph for {_points(sorted(points))}; drawn with {fallback}"

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _points(code_points: list[int], most: int = 8) -> str:
    shown = ", ".join(f"U+{cp:04X}" for cp in code_points[:most])
    return shown + (f" and {len(code_points) - most} more" if len(code_points) > most else "")
