"""Both JSON forms of per-character styles, and the textDecoration spelling of older editors."""
from __future__ import annotations

from typing import Any

import pytest

from shared.render.text.styles import complete_style, parse_styles


@pytest.mark.parametrize(("styles", "text", "expected"), [
    ([{"start": 0, "end": 2, "style": {"fill": "red"}}], "abc",
     {0: {0: {"fill": "red"}, 1: {"fill": "red"}}}),
    # array indices skip newlines: index 3 is the first char of line 1
    ([{"start": 3, "end": 4, "style": {"fontSize": 9}}], "abc\nde", {1: {0: {"fontSize": 9}}}),
    ([{"start": 0, "end": 1, "style": {"underline": True}}, {"start": 2, "end": 3, "style": {"deltaY": 4}}],
     "ab\nc", {0: {0: {"underline": True}}, 1: {0: {"deltaY": 4}}}),
    ({"0": {"1": {"fill": "blue"}}, "2": {"0": {"fontWeight": "bold"}}}, "ab\n\nc",
     {0: {1: {"fill": "blue"}}, 2: {0: {"fontWeight": "bold"}}}),
    ({"0": {"0": {"textDecoration": "underline line-through"}}}, "a",
     {0: {0: {"underline": True, "linethrough": True}}}),
    ({"0": {"0": {"unknownProp": 1}}}, "a", {}),
    (None, "a", {}),
    ("garbage", "a", {}),
])
def test_parse_styles(styles: Any, text: str, expected: dict[int, dict[int, dict[str, Any]]]) -> None:
    assert parse_styles(styles, text) == expected


def test_complete_style_falls_back_to_object_then_fabric_defaults() -> None:
    style = complete_style({"fill": "#123", "fontSize": 30}, {"fontSize": 12})
    assert style["fill"] == "#123"
    assert style["fontSize"] == 12
    assert style["fontFamily"] == "Times New Roman"
    assert style["stroke"] is None
