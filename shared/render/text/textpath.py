"""Text on a path (fabric 5 ``Text.path``): each grapheme centred on the path at its running distance.

Follows ``_measureLine``'s path branch and ``fabric.util.getPathSegmentsInfo``/``getPointOnPath``:
curve lengths from 100 chords, the point for a distance found by fabric's halving search, the angle
from the curve tangent. Glyphs sit with their baseline on the path (``pathAlign: baseline``).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import skia

from shared.render import pathdata
from shared.render.text.layout import FONT_SIZE_FRACTION, TextLayout
from shared.render.text.metrics import StyleFonts
from shared.render.text.shaping import skia_font
from shared.render.text.styles import prop

Point = tuple[float, float]


@dataclass
class _Segment:
    command: str
    start: Point
    length: float
    point: Callable[[float], Point] | None = None
    angle: Callable[[float], float] | None = None
    end: Point = (0.0, 0.0)


def _quad(p0: Point, p1: Point, p2: Point) -> tuple[Callable[[float], Point], Callable[[float], float]]:
    def point(t: float) -> Point:
        a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t * t
        return p0[0] * a + p1[0] * b + p2[0] * c, p0[1] * a + p1[1] * b + p2[1] * c

    def angle(t: float) -> float:
        u = 1 - t
        return math.atan2(2 * u * (p1[1] - p0[1]) + 2 * t * (p2[1] - p1[1]),
                          2 * u * (p1[0] - p0[0]) + 2 * t * (p2[0] - p1[0]))
    return point, angle


def _cubic(p0: Point, p1: Point, p2: Point, p3: Point) -> tuple[Callable[[float], Point], Callable[[float], float]]:
    def point(t: float) -> Point:
        u = 1 - t
        a, b, c, d = u ** 3, 3 * t * u * u, 3 * t * t * u, t ** 3
        return (p0[0] * a + p1[0] * b + p2[0] * c + p3[0] * d, p0[1] * a + p1[1] * b + p2[1] * c + p3[1] * d)

    def angle(t: float) -> float:
        u = 1 - t
        dx = 3 * u * u * (p1[0] - p0[0]) + 6 * u * t * (p2[0] - p1[0]) + 3 * t * t * (p3[0] - p2[0])
        dy = 3 * u * u * (p1[1] - p0[1]) + 6 * u * t * (p2[1] - p1[1]) + 3 * t * t * (p3[1] - p2[1])
        return math.atan2(dy, dx)
    return point, angle


def segments_info(commands: list[list[Any]]) -> list[_Segment]:
    """``getPathSegmentsInfo`` over simplified commands."""
    x = y = sub_x = sub_y = 0.0
    out: list[_Segment] = []
    for cmd in commands:
        letter = cmd[0]
        seg = _Segment(letter, (x, y), 0.0)
        if letter == "M":
            x, y = sub_x, sub_y = cmd[1], cmd[2]
        elif letter == "L":
            seg.length, seg.end = math.dist((x, y), (cmd[1], cmd[2])), (cmd[1], cmd[2])
            x, y = cmd[1], cmd[2]
        elif letter in ("C", "Q"):
            pts = [(cmd[k], cmd[k + 1]) for k in range(1, len(cmd), 2)]
            seg.point, seg.angle = _cubic((x, y), *pts) if letter == "C" else _quad((x, y), *pts)
            seg.length = _chord_length(seg.point, (x, y))
            x, y = pts[-1]
        elif letter in ("Z", "z"):
            seg.length, seg.end = math.dist((x, y), (sub_x, sub_y)), (sub_x, sub_y)
            x, y = sub_x, sub_y
        out.append(seg)
    return out


def _chord_length(point: Callable[[float], Point], start: Point) -> float:
    total, previous = 0.0, start
    for step in range(1, 101):
        current = point(step / 100)
        total += math.dist(previous, current)
        previous = current
    return total


def point_on_path(segments: list[_Segment], distance: float) -> tuple[float, float, float]:
    """``getPointOnPath``: (x, y, angle) at ``distance`` along the path."""
    i = 0
    while distance - segments[i].length > 0 and i < len(segments) - 1:
        distance -= segments[i].length
        i += 1
    seg = segments[i]
    if seg.point is None or seg.angle is None:
        if seg.command == "M" or seg.length == 0:
            return seg.start[0], seg.start[1], 0.0
        t = distance / seg.length
        return (seg.start[0] + (seg.end[0] - seg.start[0]) * t, seg.start[1] + (seg.end[1] - seg.start[1]) * t,
                math.atan2(seg.end[1] - seg.start[1], seg.end[0] - seg.start[0]))
    return _find_for_distance(seg, distance)


def _find_for_distance(seg: _Segment, distance: float) -> tuple[float, float, float]:
    """``findPercentageForDistance``: fabric's step-halving walk along the curve."""
    assert seg.point is not None and seg.angle is not None
    perc, walked, step, last = 0.0, 0.0, 0.01, 0.0
    previous, p = seg.start, seg.start
    while walked < distance and step > 0.0001:
        p = seg.point(perc)
        last = perc
        length = math.dist(previous, p)
        if length + walked > distance:
            perc -= step
            step /= 2
        else:
            previous = p
            perc += step
            walked += length
    return p[0], p[1], seg.angle(last)


