"""fabric 5.3 text layout: lines, textbox wrapping, character boxes, line heights and offsets.

This follows ``fabric.Text``/``fabric.Textbox`` (``_measureChar``, ``_getGraphemeBox``,
``_wrapLine``, ``_generateStyleMap``, ``getHeightOfLine``, ``enlargeSpaces``, ``_getLineLeftOffset``)
step by step, including their quirks, so boxes, wrap points and alignment land where the editor put
them. It is pure: text measurement comes in as a function.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.render.text.styles import StyleMap, complete_style, font_key, graphemes, parse_styles, prop

FONT_SIZE_MULT = 1.13  # fabric.Text._fontSizeMult
FONT_SIZE_FRACTION = 0.222  # fabric.Text._fontSizeFraction: baseline position in the line box
MIN_TEXT_WIDTH = 2
SPACE = re.compile(r"[ \t\r]")

# (text, complete style) -> advance in px at the style's fontSize.
Measure = Callable[[str, Mapping[str, Any]], float]


@dataclass
class CharBox:
    """``__charBounds`` entry: ``left`` from the line start, ``width`` unkerned, both with charSpacing."""

    left: float
    width: float
    kerned_width: float
    height: float


@dataclass
class TextLayout:
    kind: str
    obj: Mapping[str, Any]
    lines: list[list[str]]
    styles: StyleMap
    line_map: list[tuple[int, int]]  # wrapped line -> (unwrapped line, grapheme offset)
    boxes: list[list[CharBox]] = field(default_factory=list)
    line_widths: list[float] = field(default_factory=list)
    line_heights: list[float] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0

    @property
    def line_height(self) -> float:
        return float(prop(self.obj, "lineHeight"))

    @property
    def char_spacing_px(self) -> float:
        return float(prop(self.obj, "fontSize")) * float(prop(self.obj, "charSpacing")) / 1000

    @property
    def text_align(self) -> str:
        return str(prop(self.obj, "textAlign"))

    @property
    def rtl(self) -> bool:
        return prop(self.obj, "direction") == "rtl"

    def decl(self, line: int, char: int) -> dict[str, Any] | None:
        """``_getStyleDeclaration`` through the textbox style map."""
        source, offset = self.line_map[line]
        return self.styles.get(source, {}).get(offset + char)

    def style(self, line: int, char: int) -> dict[str, Any]:
        return complete_style(self.obj, self.decl(line, char))

    def value_at(self, line: int, char: int, name: str) -> Any:
        decl = self.decl(line, char)
        return decl[name] if decl and name in decl else prop(self.obj, name)

    def line_has_styles(self, line: int) -> bool:
        """``isEmptyStyles(line)`` negated, limited to this wrapped line's characters."""
        source, offset = self.line_map[line]
        chars = self.styles.get(source, {})
        if self.kind != "textbox":
            return bool(chars)
        limit = line + 1 < len(self.line_map) and self.line_map[line + 1][0] == source
        end = self.line_map[line + 1][1] if limit else 0
        return any(k >= offset and (not limit or k < end) for k in chars)

    def style_has(self, name: str, line: int | None = None) -> bool:
        """``styleHas``: any char style of the (unwrapped) line sets ``name``."""
        if line is None:
            return any(name in s for chars in self.styles.values() for s in chars.values())
        source = self.line_map[line][0]
        return any(name in s for s in self.styles.get(source, {}).values())

    def is_end_of_wrapping(self, line: int) -> bool:
        if line + 1 >= len(self.lines):
            return True
        return self.kind == "textbox" and self.line_map[line + 1][0] != self.line_map[line][0]

    def line_left_offset(self, line: int) -> float:
        """``_getLineLeftOffset``: where the line starts relative to the box's left edge."""
        diff = self.width - self.line_widths[line]
        align = self.text_align
        end = self.is_end_of_wrapping(line)
        if align == "justify" or (align in ("justify-center", "justify-right", "justify-left") and not end):
            return 0.0
        offset = 0.0
        if align in ("center", "justify-center"):
            offset = diff / 2
        elif align in ("right", "justify-right"):
            offset = diff
        if self.rtl:
            offset -= diff
        return offset


def layout_text(obj: Mapping[str, Any], kind: str, measure: Measure) -> TextLayout:
    """Lay out a text, i-text or textbox object the way fabric's ``initDimensions`` does."""
    text = str(prop(obj, "text"))
    styles = parse_styles(obj.get("styles"), text)
    source_lines = [graphemes(line) for line in re.split(r"\r?\n", text)]
    if kind == "textbox":
        width = float(obj.get("width") or 0)
        layout = TextLayout(kind, obj, [], styles, [])
        lines, min_width = _wrap(layout, source_lines, width, measure)
        layout.lines = lines
        layout.line_map = _style_map(text, lines, bool(prop(obj, "splitByGrapheme")))
        layout.width = max(width, min_width)
    else:
        layout = TextLayout(kind, obj, source_lines, styles, [(i, 0) for i in range(len(source_lines))])
    layout.boxes = [[] for _ in layout.lines]
    layout.line_widths = [_measure_line(layout, i, measure) for i in range(len(layout.lines))]
    if kind != "textbox":
        layout.width = max(layout.line_widths, default=0.0) or MIN_TEXT_WIDTH
    if "justify" in layout.text_align:
        _enlarge_spaces(layout)
    layout.line_heights = [_height_of_line(layout, i) for i in range(len(layout.lines))]
    layout.height = sum(layout.line_heights[:-1]) + layout.line_heights[-1] / layout.line_height
    return layout


