"""Painting a laid-out text: line backgrounds, decorations and glyph runs, in fabric's order.

Mirrors ``fabric.Text._render``: backgrounds, underline, text (fill/stroke per ``paintFirst``),
overline, linethrough. Runs are cut where ``_renderChars`` cuts them (style changes, every char with
charSpacing, after each space when justified) and each run is shaped on its own, as each
``fillText`` call is in the browser. Glyphs become outline paths so fill, gradient and stroke all go
through the engine's ``fill_and_stroke``.
"""
from __future__ import annotations

import math
from typing import Any

import skia

from shared.render.text.layout import FONT_SIZE_FRACTION, SPACE, TextLayout
from shared.render.text.metrics import StyleFonts
from shared.render.text.shaping import skia_font
from shared.render.text.styles import prop, style_changed

DECORATION_OFFSETS = {"underline": 0.10, "linethrough": -0.315, "overline": -0.88}


def paint_text(canvas: skia.Canvas, layout: TextLayout, fonts: StyleFonts, ctx: Any) -> None:
    painter = _Painter(canvas, layout, fonts, ctx)
    painter.backgrounds()
    painter.decoration("underline")
    if prop(layout.obj, "paintFirst") == "stroke":
        painter.glyphs(stroke=True)
        painter.glyphs(stroke=False)
    else:
        painter.glyphs(stroke=False)
        painter.glyphs(stroke=True)
    painter.decoration("overline")
    painter.decoration("linethrough")


