"""Colour parsing, dash lists, shadows and gradients as the canvas 2D context applies them."""
from __future__ import annotations

import pytest
import skia

from shared.render.paint import dash_intervals, gradient_shader, parse_color, parse_shadow


@pytest.mark.parametrize("text, expected", [
    ("#f00", (255, 0, 0, 1.0)),
    ("#F008", (255, 0, 0, 0x88 / 255)),
    ("#1d3557", (0x1d, 0x35, 0x57, 1.0)),
    ("#ff000080", (255, 0, 0, 128 / 255)),
    ("rgb(10, 20, 30)", (10, 20, 30, 1.0)),
    ("rgba(10,20,30,0.5)", (10, 20, 30, 0.5)),
    ("rgb(10 20 30 / 50%)", (10, 20, 30, 0.5)),
    ("rgb(100%, 0%, 50%)", (255, 0, 128, 1.0)),
    ("hsl(120, 100%, 50%)", (0, 255, 0, 1.0)),
    ("hsla(240,100%,50%,0.25)", (0, 0, 255, 0.25)),
    ("RebeccaPurple", (0x66, 0x33, 0x99, 1.0)),
    ("transparent", (0, 0, 0, 0.0)),
])
def test_parse_color(text: str, expected: tuple[float, ...]) -> None:
    assert parse_color(text) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("text", [None, "", "none"])
def test_no_paint(text: str | None) -> None:
    assert parse_color(text) is None


@pytest.mark.parametrize("text", ["#12", "rgb(1,2)", "notacolour", "#ggg"])
def test_invalid_colour(text: str) -> None:
    with pytest.raises(ValueError):
        parse_color(text)


@pytest.mark.parametrize("value, expected", [
    (None, None), ([], None), ([5, 3], [5, 3]), ([5], [5, 5]), ([1, 2, 3], [1, 2, 3, 1, 2, 3]),
    ([0, 0], None), ([4, -1], None),
])
def test_dash_intervals(value: object, expected: list[float] | None) -> None:
    assert dash_intervals(value) == expected


def test_shadow_string_and_object_forms() -> None:
    shadow = parse_shadow("rgba(0,0,0,0.3) 5px -2px 10px", [])
    assert shadow is not None
    assert (shadow.offset_x, shadow.offset_y, shadow.blur) == (5, -2, 10)
    assert shadow.color == (0, 0, 0, 0.3)
    obj = parse_shadow({"color": "red", "blur": 4, "offsetX": 1, "affectStroke": True}, [])
    assert obj is not None and obj.affect_stroke and obj.offset_y == 0


def paint_rect(shader: skia.Shader, size: int = 100) -> skia.Image:
    surface = skia.Surface(size, size)
    surface.getCanvas().drawRect(skia.Rect.MakeWH(size, size), skia.Paint(Shader=shader))
    return surface.makeImageSnapshot()


def pixel(image: skia.Image, x: int, y: int) -> tuple[int, int, int, int]:
    return tuple(int(v) for v in image.toarray(colorType=skia.kRGBA_8888_ColorType)[y, x])


@pytest.mark.parametrize("units, coords", [
    ("pixels", {"x1": 0, "y1": 0, "x2": 100, "y2": 0}),
    ("percentage", {"x1": 0, "y1": 0, "x2": 1, "y2": 0}),
])
def test_linear_gradient_spans_the_box(units: str, coords: dict) -> None:
    gradient = {"type": "linear", "gradientUnits": units, "coords": coords,
                "colorStops": [{"offset": 1, "color": "blue"}, {"offset": 0, "color": "red"}]}
    shader = gradient_shader(gradient, skia.Rect.MakeWH(100, 100), [])
    image = paint_rect(shader)
    assert pixel(image, 1, 50)[0] > 240 and pixel(image, 98, 50)[2] > 240


def test_stop_opacity_replaces_alpha_and_offset_moves_origin() -> None:
    gradient = {"type": "linear", "offsetX": 50, "coords": {"x1": 0, "y1": 0, "x2": 10, "y2": 0},
                "colorStops": [{"offset": 0, "color": "rgba(255,0,0,1)", "opacity": 0.5},
                               {"offset": 1, "color": "#00f", "opacity": 0.5}]}
    image = paint_rect(gradient_shader(gradient, skia.Rect.MakeWH(100, 100), []))
    assert pixel(image, 20, 50)[0] > 120 and 120 <= pixel(image, 20, 50)[3] <= 135
    assert pixel(image, 90, 50)[2] > 120


def test_degenerate_gradients_paint_nothing() -> None:
    stops = [{"offset": 0, "color": "red"}]
    box = skia.Rect.MakeWH(10, 10)
    assert gradient_shader({"type": "linear", "coords": {}, "colorStops": stops}, box, []) is None
    assert gradient_shader({"type": "radial", "coords": {"r1": 5, "r2": 5}, "colorStops": stops},
                           box, []) is None
