"""SVG path data as fabric 5 reads it: parsePath, makePathSimpler and Path._calcDimensions.

Everything becomes absolute M/L/C/Q/Z (arcs become cubic segments of at most 90°), so the
bounds, pathOffset and drawing match fabric's own numbers.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import skia

from shared.render.errors import RenderError
from shared.render.props import to_number

Command = list[Any]  # [letter, *numbers]

_LENGTHS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7}
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d+|\d+|\.\d+)(?:[eE][-+]?\d+)?")
_R_NUM = r"[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?\s*"
_COMMA_WSP = r"(?:\s+,?\s*|,\s*)"
_ARC_ARGS = re.compile(
    f"({_R_NUM}){_COMMA_WSP}?({_R_NUM}){_COMMA_WSP}?({_R_NUM}){_COMMA_WSP}"
    f"([01]){_COMMA_WSP}?([01]){_COMMA_WSP}?({_R_NUM}){_COMMA_WSP}?({_R_NUM})")
_SEGMENT = re.compile(r"[mzlhvcsqta][^mzlhvcsqta]*", re.IGNORECASE)


def parse(path: Any) -> list[Command]:
    """fabric.util.parsePath for strings; the array form is validated and coerced to numbers."""
    if isinstance(path, str):
        return _parse_string(path)
    if not isinstance(path, Sequence):
        raise RenderError("path data must be a string or a list of commands")
    commands = []
    for item in path:
        if not isinstance(item, Sequence) or isinstance(item, str) or not item \
                or not isinstance(item[0], str) or item[0].lower() not in _LENGTHS.keys() | {"z"}:
            raise RenderError(f"invalid path command {item!r}")
        commands.append([item[0], *(to_number(v) for v in item[1:])])
    return commands


def _parse_string(text: str) -> list[Command]:
    result: list[Command] = []
    for segment in _SEGMENT.findall(text):
        letter, body = segment[0], segment[1:].strip()
        if letter.lower() == "a":
            numbers = [float(v) for match in _ARC_ARGS.findall(body) for v in match]
        else:
            numbers = [float(v) for v in _NUMBER.findall(body)]
        length = _LENGTHS.get(letter.lower(), 0)
        if length and len(numbers) > length:
            repeated = {"m": "l", "M": "L"}.get(letter, letter)
            for k in range(0, len(numbers), length):
                result.append([letter, *numbers[k:k + length]])
                letter = repeated
        else:
            result.append([letter, *numbers])
    return result


def simplify(path: list[Command]) -> list[Command]:
    """fabric.util.makePathSimpler: absolute M, L, C, Q, Z only."""
    x = y = x1 = y1 = 0.0
    control_x = control_y = 0.0
    previous = None
    out: list[Command] = []
    for original in path:
        cur = list(original)
        letter = cur[0]
        if len(cur) - 1 < _LENGTHS.get(letter.lower(), 0):
            raise RenderError(f"path command {letter} needs {_LENGTHS[letter.lower()]} numbers")
        if letter in "lL":
            if letter == "l":
                cur = ["L", cur[1] + x, cur[2] + y]
            x, y = cur[1], cur[2]
        elif letter in "hH":
            nx = cur[1] + x if letter == "h" else cur[1]
            cur = ["L", nx, y]
            x = nx
        elif letter in "vV":
            ny = cur[1] + y if letter == "v" else cur[1]
            cur = ["L", x, ny]
            y = ny
        elif letter in "mM":
            if letter == "m":
                cur = ["M", cur[1] + x, cur[2] + y]
            x = x1 = cur[1]
            y = y1 = cur[2]
        elif letter in "cC":
            if letter == "c":
                cur = ["C", cur[1] + x, cur[2] + y, cur[3] + x, cur[4] + y, cur[5] + x, cur[6] + y]
            control_x, control_y, x, y = cur[3], cur[4], cur[5], cur[6]
        elif letter in "sS":
            if letter == "s":
                cur = ["S", cur[1] + x, cur[2] + y, cur[3] + x, cur[4] + y]
            if previous == "C":
                control_x, control_y = 2 * x - control_x, 2 * y - control_y
            else:
                control_x, control_y = x, y
            cur = ["C", control_x, control_y, cur[1], cur[2], cur[3], cur[4]]
            control_x, control_y, x, y = cur[3], cur[4], cur[5], cur[6]
        elif letter in "qQ":
            if letter == "q":
                cur = ["Q", cur[1] + x, cur[2] + y, cur[3] + x, cur[4] + y]
            control_x, control_y, x, y = cur[1], cur[2], cur[3], cur[4]
        elif letter in "tT":
            if letter == "t":
                cur = ["T", cur[1] + x, cur[2] + y]
            if previous == "Q":
                control_x, control_y = 2 * x - control_x, 2 * y - control_y
            else:
                control_x, control_y = x, y
            x, y = cur[1], cur[2]
            cur = ["Q", control_x, control_y, x, y]
        elif letter in "aA":
            if letter == "a":
                cur = ["A", *cur[1:6], cur[6] + x, cur[7] + y]
            out.extend(_arc_to_beziers(x, y, cur))
            x, y = cur[6], cur[7]
            previous = "A"
            continue
        elif letter in "zZ":
            x, y = x1, y1
        out.append(cur)
        previous = cur[0]
    return out


def _arc_to_beziers(fx: float, fy: float, arc: Command) -> list[Command]:
    """fabric fromArcToBeziers / arcToSegments (Mozilla's algorithm)."""
    rx, ry, rotation, large, sweep, tx, ty = arc[1:8]
    to_x, to_y = tx - fx, ty - fy
    th = math.radians(rotation)
    sin_th, cos_th = math.sin(th), math.cos(th)
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0:
        return [["L", tx, ty]]
    px = -cos_th * to_x * 0.5 - sin_th * to_y * 0.5
    py = -cos_th * to_y * 0.5 + sin_th * to_x * 0.5
    rx2, ry2, px2, py2 = rx * rx, ry * ry, px * px, py * py
    pl = rx2 * ry2 - rx2 * py2 - ry2 * px2
    root = 0.0
    if pl < 0:
        s = math.sqrt(1 - pl / (rx2 * ry2))
        rx, ry = rx * s, ry * s
    else:
        root = (-1.0 if large == sweep else 1.0) * math.sqrt(pl / (rx2 * py2 + ry2 * px2))
    cx, cy = root * rx * py / ry, -root * ry * px / rx
    cx1 = cos_th * cx - sin_th * cy + to_x * 0.5
    cy1 = sin_th * cx + cos_th * cy + to_y * 0.5
    theta = _vector_angle(1, 0, (px - cx) / rx, (py - cy) / ry)
    delta = _vector_angle((px - cx) / rx, (py - cy) / ry, (-px - cx) / rx, (-py - cy) / ry)
    if sweep == 0 and delta > 0:
        delta -= 2 * math.pi
    elif sweep == 1 and delta < 0:
        delta += 2 * math.pi
    segments = max(1, math.ceil(abs(delta / math.pi * 2)))
    step = delta / segments
    m_t = 8 / 3 * math.sin(step / 4) ** 2 / math.sin(step / 2) if step else 0.0
    from_x = from_y = 0.0
    result = []
    th2, th3 = theta, theta + step
    for _ in range(segments):
        to_px = cos_th * rx * math.cos(th3) - sin_th * ry * math.sin(th3) + cx1
        to_py = sin_th * rx * math.cos(th3) + cos_th * ry * math.sin(th3) + cy1
        cp1x = from_x + m_t * (-cos_th * rx * math.sin(th2) - sin_th * ry * math.cos(th2))
        cp1y = from_y + m_t * (-sin_th * rx * math.sin(th2) + cos_th * ry * math.cos(th2))
        cp2x = to_px + m_t * (cos_th * rx * math.sin(th3) + sin_th * ry * math.cos(th3))
        cp2y = to_py + m_t * (sin_th * rx * math.sin(th3) - cos_th * ry * math.cos(th3))
        result.append(["C", cp1x + fx, cp1y + fy, cp2x + fx, cp2y + fy, to_px + fx, to_py + fy])
        from_x, from_y = to_px, to_py
        th2, th3 = th3, th3 + step
    return result


def _vector_angle(ux: float, uy: float, vx: float, vy: float) -> float:
    ta, tb = math.atan2(uy, ux), math.atan2(vy, vx)
    return tb - ta if tb >= ta else 2 * math.pi - (ta - tb)


def bounds(path: list[Command]) -> tuple[float, float, float, float]:
    """fabric Path._calcDimensions over simplified commands: (left, top, right, bottom)."""
    xs: list[float] = []
    ys: list[float] = []
    x = y = start_x = start_y = 0.0
    extra: list[tuple[float, float]] = []
    for cmd in path:
        letter = cmd[0]
        if letter in ("L", "M"):
            x, y = cmd[1], cmd[2]
            extra = []
            if letter == "M":
                start_x, start_y = x, y
        elif letter == "C":
            extra = _curve_bounds(x, y, *cmd[1:7])
            x, y = cmd[5], cmd[6]
        elif letter == "Q":  # fabric measures a quadratic as a cubic with doubled control point
            extra = _curve_bounds(x, y, cmd[1], cmd[2], cmd[1], cmd[2], cmd[3], cmd[4])
            x, y = cmd[3], cmd[4]
        elif letter in ("z", "Z"):
            x, y = start_x, start_y
        for px, py in extra:
            xs.append(px)
            ys.append(py)
        xs.append(x)
        ys.append(y)
    if not xs:
        return 0.0, 0.0, 0.0, 0.0
    return min(xs), min(ys), max(xs), max(ys)


def _curve_bounds(x0: float, y0: float, x1: float, y1: float, x2: float, y2: float,
                  x3: float, y3: float) -> list[tuple[float, float]]:
    """fabric getBoundsOfCurve: the two corners of a cubic's extent."""
    tvalues = []
    for p0, p1, p2, p3 in ((x0, x1, x2, x3), (y0, y1, y2, y3)):
        b = 6 * p0 - 12 * p1 + 6 * p2
        a = -3 * p0 + 9 * p1 - 9 * p2 + 3 * p3
        c = 3 * p1 - 3 * p0
        if abs(a) < 1e-12:
            if abs(b) >= 1e-12 and 0 < -c / b < 1:
                tvalues.append(-c / b)
            continue
        disc = b * b - 4 * c * a
        if disc < 0:
            continue
        root = math.sqrt(disc)
        tvalues.extend(t for t in ((-b + root) / (2 * a), (-b - root) / (2 * a)) if 0 < t < 1)
    px, py = [x0, x3], [y0, y3]
    for t in tvalues:
        mt = 1 - t
        px.append(mt ** 3 * x0 + 3 * mt * mt * t * x1 + 3 * mt * t * t * x2 + t ** 3 * x3)
        py.append(mt ** 3 * y0 + 3 * mt * mt * t * y1 + 3 * mt * t * t * y2 + t ** 3 * y3)
    return [(min(px), min(py)), (max(px), max(py))]


def to_skia(path: list[Command], offset_x: float, offset_y: float) -> skia.Path:
    """fabric Path._renderPathCommands: simplified commands shifted by −pathOffset."""
    result = skia.Path()
    for cmd in path:
        letter, v = cmd[0], cmd[1:]
        if letter == "M":
            result.moveTo(v[0] - offset_x, v[1] - offset_y)
        elif letter == "L":
            result.lineTo(v[0] - offset_x, v[1] - offset_y)
        elif letter == "C":
            result.cubicTo(v[0] - offset_x, v[1] - offset_y, v[2] - offset_x, v[3] - offset_y,
                           v[4] - offset_x, v[5] - offset_y)
        elif letter == "Q":
            result.quadTo(v[0] - offset_x, v[1] - offset_y, v[2] - offset_x, v[3] - offset_y)
        elif letter in ("z", "Z"):
            result.close()
    return result