def paint_text_on_path(canvas: skia.Canvas, layout: TextLayout, fonts: StyleFonts, ctx: Any) -> None:
    """``Text._render`` with a path: the path (if visible), then per-grapheme glyphs and decorations."""
    path_obj: Mapping[str, Any] = layout.obj["path"]
    commands = pathdata.simplify(pathdata.parse(path_obj.get("path") or []))
    left, top, right, bottom = pathdata.bounds(commands)
    offset = ((left + right) / 2, (top + bottom) / 2)
    bbox = skia.Rect.MakeXYWH(-layout.width / 2, -layout.height / 2, layout.width, layout.height)
    if path_obj.get("visible", True) is not False:
        ctx.fill_and_stroke(canvas, pathdata.to_skia(commands, *offset), path_obj, bbox=bbox)
    segments = segments_info(commands)
    total = sum(seg.length for seg in segments)
    reverse = prop(layout.obj, "pathSide") == "right"
    start = (segments[0].start[0] + offset[0], segments[0].start[1] + offset[1]) if segments else offset
    for i, chars in enumerate(layout.lines):
        boxes = layout.boxes[i]
        width = sum(box.kerned_width for box in boxes)
        position = {"left": total - width if reverse else 0.0, "center": (total - width) / 2,
                    "right": 0.0 if reverse else total - width}.get(layout.text_align, 0.0)
        position += float(layout.obj.get("pathStartOffset") or 0) * (-1 if reverse else 1)
        order = range(len(chars) - 1, -1, -1) if reverse else range(len(chars))
        for j in order:
            if position > total:
                position %= total
            elif position < 0:
                position += total
            x, y, angle = point_on_path(segments, position + boxes[j].kerned_width / 2) if segments else (0, 0, 0)
            angle += math.pi if reverse else 0.0
            canvas.save()
            canvas.translate(x - start[0], y - start[1])
            canvas.rotate(math.degrees(angle))
            _paint_char(canvas, layout, fonts, ctx, i, j, bbox)
            canvas.restore()
            position += boxes[j].kerned_width


def _paint_char(canvas: skia.Canvas, layout: TextLayout, fonts: StyleFonts, ctx: Any, line: int, char: int,
                bbox: skia.Rect) -> None:
    style = layout.style(line, char)
    box = layout.boxes[line][char]
    size = float(style["fontSize"])
    line_box = layout.line_heights[line] / layout.line_height
    background = style.get("textBackgroundColor")
    if background:
        _rect(canvas, ctx, layout, (-box.width / 2, -line_box * (1 - FONT_SIZE_FRACTION), box.width, line_box),
              background, bbox)
    shaped = fonts.shape(layout.lines[line][char], style, rtl=layout.rtl)
    path = skia.Path()
    x0 = -box.width / 2 - (shaped.advance * size if layout.rtl else 0)
    deltay = float(style.get("deltaY") or 0)
    for run in shaped.runs:
        font = skia_font(run.font, size)
        for glyph, gx, gy in zip(run.glyphs, run.xs, run.ys):
            outline = font.getPath(glyph)
            if outline is not None:
                path.addPath(outline, x0 + gx * size, deltay + gy * size)
    paint_obj = {**layout.obj, "strokeWidth": style.get("strokeWidth")}
    ctx.fill_and_stroke(canvas, path, paint_obj, fill=style.get("fill"), stroke=style.get("stroke"), bbox=bbox)
    thickness = float(prop(layout.obj, "fontSize")) / 15
    for kind, offset in (("underline", 0.10), ("overline", -0.88), ("linethrough", -0.315)):
        if style.get(kind) and style.get("fill"):
            _rect(canvas, ctx, layout, (-box.kerned_width / 2, offset * size + deltay, box.kerned_width, thickness),
                  style["fill"], bbox)


def _rect(canvas: skia.Canvas, ctx: Any, layout: TextLayout, xywh: tuple[float, float, float, float],
          fill: Any, bbox: skia.Rect) -> None:
    path = skia.Path()
    path.addRect(skia.Rect.MakeXYWH(*xywh))
    ctx.fill_and_stroke(canvas, path, layout.obj, fill=fill, stroke=None, bbox=bbox)
