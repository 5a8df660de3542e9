"""F08: one design saved by fabric 4/5 (kebab type names) and by fabric 6 (class names) renders
pixel-identically; a type no renderer knows is refused, never skipped."""
from __future__ import annotations

import numpy as np
import pytest

from shared.render import render_view
from shared.render.errors import RenderError
from shared.render.fonts import FontRegistry


def scene(version: str, names: dict[str, str]) -> dict:
    return {"version": version, "objects": [
        {"type": names["itext"], "left": 10, "top": 10, "text": "Hello", "fontSize": 30,
         "fontFamily": "Liberation Sans", "fill": "#e63946", "originX": "left", "originY": "top"},
        {"type": names["textbox"], "left": 10, "top": 60, "width": 120, "text": "wraps in both dialects",
         "fontSize": 18, "fontFamily": "DejaVu Serif", "originX": "left", "originY": "top"},
        {"type": names["group"], "left": 150, "top": 20, "originX": "left", "originY": "top",
         "width": 60, "height": 60, "objects": [
             {"type": names["rect"], "left": -30, "top": -30, "width": 60, "height": 60,
              "fill": "#2a9d8f", "originX": "left", "originY": "top"}]},
    ]}


V4 = {"itext": "i-text", "textbox": "textbox", "group": "group", "rect": "rect"}
V6 = {"itext": "IText", "textbox": "Textbox", "group": "Group", "rect": "Rect"}


def test_fabric_4_and_6_dialects_render_identically():
    fonts = FontRegistry.system()
    old = render_view(scene("4.6.0", V4), 240, 160, scale=1, images={}, fonts=fonts).image
    new = render_view(scene("6.0.0", V6), 240, 160, scale=1, images={}, fonts=fonts).image
    assert np.array_equal(np.asarray(old), np.asarray(new))
    assert old.getbbox() is not None


def test_unknown_type_is_refused_with_its_name():
    with pytest.raises(RenderError, match="curved-text"):
        render_view({"objects": [{"type": "curved-text", "text": "x"}]}, 10, 10, scale=1,
                    images={}, fonts=FontRegistry.system())
