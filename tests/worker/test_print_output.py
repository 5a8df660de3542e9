"""F07: a print view comes out at its exact pixel size, re-rendered from vectors, with its DPI."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from shared import layout
from shared.render import render_view
from shared.render.fonts import FontRegistry
from shared.settings import Settings
from shared.storage import MemoryStorage
from tests import factories
from tests.worker.test_pipeline import saved
from worker.pipeline import render_design

FRAME = {"type": "rect", "left": 0, "top": 0, "width": 499, "height": 599, "fill": "",
         "stroke": "#000000", "strokeWidth": 1}


def text(size: float, left: float, top: float) -> dict:
    return {"type": "text", "left": left, "top": top, "fontSize": size, "text": "Print Me",
            "fontFamily": "DejaVu Sans", "fill": "#000000", "strokeWidth": 0}


def test_print_file_is_exact_size_with_stroke_on_both_edges_and_dpi():
    storage = MemoryStorage()
    body = factories.design(1, factories.view("print", FRAME, text(24, 50, 50), width=500,
                                              height=600, Dpi=300, PrintMultiplier=6))
    revision = saved(storage, body)
    render_design(storage, Settings(), 23, 1, revision)
    data = storage.get(layout.rendition_key(23, 1, revision, "print", 3000, 3600, "png")).data
    image = Image.open(io.BytesIO(data))
    assert image.size == (3000, 3600)
    assert round(image.info["dpi"][0]) == 300
    pixels = np.asarray(image.convert("RGBA"))
    assert pixels[1800, 0, 3] == 255 and pixels[1800, 2999, 3] == 255   # stroke at both edges
    assert pixels[0, 1500, 3] == 255 and pixels[3599, 1500, 3] == 255
    assert pixels[1800, 6, 3] == 0                                       # 1 px × 6, not wider


def test_text_above_canvas_size_is_drawn_at_final_size_not_upscaled():
    """24 px text at ×6 must match 144 px text drawn at ×1 (vector re-render), and differ from a
    bitmap upscale of the ×1 render."""
    fonts = FontRegistry.system()
    canvas_small = {"objects": [text(24, 10, 10)]}
    big = render_view(canvas_small, 900, 240, scale=6, images={}, fonts=fonts).image
    native = render_view({"objects": [text(144, 60, 60)]}, 900, 240, scale=1, images={},
                         fonts=fonts).image
    upscaled = render_view(canvas_small, 150, 40, scale=1, images={}, fonts=fonts).image.resize(
        (900, 240), Image.Resampling.BICUBIC)
    alpha = lambda im: np.asarray(im, dtype=np.float32)[..., 3]  # noqa: E731
    vector_diff = np.abs(alpha(big) - alpha(native)).mean()
    bitmap_diff = np.abs(alpha(big) - alpha(upscaled)).mean()
    assert vector_diff < 1.0, vector_diff
    assert bitmap_diff > 3 * vector_diff
