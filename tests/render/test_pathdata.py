"""SVG path data as fabric reads it: parsing, simplification to M/L/C/Q/Z, bounds."""
from __future__ import annotations

import pytest

from shared.render import pathdata
from shared.render.errors import RenderError


@pytest.mark.parametrize("text, expected", [
    ("M 1 2 L 3 4", [["M", 1, 2], ["L", 3, 4]]),
    ("M1,2 3,4 5,6", [["M", 1, 2], ["L", 3, 4], ["L", 5, 6]]),
    ("m1-2.5.5z", [["m", 1, -2.5], ["l", 0.5], ["z"]]),  # extra numbers repeat as lineto
    ("A10 10 0 0120 20", [["A", 10, 10, 0, 0, 1, 20, 20]]),
])
def test_parse(text: str, expected: list) -> None:
    assert pathdata.parse(text) == expected


@pytest.mark.parametrize("path, expected", [
    ([["M", 0, 0], ["h", 10], ["v", 5], ["H", 0], ["z"]],
     [["M", 0, 0], ["L", 10, 0], ["L", 10, 5], ["L", 0, 5], ["z"]]),
    ([["m", 5, 5], ["l", 1, 1], ["c", 1, 0, 2, 0, 2, 2]],
     [["M", 5, 5], ["L", 6, 6], ["C", 7, 6, 8, 6, 8, 8]]),
    ([["M", 0, 0], ["C", 0, 1, 1, 2, 2, 2], ["S", 4, 0, 4, 0]],
     [["M", 0, 0], ["C", 0, 1, 1, 2, 2, 2], ["C", 3, 2, 4, 0, 4, 0]]),
    ([["M", 0, 0], ["Q", 1, 1, 2, 0], ["T", 4, 0]],
     [["M", 0, 0], ["Q", 1, 1, 2, 0], ["Q", 3, -1, 4, 0]]),
])
def test_simplify(path: list, expected: list) -> None:
    assert pathdata.simplify(path) == expected


def test_arc_becomes_quarter_cubics_ending_on_target() -> None:
    simple = pathdata.simplify([["M", 0, 0], ["A", 10, 10, 0, 0, 1, 20, 0]])
    assert [c[0] for c in simple] == ["M", "C", "C"]
    assert simple[-1][5:] == pytest.approx([20, 0])
    left, top, right, bottom = pathdata.bounds(simple)
    assert (left, right) == pytest.approx((0, 20))
    assert min(top, bottom) == pytest.approx(-10, abs=1e-6)


def test_bounds_include_curve_extrema() -> None:
    assert pathdata.bounds([["M", 0, 0], ["C", 0, 10, 10, 10, 10, 0]]) == pytest.approx((0, 0, 10, 7.5))


def test_bad_command_is_a_render_error() -> None:
    with pytest.raises(RenderError):
        pathdata.parse([["X", 1, 2]])
    with pytest.raises(RenderError):
        pathdata.simplify([["L", 1]])
