"""Field cases F01 (fonts never swapped silently), F03 (horizontal placement), F15 (RTL, fallback)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from shared.render import render_view
from shared.render.fonts import FontRegistry
from shared.render.objects.text import dimensions
from shared.render.text.metrics import StyleFonts
from shared.render.text.shaping import shaper_for

DV = "/usr/share/fonts/truetype/dejavu"
SYSTEM = FontRegistry.system()


def render(objects: list[dict[str, Any]], fonts: FontRegistry = SYSTEM,
           width: int = 600, height: int = 400) -> tuple[np.ndarray, list[str]]:
    result = render_view({"width": width, "height": height, "objects": objects}, width, height,
                         scale=1.0, images={}, fonts=fonts)
    return np.asarray(result.image), result.warnings


def ink_columns(pixels: np.ndarray, threshold: int = 8) -> np.ndarray:
    return np.nonzero(pixels[..., 3].max(axis=0) > threshold)[0]


# F01 ------------------------------------------------------------------------------------------

def test_f01_unknown_family_renders_with_documented_fallback_and_warns() -> None:
    pixels, warnings = render([{"type": "text", "left": 50, "top": 300, "fontSize": 28,
                                "fontFamily": "NoSuchFont", "text": "fallback?"}])
    assert pixels[..., 3].any()
    assert "font family 'NoSuchFont' is not available; rendered with DejaVu Sans" in warnings


def test_f01_website_font_drives_wrapping_and_bold_italic_uses_its_file() -> None:
    serif = Path(f"{DV}/DejaVuSerif.ttf").read_bytes()
    bold_italic = Path(f"{DV}/DejaVuSans-BoldOblique.ttf").read_bytes()
    fonts = SYSTEM.with_fonts([("ComingSoon", "normal", "normal", serif),
                               ("Roboto", "bold", "italic", bold_italic)])
    box = {"type": "textbox", "left": 50, "top": 50, "width": 200, "fontSize": 28,
           "fontFamily": "ComingSoon", "text": "Happy birthday dear Grandma", "fill": "#000000"}
    measure = StyleFonts(fonts, []).measure
    style = {"fontFamily": "ComingSoon", "fontWeight": "normal", "fontStyle": "normal", "fontSize": 28}
    expected_lines, line = 1, ""
    for word in box["text"].split():
        candidate = f"{line} {word}".strip()
        if line and measure(candidate, style) > 200:
            expected_lines, line = expected_lines + 1, word
        else:
            line = candidate
    _, height = dimensions(box, fonts)
    assert expected_lines >= 2
    assert height == pytest.approx(28 * 1.13 * (1.16 * (expected_lines - 1) + 1))
    chosen = fonts.resolve("Roboto", "bold", "italic")
    assert chosen.file.source.data == bold_italic
    _, warnings = render([box, {"type": "text", "left": 50, "top": 200, "fontSize": 28, "fontFamily": "Roboto",
                                "fontWeight": "bold", "fontStyle": "italic", "text": "Bold italic"}], fonts)
    assert warnings == []


# F03 ------------------------------------------------------------------------------------------

F03 = {"type": "text", "originX": "center", "originY": "top", "left": 300, "top": 100, "fontSize": 48,
       "fontFamily": "Liberation Sans", "textAlign": "center", "text": "ABC xyz"}


def test_f03_centred_text_ink_is_centred() -> None:
    pixels, _ = render([F03])
    columns = ink_columns(pixels)
    assert abs((columns[0] + columns[-1] + 1) / 2 - 300) <= 1


def test_f03_right_origin_ink_ends_at_the_anchor() -> None:
    pixels, _ = render([{**F03, "originX": "right", "left": 590}])
    assert 585 <= ink_columns(pixels)[-1] + 1 <= 590


def test_f03_text_background_spans_the_object_width() -> None:
    obj = {**F03, "textBackgroundColor": "#ffff00", "fill": "rgba(0,0,0,0)"}
    pixels, _ = render([obj])
    width, _ = dimensions(obj, SYSTEM)
    yellow = np.nonzero((pixels[..., 0] > 200) & (pixels[..., 2] < 60) & (pixels[..., 3] > 128))[1]
    assert abs((yellow.max() - yellow.min() + 1) - width) <= 1


# F15 ------------------------------------------------------------------------------------------

def glyph_positions(text: str, family: str, rtl: bool = False) -> list[tuple[int, int, float, str]]:
    """(cluster, glyph id, x, font family) for each glyph, in visual order."""
    shaped = shaper_for(SYSTEM).shape(text, SYSTEM.resolve(family, "normal", "normal"), rtl=rtl)
    return [(c, g, x, run.font.family) for run in shaped.runs
            for c, g, x in zip(run.clusters, run.glyphs, run.xs)]


def test_f15_arabic_is_joined_and_starts_on_the_right() -> None:
    text = "مرحبا بالعالم"
    joined = glyph_positions(text, "Noto Sans Arabic")
    isolated = [glyph_positions(ch, "Noto Sans Arabic")[0][1] for ch in reversed(text)]
    assert [g for _, g, _, _ in joined] != isolated  # contextual forms, not naive reversal
    first = [x for c, _, x, _ in joined if c == 0]
    assert first and first[0] == max(x for _, _, x, _ in joined)


def test_f15_digits_stay_left_to_right_inside_rtl() -> None:
    glyphs = glyph_positions("שלום 123", "Noto Sans Hebrew", rtl=True)
    digits = sorted((c, x) for c, _, x, _ in glyphs if c >= 5)
    assert [c for c, _ in digits] == [5, 6, 7]
    assert digits[0][1] < digits[1][1] < digits[2][1]
    hebrew_x = [x for c, _, x, _ in glyphs if c < 4]
    assert min(hebrew_x) > digits[-1][1]


def test_f15_cjk_in_a_latin_font_uses_a_fallback_without_notdef() -> None:
    warnings: list[str] = []
    fonts = StyleFonts(SYSTEM, warnings)
    style = {"fontFamily": "Liberation Sans", "fontWeight": "normal", "fontStyle": "normal"}
    shaped = fonts.shape("Love 你好", style)
    families = {run.font.family for run in shaped.runs}
    assert "Noto Sans CJK" in families
    assert all(g != 0 for run in shaped.runs for g in run.glyphs)
    assert warnings == ["font 'Liberation Sans' has no glyph for U+4F60, U+597D; drawn with Noto Sans CJK"]


def test_f15_uncovered_code_points_are_reported() -> None:
    warnings: list[str] = []
    StyleFonts(SYSTEM, warnings).shape("gift 🎁", {"fontFamily": "Liberation Sans", "fontWeight": "normal",
                                                   "fontStyle": "normal"})
    assert any("U+1F381" in w for w in warnings)