class _Painter:
    def __init__(self, canvas: skia.Canvas, layout: TextLayout, fonts: StyleFonts, ctx: Any) -> None:
        self.canvas = canvas
        self.layout = layout
        self.fonts = fonts
        self.ctx = ctx
        self.left = layout.width / 2 if layout.rtl else -layout.width / 2
        self.top = -layout.height / 2
        self.bbox = skia.Rect.MakeXYWH(-layout.width / 2, -layout.height / 2, layout.width, layout.height)
        matrix = canvas.getTotalMatrix()
        self.zoom_x = math.hypot(matrix.getScaleX(), matrix.getSkewY()) or 1.0
        self.zoom_y = math.hypot(matrix.getSkewX(), matrix.getScaleY()) or 1.0
        stroke_width = float(prop(layout.obj, "strokeWidth") or 0)
        self.cache_left = (layout.width + stroke_width) / 2
        self.cache_top = (layout.height + stroke_width) / 2

    def snap_x(self, x: float) -> float:
        """Skia positions glyphs horizontally in quarter pixels (subpixel glyph cache)."""
        t = (x + self.cache_left) * self.zoom_x
        return x + (math.floor(t * 4 + 0.5) / 4 - t) / self.zoom_x

    def snap_y(self, y: float) -> float:
        """Skia draws glyphs at whole-pixel baselines inside fabric's object cache canvas, whose top
        edge (the stroke-inclusive box) sits on a pixel; snap the same way in object-local units."""
        t = (y + self.cache_top) * self.zoom_y
        return y + (math.floor(t + 0.5) - t) / self.zoom_y

    def _line_tops(self) -> list[float]:
        tops, y = [], self.top
        for height in self.layout.line_heights:
            tops.append(y)
            y += height
        return tops

    def _rect(self, x: float, y: float, w: float, h: float, fill: Any) -> None:
        if not fill or w == 0:
            return
        if self.layout.rtl:  # fabric mirrors from its rtl left offset (+width/2)
            x = self.layout.width - x - w
        path = skia.Path()
        path.addRect(skia.Rect.MakeXYWH(x, y, w, h))
        self.ctx.fill_and_stroke(self.canvas, path, self.layout.obj, fill=fill, stroke=None, bbox=self.bbox)

    def backgrounds(self) -> None:
        """``_renderTextLinesBackground``: one rect per run of equal textBackgroundColor."""
        lay = self.layout
        if not prop(lay.obj, "textBackgroundColor") and not lay.style_has("textBackgroundColor"):
            return
        for i, top in enumerate(self._line_tops()):
            if not prop(lay.obj, "textBackgroundColor") and not lay.style_has("textBackgroundColor", i):
                continue
            start = self.left_edge(i)
            height = lay.line_heights[i] / lay.line_height
            box_start = box_width = 0.0
            last = lay.value_at(i, 0, "textBackgroundColor")
            current = last
            for j, box in enumerate(lay.boxes[i]):
                current = lay.value_at(i, j, "textBackgroundColor")
                if current != last:
                    self._rect(start + box_start, top, box_width, height, last)
                    box_start, box_width, last = box.left, box.width, current
                else:
                    box_width += box.kerned_width
            self._rect(start + box_start, top, box_width, height, current)

    def left_edge(self, line: int) -> float:
        """``_getLeftOffset() + _getLineLeftOffset(line)``, before ``_rect`` mirrors it for rtl."""
        return self.left + self.layout.line_left_offset(line)

    def decoration(self, kind: str) -> None:
        """``_renderTextDecoration``: runs of equal decoration, fill, size and deltaY."""
        lay = self.layout
        if not prop(lay.obj, kind) and not lay.style_has(kind):
            return
        thickness = float(prop(lay.obj, "fontSize")) / 15
        offset_y = DECORATION_OFFSETS[kind]
        spacing = lay.char_spacing_px
        for i, line_top in enumerate(self._line_tops()):
            if not prop(lay.obj, kind) and not lay.style_has(kind, i):
                continue
            start = self.left_edge(i)
            top = line_top + lay.line_heights[i] / lay.line_height * (1 - FONT_SIZE_FRACTION)
            key = self._decoration_key(i, 0, kind)
            box_start = box_width = 0.0
            current = key
            for j, box in enumerate(lay.boxes[i]):
                current = self._decoration_key(i, j, kind)
                if current != key and box_width > 0:
                    if key[0]:
                        self._rect(start + box_start, top + offset_y * key[2] + key[3], box_width, thickness,
                                   key[1])
                    box_start, box_width, key = box.left, box.width, current
                else:
                    box_width += box.kerned_width
            if current[0]:
                self._rect(start + box_start, top + offset_y * key[2] + key[3], box_width - spacing,
                           thickness, current[1])

    def _decoration_key(self, line: int, char: int, kind: str) -> tuple[Any, Any, float, float]:
        lay = self.layout
        return (lay.value_at(line, char, kind), lay.value_at(line, char, "fill"),
                float(lay.value_at(line, char, "fontSize")), float(lay.value_at(line, char, "deltaY") or 0))

    def glyphs(self, *, stroke: bool) -> None:
        """``_renderTextFill`` / ``_renderTextStroke`` over every line."""
        lay = self.layout
        if stroke and not (lay.obj.get("stroke") and prop(lay.obj, "strokeWidth")) and not lay.styles:
            return
        if not stroke and not prop(lay.obj, "fill") and not lay.style_has("fill"):
            return
        for i, line_top in enumerate(self._line_tops()):
            baseline = line_top + lay.line_heights[i] / lay.line_height * (1 - FONT_SIZE_FRACTION)
            self._line(i, self.left + lay.line_left_offset(i), baseline, stroke)

    def _line(self, i: int, left: float, top: float, stroke: bool) -> None:
        """``_renderChars``: cut the line into runs exactly where fabric cuts it."""
        lay = self.layout
        chars = lay.lines[i]
        justify = "justify" in lay.text_align
        sign = -1 if lay.rtl else 1
        if not justify and not lay.char_spacing_px and not lay.line_has_styles(i):
            self._run("".join(chars), i, 0, left, top, stroke)
            return
        run = ""
        box_width = 0.0
        actual: dict[str, Any] | None = None
        following: dict[str, Any] | None = None
        for j, char in enumerate(chars):
            due = j == len(chars) - 1 or bool(lay.char_spacing_px)
            run += char
            box = lay.boxes[i][j]
            if box_width == 0:
                left += sign * (box.kerned_width - box.width)
                box_width += box.width
            else:
                box_width += box.kerned_width
            if justify and not due and SPACE.fullmatch(char):
                due = True
            if not due:
                actual = actual or lay.style(i, j)
                following = lay.style(i, j + 1)
                due = style_changed(actual, following)
            if due:
                self._run(run, i, j, left, top, stroke)
                run = ""
                actual = following
                left += sign * box_width
                box_width = 0.0

    def _run(self, text: str, line: int, char: int, x: float, baseline: float, stroke: bool) -> None:
        """``_renderChar``: one fillText/strokeText call with the style of ``char``."""
        lay = self.layout
        style = lay.style(line, char)
        if stroke and not (style.get("stroke") and style.get("strokeWidth")):
            return
        if not stroke and not style.get("fill"):
            return
        decl = lay.decl(line, char) or {}
        baseline += float(decl.get("deltaY") or 0)
        size = float(style["fontSize"])
        shaped = self.fonts.shape(text, style, rtl=lay.rtl)
        origin = x - shaped.advance * size if lay.rtl else x
        path = skia.Path()
        for run in shaped.runs:
            font = skia_font(run.font, size)
            for glyph, gx, gy in zip(run.glyphs, run.xs, run.ys):
                outline = font.getPath(glyph)
                if outline is not None and not outline.isEmpty():
                    path.addPath(outline, self.snap_x(origin + gx * size), self.snap_y(baseline + gy * size))
        paint_obj = {**lay.obj, "strokeWidth": style.get("strokeWidth")}
        self.ctx.fill_and_stroke(self.canvas, path, paint_obj, fill=None if stroke else style.get("fill"),
                                 stroke=style.get("stroke") if stroke else None, bbox=self.bbox)
