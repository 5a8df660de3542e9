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
