"""unsupported_features: honest refusals for SaveDesign (code 240)."""
from __future__ import annotations

from typing import Any

import pytest

from shared.render.support import unsupported_features


@pytest.mark.parametrize("obj", [
    {"type": "rect", "fill": "#f00", "globalCompositeOperation": "multiply"},
    {"type": "Rect", "fill": {"type": "linear", "coords": {}, "colorStops": []}},
    {"type": "image", "src": "x", "filters": []},
    {"type": "group", "objects": []},
    {"type": "path", "fill": None, "stroke": "rgba(0,0,0,.5)"},
])
def test_supported_objects_have_no_reasons(obj: dict[str, Any]) -> None:
    assert unsupported_features(obj) == []


@pytest.mark.parametrize("obj, reason", [
    ({"type": "curved-text"}, "object type 'curved-text' is not supported"),
    ({"type": "image", "filters": [{"type": "Grayscale"}]}, "image filters are not supported"),
    ({"type": "image", "resizeFilter": {"type": "Resize"}}, "image resizeFilter is not supported"),
    ({"type": "rect", "globalCompositeOperation": "plus-darker"},
     "globalCompositeOperation 'plus-darker' is not supported"),
    ({"type": "rect", "fill": {"source": "data:...", "repeat": "repeat"}}, "pattern fill is not supported"),
    ({"type": "rect", "stroke": "chartreuseish"}, "stroke colour 'chartreuseish' is not a valid CSS colour"),
    ({"type": "rect", "fill": 12}, "fill value of this form is not supported"),
])
def test_unsupported_reasons(obj: dict[str, Any], reason: str) -> None:
    assert reason in unsupported_features(obj)


@pytest.mark.parametrize("path", ["M 0 0 L abc Z", [["Q", "x"]], [["X", 1, 1]], 42])
def test_path_data_the_renderer_refuses_is_reported_at_save(path):
    assert unsupported_features({"type": "path", "path": path})


@pytest.mark.parametrize("points", [[{"x": "a", "y": 1}], "0,0 1,1", [{"x": 1}]])
def test_bad_polygon_points_are_reported(points):
    assert unsupported_features({"type": "polygon", "points": points})


def test_valid_paths_and_points_pass():
    assert unsupported_features({"type": "path", "path": "M 0 0 L 10 10 Z"}) == []
    assert unsupported_features({"type": "polyline", "points": [{"x": 0, "y": 0}, {"x": 1, "y": 2}]}) == []


def test_one_stop_gradient_paints_its_colour_as_canvas_does():
    from shared.render import render_view

    fill = {"type": "linear", "coords": {"x1": 0, "y1": 0, "x2": 50, "y2": 0},
            "colorStops": [{"offset": 0, "color": "red"}]}
    image = render_view({"objects": [{"type": "rect", "width": 50, "height": 50, "fill": fill}]},
                        60, 60, scale=1, images={}, fonts=None).image
    assert image.getpixel((25, 25)) == (255, 0, 0, 255)
