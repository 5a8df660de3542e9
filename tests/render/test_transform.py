"""fabric 5 geometry rules: origins, object box with stroke, own matrix, decomposition."""
from __future__ import annotations

import math

import pytest

from shared.render import transform as tf


def close(a: tuple[float, ...], b: tuple[float, ...], tol: float = 1e-9) -> bool:
    return all(math.isclose(x, y, abs_tol=tol) for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("value, axis, expected", [
    ("left", "x", -0.5), ("center", "x", 0.0), ("right", "x", 0.5),
    ("top", "y", -0.5), ("center", "y", 0.0), ("bottom", "y", 0.5),
    (0.25, "x", -0.25), (1, "y", 0.5), ("bogus", "x", -0.5), (None, "y", -0.5),
])
def test_origin_factor(value: object, axis: str, expected: float) -> None:
    assert tf.origin_factor(value, axis) == expected


@pytest.mark.parametrize("obj, expected", [
    ({"width": 100, "height": 50}, (101.0, 51.0)),  # default strokeWidth 1 counts
    ({"width": 100, "height": 50, "strokeWidth": 10, "scaleX": 2}, (220.0, 60.0)),
    ({"width": 100, "height": 50, "strokeWidth": 10, "scaleX": 2, "strokeUniform": True}, (210.0, 60.0)),
    ({"width": 100, "height": 0, "strokeWidth": 0, "skewX": 45}, (100.0, 0.0)),
    ({"width": 100, "height": 100, "strokeWidth": 0, "skewX": 45}, (200.0, 100.0)),
])
def test_transformed_dimensions(obj: dict, expected: tuple[float, float]) -> None:
    assert close(tf.transformed_dimensions(obj, "rect"), expected)


@pytest.mark.parametrize("origin_x, origin_y, angle, expected", [
    ("left", "top", 0, (60.5, 35.5)),
    ("center", "center", 0, (10.0, 10.0)),
    ("right", "bottom", 0, (-40.5, -15.5)),
    ("left", "top", 90, (-15.5, 60.5)),  # the centre turns about (left, top)
])
def test_center_point(origin_x: str, origin_y: str, angle: float, expected: tuple[float, float]) -> None:
    obj = {"left": 10, "top": 10, "width": 100, "height": 50, "originX": origin_x,
           "originY": origin_y, "angle": angle}
    assert close(tf.center_point(obj, "rect"), expected)


def test_own_matrix_order_is_translate_rotate_scale_skew() -> None:
    obj = {"left": 0, "top": 0, "originX": "center", "originY": "center", "width": 10, "height": 10,
           "angle": 90, "scaleX": 2, "scaleY": 3, "skewX": 45, "flipX": True}
    m = tf.own_matrix(obj, "rect")
    expected = tf.multiply(tf.multiply(tf.rotate(90), tf.scale(-2, 3)), (1, 0, 1, 1, 0, 0))
    assert close(m, expected)


def test_invert_round_trips() -> None:
    m = (2.0, 0.5, -1.0, 3.0, 10.0, -4.0)
    assert close(tf.multiply(m, tf.invert(m)), tf.IDENTITY)


@pytest.mark.parametrize("m, expected", [
    (tf.scale(2, 3), (2.0, 3.0)),
    (tf.multiply(tf.rotate(30), tf.scale(-2, 3)), (2.0, 3.0)),
])
def test_decompose_scale(m: tf.Matrix, expected: tuple[float, float]) -> None:
    assert close(tf.decompose_scale(m), expected)


def test_from_top_left_places_origin() -> None:
    obj = {"width": 100, "height": 50, "strokeWidth": 0, "originX": "center", "originY": "bottom"}
    assert close(tf.from_top_left(obj, "path", 0, 0), (50.0, 50.0))
