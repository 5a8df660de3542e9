"""fabric 5.3 layout rules with a fixed-advance measure: line boxes, baselines, wrapping, alignment."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from shared.render.text.layout import FONT_SIZE_FRACTION, FONT_SIZE_MULT, layout_text


def mono(text: str, style: Mapping[str, Any]) -> float:
    """Every grapheme is 0.5 em wide, with no kerning."""
    return len(text) * 0.5 * float(style["fontSize"])


def obj(**props: Any) -> dict[str, Any]:
    return {"type": "text", "fontSize": 20, "lineHeight": 1.16, **props}


@pytest.mark.parametrize(("lines", "line_height", "expected"), [
    (1, 1.16, 20 * FONT_SIZE_MULT),
    (2, 1.16, 20 * FONT_SIZE_MULT * 1.16 + 20 * FONT_SIZE_MULT),
    (3, 2.0, 2 * 20 * FONT_SIZE_MULT * 2 + 20 * FONT_SIZE_MULT),
])
def test_height_counts_the_last_line_without_line_height(lines: int, line_height: float,
                                                         expected: float) -> None:
    layout = layout_text(obj(text="\n".join(["ab"] * lines), lineHeight=line_height), "text", mono)
    assert layout.height == pytest.approx(expected)


def test_line_height_uses_the_largest_char_size() -> None:
    styles = [{"start": 1, "end": 2, "style": {"fontSize": 50}}]
    layout = layout_text(obj(text="abc\nde", styles=styles), "text", mono)
    assert layout.line_heights[0] == pytest.approx(50 * 1.16 * FONT_SIZE_MULT)
    assert layout.line_heights[1] == pytest.approx(20 * 1.16 * FONT_SIZE_MULT)


def test_baseline_fraction_constant() -> None:
    assert FONT_SIZE_FRACTION == 0.222  # baseline = top + maxSize·1.13·(1 − 0.222)


@pytest.mark.parametrize(("char_spacing", "expected"), [(0, 50.0), (100, 50.0 + 4 * 2.0), (-50, 50.0 - 4 * 1.0)])
def test_char_spacing_is_added_between_graphemes(char_spacing: int, expected: float) -> None:
    layout = layout_text(obj(text="abcde", charSpacing=char_spacing), "text", mono)
    assert layout.width == pytest.approx(expected)


def test_kerning_comes_from_pair_measures() -> None:
    def kerned(text: str, style: Mapping[str, Any]) -> float:
        return mono(text, style) - (2.0 if "AV" in text else 0.0)

    layout = layout_text(obj(text="AVA"), "text", kerned)
    assert layout.width == pytest.approx(30 - 2)
    assert layout.boxes[0][1].kerned_width == pytest.approx(8)


def greedy(words: list[str], width: float, advance: float) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and (len(lines[-1]) + 1 + len(word)) * advance <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


@pytest.mark.parametrize("width", [60.0, 95.0, 150.0, 400.0])
def test_textbox_wraps_greedily(width: float) -> None:
    text = "the quick brown fox jumps over the lazy dog"
    layout = layout_text(obj(type="textbox", text=text, width=width), "textbox", mono)
    assert ["".join(line) for line in layout.lines] == greedy(text.split(), width, 10.0)
    assert layout.width == width


def test_long_word_enlarges_the_box() -> None:
    layout = layout_text(obj(type="textbox", text="abcdefghij ab", width=50), "textbox", mono)
    assert layout.width == pytest.approx(100)
    assert ["".join(line) for line in layout.lines] == ["abcdefghij", "ab"]


def test_split_by_grapheme_breaks_inside_words() -> None:
    layout = layout_text(obj(type="textbox", text="abcdefg", width=35, splitByGrapheme=True), "textbox", mono)
    assert ["".join(line) for line in layout.lines] == ["abc", "def", "g"]


def test_hard_newlines_start_paragraphs_and_keep_style_offsets() -> None:
    styles = {"1": {"4": {"fill": "red"}}}
    layout = layout_text(obj(type="textbox", text="aa bb\ncc dd", width=25, styles=styles), "textbox", mono)
    assert ["".join(line) for line in layout.lines] == ["aa", "bb", "cc", "dd"]
    assert layout.line_map == [(0, 0), (0, 3), (1, 0), (1, 3)]
    assert layout.style(3, 1)["fill"] == "red"
    assert layout.is_end_of_wrapping(1) and not layout.is_end_of_wrapping(2)


@pytest.mark.parametrize(("align", "offsets"), [
    ("left", [0, 0]), ("center", [0, 25]), ("right", [0, 50]),
    ("justify", [0, 0]), ("justify-center", [0, 25]), ("justify-right", [0, 50]),
])
def test_line_offsets_per_alignment(align: str, offsets: list[float]) -> None:
    layout = layout_text(obj(text="abc def\nab", textAlign=align), "text", mono)
    assert [layout.line_left_offset(i) for i in range(2)] == pytest.approx(offsets)


def test_justify_stretches_spaces_to_the_box_width() -> None:
    layout = layout_text(obj(type="textbox", text="a b c d e f g", width=55, textAlign="justify"), "textbox",
                         mono)
    first = layout.boxes[0]
    assert first[-1].left + first[-1].width == pytest.approx(55)


def test_rtl_right_aligned_line_starts_at_the_right_edge() -> None:
    layout = layout_text(obj(text="abc\na", textAlign="right", direction="rtl"), "text", mono)
    assert layout.line_left_offset(1) == 0
