"""HarfBuzz shaping with per-character font fallback and bidi, as Chromium does for ``fillText``.

A string is split into bidi runs (UAX #9), each run into segments by the font that covers each
character (the requested face, else a system fallback face, else the requested face's .notdef),
and each segment is shaped by HarfBuzz with default features (kerning and ligatures on, as in a
canvas with ``fontKerning: auto``). Advances are kept in em so one cache serves every font size.
"""
from __future__ import annotations

import threading
import unicodedata
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field

import skia
import uharfbuzz as hb

from shared.render.fonts import FontRegistry, ResolvedFont
from shared.render.text.bidi import embedding_levels, visual_runs

# Characters that belong to the preceding character's font (marks, joiners, variation selectors).
_ATTACHING = {"Mn", "Me", "Mc", "Cf"}
_CACHE_SIZE = 20000
_SYNTHETIC_ITALIC_SKEW = -0.25  # Blink's FontPlatformData::SetupSkFont


@dataclass(frozen=True)
class GlyphRun:
    """Glyphs of one font, with pen positions in em relative to the text's left edge.

    ``clusters`` holds each glyph's code point index in the shaped string.
    """

    font: ResolvedFont
    glyphs: tuple[int, ...]
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    clusters: tuple[int, ...]


@dataclass(frozen=True)
class ShapedText:
    """A shaped string in visual order; ``advance`` and positions are in em."""

    runs: tuple[GlyphRun, ...]
    advance: float
    missing: frozenset[int] = field(default_factory=frozenset)
    substituted: frozenset[tuple[int, str]] = field(default_factory=frozenset)  # (code point, family)


def skia_font(font: ResolvedFont, size: float) -> skia.Font:
    """An unhinted, subpixel-positioned skia font (Chromium's --font-render-hinting=none)."""
    sk = skia.Font(font.file.typeface, size)
    sk.setHinting(skia.FontHinting.kNone)
    sk.setSubpixel(True)
    sk.setLinearMetrics(True)
    sk.setEdging(skia.Font.Edging.kAntiAlias)
    if font.synthetic_bold:
        sk.setEmbolden(True)
    if font.synthetic_italic:
        sk.setSkewX(_SYNTHETIC_ITALIC_SKEW)
    return sk


class Shaper:
    """Shapes and measures strings against one FontRegistry; thread-safe, with an LRU cache."""

    def __init__(self, registry: FontRegistry) -> None:
        self.registry = registry
        self._cache: OrderedDict[tuple[object, ...], ShapedText] = OrderedDict()
        self._lock = threading.Lock()

    def shape(self, text: str, font: ResolvedFont, *, rtl: bool = False) -> ShapedText:
        key = (font.file.source.key, font.synthetic_bold, font.synthetic_italic, text, rtl)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        shaped = self._shape(text, font, rtl)
        with self._lock:
            self._cache[key] = shaped
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return shaped

    def advance(self, text: str, font: ResolvedFont) -> float:
        """Width of ``text`` in em, as canvas ``measureText`` reports it."""
        return self.shape(text, font).advance

    def _shape(self, text: str, font: ResolvedFont, rtl: bool) -> ShapedText:
        if not text:
            return ShapedText((), 0.0)
        fonts, missing, substituted = self._fonts_for(text, font)
        levels = embedding_levels(text, rtl)
        runs: list[GlyphRun] = []
        pen = 0.0
        for start, end, level in visual_runs(levels):
            segments = _segments(fonts, start, end)
            if level % 2:
                segments.reverse()
            for seg_start, seg_end in segments:
                run, width = _shape_segment(text, seg_start, seg_end, fonts[seg_start], level % 2 == 1, pen)
                runs.append(run)
                pen += width
        return ShapedText(tuple(runs), pen, frozenset(missing), frozenset(substituted))

    def _fonts_for(self, text: str, font: ResolvedFont
                   ) -> tuple[list[ResolvedFont], set[int], set[tuple[int, str]]]:
        """The face of every character, the code points no face covers, and the characters
        drawn with a fallback face (reported: the design's font did not draw them)."""
        chosen: list[ResolvedFont] = []
        missing: set[int] = set()
        substituted: set[tuple[int, str]] = set()
        weight = 700 if font.synthetic_bold else font.file.source.weight
        style = "italic" if font.synthetic_italic or font.file.source.italic else "normal"
        for index, ch in enumerate(text):
            cp = ord(ch)
            if font.file.has_char(cp):
                chosen.append(font)
            elif chosen and (unicodedata.category(ch) in _ATTACHING or cp in (0x200D, 0xFE0F)):
                chosen.append(chosen[-1])
            elif ch in "\t\r\n" or unicodedata.category(ch) in ("Cc", "Cf"):
                chosen.append(font)
            else:
                emoji = cp >= 0x1F000 or text[index + 1:index + 2] == "\ufe0f"
                fallback = self.registry.fallback_for(cp, weight, style, emoji=emoji)
                if fallback is None:
                    missing.add(cp)
                else:
                    substituted.add((cp, fallback.family))
                chosen.append(fallback or font)
        return chosen, missing, substituted


def _segments(fonts: list[ResolvedFont], start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    seg = start
    for i in range(start + 1, end + 1):
        if i == end or fonts[i] != fonts[seg]:
            out.append((seg, i))
            seg = i
    return out


def _shape_segment(text: str, start: int, end: int, font: ResolvedFont, rtl: bool,
                   pen: float) -> tuple[GlyphRun, float]:
    hb_font = font.file.hb_font
    upem = float(font.file.upem)
    buf = hb.Buffer()
    # Full text as context so Arabic letters join across font-segment boundaries.
    buf.add_codepoints([ord(c) for c in text], start, end - start)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    with font.file.shape_lock():
        hb.shape(hb_font, buf, {})
        infos, positions = buf.glyph_infos, buf.glyph_positions
    glyphs, xs, ys, clusters = [], [], [], []
    x = pen
    for info, pos in zip(infos, positions):
        glyphs.append(info.codepoint)
        clusters.append(info.cluster)
        xs.append(x + pos.x_offset / upem)
        ys.append(-pos.y_offset / upem)
        x += pos.x_advance / upem
    return GlyphRun(font, tuple(glyphs), tuple(xs), tuple(ys), tuple(clusters)), x - pen


_shapers: weakref.WeakKeyDictionary[FontRegistry, Shaper] = weakref.WeakKeyDictionary()
_shapers_lock = threading.Lock()


def shaper_for(registry: FontRegistry) -> Shaper:
    """The shared Shaper (and its measurement cache) of a registry."""
    with _shapers_lock:
        shaper = _shapers.get(registry)
        if shaper is None:
            shaper = _shapers[registry] = Shaper(registry)
        return shaper