def _grapheme_box(layout: TextLayout, style_of: Callable[[int], dict[str, Any]], chars: list[str], i: int,
                  measure: Measure) -> tuple[float, float]:
    """``_measureChar`` + charSpacing: (width, kernedWidth) of ``chars[i]`` after ``chars[i-1]``."""
    style = style_of(i)
    width = measure(chars[i], style)
    kerned = width
    if i > 0:
        prev_style = style_of(i - 1)
        if font_key(prev_style) == font_key(style):
            kerned = measure(chars[i - 1] + chars[i], style) - measure(chars[i - 1], style)
    spacing = layout.char_spacing_px
    return width + spacing, kerned + spacing


def _measure_line(layout: TextLayout, line: int, measure: Measure) -> float:
    chars = layout.lines[line]
    boxes: list[CharBox] = []
    total = 0.0
    for i in range(len(chars)):
        width, kerned = _grapheme_box(layout, lambda k: layout.style(line, k), chars, i, measure)
        left = 0.0
        if i > 0:
            prev = boxes[-1]
            spacing = layout.char_spacing_px
            left = prev.left + prev.width + (kerned - spacing) - (width - spacing)
        boxes.append(CharBox(left, width, kerned, float(layout.value_at(line, i, "fontSize"))))
        total += kerned
    layout.boxes[line] = boxes
    if layout.char_spacing_px:
        total -= layout.char_spacing_px
    return max(total, 0.0)


def _height_of_line(layout: TextLayout, line: int) -> float:
    sizes = [float(layout.value_at(line, 0, "fontSize"))]
    sizes += [float(layout.value_at(line, i, "fontSize")) for i in range(1, len(layout.lines[line]))]
    return max(sizes) * layout.line_height * FONT_SIZE_MULT


def _enlarge_spaces(layout: TextLayout) -> None:
    """``enlargeSpaces``; plain 'justify' also stretches the last line, as fabric 5.3 does."""
    count = len(layout.lines)
    for i in range(count):
        if layout.text_align != "justify" and (i == count - 1 or layout.is_end_of_wrapping(i)):
            continue
        chars = layout.lines[i]
        spaces = sum(1 for c in chars if SPACE.fullmatch(c))
        if layout.line_widths[i] >= layout.width or not spaces:
            continue
        extra = (layout.width - layout.line_widths[i]) / spaces
        accumulated = 0.0
        for char, box in zip(chars, layout.boxes[i]):
            box.left += accumulated
            if SPACE.fullmatch(char):
                box.width += extra
                box.kerned_width += extra
                accumulated += extra


def _wrap(layout: TextLayout, source_lines: list[list[str]], width: float,
          measure: Measure) -> tuple[list[list[str]], float]:
    """``_wrapText``: greedy wrap of each hard line; returns lines and ``dynamicMinWidth``."""
    by_grapheme = bool(prop(layout.obj, "splitByGrapheme"))
    spacing = layout.char_spacing_px
    out: list[list[str]] = []
    min_width = 0.0
    for index, line in enumerate(source_lines):
        def word_width(word: list[str], offset: int) -> float:
            def style_of(k: int) -> dict[str, Any]:
                return complete_style(layout.obj, layout.styles.get(index, {}).get(offset + k))
            return sum(_grapheme_box(layout, style_of, word, k, measure)[1] for k in range(len(word)))

        words = [[c] for c in line] if by_grapheme else [graphemes(w) for w in SPACE.split("".join(line))]
        if not words:
            words = [[]]
        current: list[str] = []
        line_width = infix_width = largest = 0.0
        just_started = True
        offset = 0
        for word in words:
            w = word_width(word, offset)
            offset += len(word)
            line_width += infix_width + w - spacing
            if line_width > width and not just_started:
                out.append(current)
                current = []
                line_width = w
                just_started = True
            else:
                line_width += spacing
            if not just_started and not by_grapheme:
                current.append(" ")
            current = current + word
            infix_width = 0.0 if by_grapheme else word_width([" "], offset)
            offset += 1
            just_started = False
            largest = max(largest, w)
        out.append(current)
        if largest > min_width:
            min_width = largest - spacing
    return out, min_width


def _style_map(text: str, lines: list[list[str]], by_grapheme: bool) -> list[tuple[int, int]]:
    """``_generateStyleMap``: each wrapped line's unwrapped line index and grapheme offset."""
    flat = graphemes(re.sub(r"\r?\n", "\n", text))
    source = offset = count = 0
    out: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        here = flat[count] if count < len(flat) else ""
        if here == "\n" and i > 0:
            offset = 0
            count += 1
            source += 1
        elif not by_grapheme and SPACE.fullmatch(here or "x") and i > 0:
            offset += 1
            count += 1
        out.append((source, offset))
        count += len(line)
        offset += len(line)
    return out
