"""Colours, gradients, strokes and shadows as a browser's canvas 2D context applies them.

fabric hands colour strings straight to the canvas (so CSS syntax applies) and converts gradient
objects to canvas gradients positioned relative to the object box.
"""
from __future__ import annotations

import colorsys
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import skia

from shared.render._css_colors import NAMED_COLORS
from shared.render.props import get, num, to_number

RGBA = tuple[float, float, float, float]  # r, g, b in 0..255, alpha in 0..1

_FUNC = re.compile(r"^(rgba?|hsla?)\(\s*(.*?)\s*\)$", re.IGNORECASE)
_CAPS = {"butt": skia.Paint.kButt_Cap, "round": skia.Paint.kRound_Cap,
         "square": skia.Paint.kSquare_Cap}
_JOINS = {"miter": skia.Paint.kMiter_Join, "round": skia.Paint.kRound_Join,
          "bevel": skia.Paint.kBevel_Join}


def parse_color(value: Any) -> RGBA | None:
    """A CSS colour as (r, g, b, a); None for "no paint" (null, "", none). Raises ValueError if invalid."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a colour: {value!r}")
    text = value.strip().lower()
    if text in ("", "none"):
        return None
    if text == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    if text in NAMED_COLORS:
        rgb = NAMED_COLORS[text]
        return (float(rgb >> 16), float((rgb >> 8) & 255), float(rgb & 255), 1.0)
    if text.startswith("#"):
        return _parse_hex(text[1:])
    match = _FUNC.match(text)
    if match:
        return _parse_function(match.group(1), match.group(2))
    raise ValueError(f"not a colour: {value!r}")


def _parse_hex(digits: str) -> RGBA:
    if not re.fullmatch(r"[0-9a-f]+", digits) or len(digits) not in (3, 4, 6, 8):
        raise ValueError(f"not a colour: #{digits}")
    if len(digits) in (3, 4):
        digits = "".join(ch * 2 for ch in digits)
    values = [int(digits[i:i + 2], 16) for i in range(0, len(digits), 2)]
    alpha = values[3] / 255 if len(values) == 4 else 1.0
    return (float(values[0]), float(values[1]), float(values[2]), alpha)


def _parse_function(name: str, body: str) -> RGBA:
    parts = [p for p in re.split(r"[\s,/]+", body) if p]
    if len(parts) not in (3, 4):
        raise ValueError(f"not a colour: {name}({body})")
    alpha = _alpha(parts[3]) if len(parts) == 4 else 1.0
    if name.startswith("rgb"):
        channels = [_channel(p) for p in parts[:3]]
        return (channels[0], channels[1], channels[2], alpha)
    hue = float(parts[0].removesuffix("deg")) % 360 / 360
    sat, light = (_percent(p) for p in parts[1:3])
    r, g, b = colorsys.hls_to_rgb(hue, light, sat)
    return (r * 255, g * 255, b * 255, alpha)


def _channel(text: str) -> float:
    value = float(text[:-1]) * 255 / 100 if text.endswith("%") else float(text)
    return float(min(255, max(0, math.floor(value + 0.5))))


def _percent(text: str) -> float:
    return min(1.0, max(0.0, float(text.removesuffix("%")) / 100))


def _alpha(text: str) -> float:
    value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    return min(1.0, max(0.0, value))


def color_int(rgba: RGBA) -> int:
    """8-bit unpremultiplied ARGB as skia wants it."""
    r, g, b, a = rgba
    return skia.ColorSetARGB(round(a * 255), round(r), round(g), round(b))


def css_color(value: Any, warnings: list[str]) -> RGBA | None:
    """parse_color that reports an invalid colour and paints black, as a fresh canvas state would."""
    try:
        return parse_color(value)
    except ValueError:
        warnings.append(f"invalid colour {value!r} drawn as black")
        return (0.0, 0.0, 0.0, 1.0)


def is_gradient(value: Any) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("colorStops"), (list, Mapping))


def gradient_shader(gradient: Mapping[str, Any], box: skia.Rect,
                    warnings: list[str]) -> skia.Shader | None:
    """A fabric gradient as a skia shader; coordinates are relative to the box's top-left corner.

    Mirrors fabric's toLive + _applyPatternGradientTransform: offsetX/Y shift the origin,
    ``percentage`` units scale by the box size, then gradientTransform applies. None paints nothing.
    """
    coords = gradient.get("coords") if isinstance(gradient.get("coords"), Mapping) else {}
    x1, y1, x2, y2 = (to_number(coords.get(k)) for k in ("x1", "y1", "x2", "y2"))
    positions, colors = _stops(gradient.get("colorStops"), warnings)
    if not colors:
        return None
    if len(colors) == 1:  # canvas paints a one-stop gradient as that colour; skia needs two
        positions, colors = [0.0, 1.0], colors * 2
    origin_x = (box.left() + to_number(gradient.get("offsetX"))) or 0.0
    origin_y = (box.top() + to_number(gradient.get("offsetY"))) or 0.0
    matrix = skia.Matrix.Translate(origin_x, origin_y)
    if gradient.get("gradientUnits") == "percentage":
        matrix.preScale(box.width(), box.height())
    transform = gradient.get("gradientTransform")
    if isinstance(transform, Sequence) and len(transform) == 6:
        a, b, c, d, e, f = (to_number(v) for v in transform)
        matrix.preConcat(skia.Matrix.MakeAll(a, c, e, b, d, f, 0, 0, 1))
    if gradient.get("type", "linear") == "radial":
        r1, r2 = to_number(coords.get("r1")), to_number(coords.get("r2"))
        if (x1, y1, r1) == (x2, y2, r2) or r1 < 0 or r2 < 0:
            return None
        return skia.GradientShader.MakeTwoPointConical(
            skia.Point(x1, y1), r1, skia.Point(x2, y2), r2, colors, positions,
            skia.TileMode.kClamp, 0, matrix)
    if (x1, y1) == (x2, y2):
        return None
    return skia.GradientShader.MakeLinear(
        [skia.Point(x1, y1), skia.Point(x2, y2)], colors, positions, skia.TileMode.kClamp, 0, matrix)


def _stops(stops: Any, warnings: list[str]) -> tuple[list[float], list[int]]:
    """Colour stops sorted by offset (stable, like canvas); a stop opacity replaces the alpha."""
    if isinstance(stops, Mapping):  # fabric 1.x stored {offset: colour}
        stops = [{"offset": k, "color": v} for k, v in stops.items()]
    parsed: list[tuple[float, int]] = []
    for stop in stops:
        if not isinstance(stop, Mapping):
            continue
        offset = min(1.0, max(0.0, to_number(stop.get("offset"))))
        rgba = css_color(stop.get("color"), warnings) or (0.0, 0.0, 0.0, 0.0)
        if stop.get("opacity") is not None:
            rgba = (rgba[0], rgba[1], rgba[2], min(1.0, max(0.0, to_number(stop["opacity"], 1.0))))
        parsed.append((offset, color_int(rgba)))
    parsed.sort(key=lambda item: item[0])
    return [p for p, _ in parsed], [c for _, c in parsed]


def fill_paint(value: Any, box: skia.Rect, warnings: list[str]) -> skia.Paint | None:
    """The paint for a fabric fill/stroke value (colour string or gradient); None paints nothing."""
    paint = skia.Paint(AntiAlias=True)
    if is_gradient(value):
        shader = gradient_shader(value, box, warnings)
        if shader is None:
            return None
        paint.setShader(shader)
        return paint
    rgba = css_color(value, warnings)
    if rgba is None or rgba[3] == 0:
        return None
    paint.setColor(color_int(rgba))
    return paint


def apply_stroke_style(paint: skia.Paint, obj: Mapping[str, Any], kind: str | None) -> None:
    """Width, caps, joins, miter limit and dashes of a fabric object onto a paint."""
    paint.setStyle(skia.Paint.kStroke_Style)
    paint.setStrokeWidth(num(obj, "strokeWidth", kind))
    paint.setStrokeCap(_CAPS.get(str(get(obj, "strokeLineCap", kind)), skia.Paint.kButt_Cap))
    paint.setStrokeJoin(_JOINS.get(str(get(obj, "strokeLineJoin", kind)), skia.Paint.kMiter_Join))
    paint.setStrokeMiter(num(obj, "strokeMiterLimit", kind))
    dashes = dash_intervals(get(obj, "strokeDashArray", kind))
    if dashes:
        effect = skia.DashPathEffect.Make(dashes, num(obj, "strokeDashOffset", kind))
        if effect is not None:
            paint.setPathEffect(effect)


def dash_intervals(value: Any) -> list[float] | None:
    """fabric _setLineDash + canvas setLineDash: odd lists repeat; invalid or all-zero lists are solid."""
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        return None
    values = [to_number(v, -1.0) for v in value]
    if any(v < 0 or not math.isfinite(v) for v in values) or sum(values) <= 0:
        return None
    return values * 2 if len(values) % 2 else values


@dataclass(frozen=True)
class Shadow:
    """A fabric shadow in object units (before object and output scaling)."""

    color: RGBA
    blur: float
    offset_x: float
    offset_y: float
    affect_stroke: bool
    non_scaling: bool


_SHADOW_NUMBER = re.compile(r"(?<![\w#.(,])(-?\d+(?:\.\d*)?)(?:px)?(?![\w%.,)])")


def parse_shadow(value: Any, warnings: list[str]) -> Shadow | None:
    """A fabric shadow from its object form or its CSS-like string form ("#000 2px 2px 4px")."""
    if isinstance(value, str):
        numbers = [float(n) for n in _SHADOW_NUMBER.findall(value)][:3]
        color_text = _SHADOW_NUMBER.sub("", value).strip() or "rgb(0,0,0)"
        numbers += [0.0] * (3 - len(numbers))
        value = {"color": color_text, "offsetX": numbers[0], "offsetY": numbers[1], "blur": numbers[2]}
    if not isinstance(value, Mapping):
        return None
    rgba = css_color(value.get("color", "rgb(0,0,0)"), warnings)
    if rgba is None:
        return None
    return Shadow(rgba, max(0.0, to_number(value.get("blur"))), to_number(value.get("offsetX")),
                  to_number(value.get("offsetY")), bool(value.get("affectStroke", False)),
                  bool(value.get("nonScaling", False)))


# canvas globalCompositeOperation → skia blend mode.
BLEND_MODES: dict[str, skia.BlendMode] = {
    "source-over": skia.BlendMode.kSrcOver, "source-in": skia.BlendMode.kSrcIn,
    "source-out": skia.BlendMode.kSrcOut, "source-atop": skia.BlendMode.kSrcATop,
    "destination-over": skia.BlendMode.kDstOver, "destination-in": skia.BlendMode.kDstIn,
    "destination-out": skia.BlendMode.kDstOut, "destination-atop": skia.BlendMode.kDstATop,
    "lighter": skia.BlendMode.kPlus, "copy": skia.BlendMode.kSrc, "xor": skia.BlendMode.kXor,
    "multiply": skia.BlendMode.kMultiply, "screen": skia.BlendMode.kScreen,
    "overlay": skia.BlendMode.kOverlay, "darken": skia.BlendMode.kDarken,
    "lighten": skia.BlendMode.kLighten, "color-dodge": skia.BlendMode.kColorDodge,
    "color-burn": skia.BlendMode.kColorBurn, "hard-light": skia.BlendMode.kHardLight,
    "soft-light": skia.BlendMode.kSoftLight, "difference": skia.BlendMode.kDifference,
    "exclusion": skia.BlendMode.kExclusion, "hue": skia.BlendMode.kHue,
    "saturation": skia.BlendMode.kSaturation, "color": skia.BlendMode.kColor,
    "luminosity": skia.BlendMode.kLuminosity,
}
